// Package idp is the tenant identity provider of joint operation (联营): the unified login page, OAuth
// 2.0 and CAS, as KooGallery runs them for each tenant (spec license-login §2, §3).
//
// Each tenant's domainName (tenantSync) is koomock's public URL (https once its HTTPS listener is on)
// with the prefix /t/{tenantCode}; the demo tenant's is the public URL itself. A request to /t/{code}/api/v1/... is served as /api/v1/... on
// that tenant's domain, so a seller that looks the domain up per tenant reaches the right one, and one
// that hard-codes it is caught (oauth.tenantDomain).
//
// Routes (seller-facing, in openapi/marketplace.yaml; journalled, validated, never behind API Gateway):
//
//	GET  /unified-login/                       index: explains the URL, follows #/portal-login links
//	GET  /unified-login/portal-login           the login form (?ind=UNOP&appId=... or ?return_to=...)
//	POST /unified-login/portal-login           log in: 302 to the callback with code and tenant
//	GET  /api/v1/oauth2/authorize              code flow; 302 to the login form or the redirect_uri
//	POST /api/v1/oauth2/token                  authorization_code and refresh_token grants
//	GET  /api/v1/oauth2/userinfo               the user behind a bearer token
//	GET  /api/v1/logout                        end the login session; 302 to redirect_url (the app's site only)
//	GET  /api/v1/cas/login                     302 to the service with an ST- ticket
//	GET  /api/v1/cas/validate                  CAS 1.0
//	GET  /api/v1/cas/serviceValidate           CAS 2.0 (XML, or JSON with format=JSON)
//	GET  /api/v1/cas/p3/serviceValidate        CAS 3.0 with attributes
//	GET  /api/v1/cas/logout                    end the login session; 302 to service (the app's site only)
//
// The 开天 aPaaS enterprise workbench (workbench.go; spec license-login §2.8) is the enterprise user's, not
// an API a seller calls, so it is not in the OpenAPI document. It shares the login session with the
// unified login page: signing in there logs the user in to the identity provider, and an app's iframe
// starts at authorize, which finds that session and sends the frame to the app's callback with code
// and tenant. Its mobile (H5) view differs from the PC one only in layout, as KooGallery's does.
//
//	GET  /workbench/                           the tenant's apps, launchable or shown unavailable
//	GET  /workbench/login                      the sign-in form (?tenant= fills the enterprise code)
//	POST /workbench/login                      sign in: the identity provider's login session
//	GET  /workbench/apps/{appId}               the app in an iframe started through authorize
//	POST /workbench/logout                     end the login session, the apps' included
//
// Codes, tokens, tickets and sessions are persisted. Their lifetimes run on koomock's clock plus the
// tenant's own offset (POST /_mock/tenants/{id}/clock/advance), so a scenario can let two hours pass
// for its tenant without moving the time of anything else.
package idp
