// Package mock is KooGallery on the seller's laptop: one HTTP server that sends the marketplace's
// signed callbacks to a seller, serves the APIs a seller calls, and offers a control API (/_mock/)
// that the runner, the CLI and the console drive it with.
//
// Routes (routes.go lists every mount; a test holds this map, and each package's it names, to the
// router):
//
//	GET  /healthz                       liveness
//	GET  /api/mkp-openapi-public/global/v1/order/query     order query (package saasapi)
//	POST /api/mkp-openapi-public/global/v1/isv/usage-data  usage push, new (package saasapi)
//	POST /rest/marketplace/v1/isv/usage-data               usage push, old (package saasapi)
//	*    /api/mkp-openapi-public/global/v1/license/..., /api/mkp-openapi-public/global/v2/license/...
//	                                    the license APIs, behind API Gateway (package license)
//	GET  /api/mkp-openapi-public/v1/asset/deployed-object  an asset's deployable, for auto-deploy
//	                                    templates, behind API Gateway (package assets)
//	*    /asset-packages/...            signed, expiring package downloads (package assets)
//	*    /unified-login/..., /api/v1/... the tenants' login: OAuth 2.0, CAS (package idp)
//	*    /workbench/...                 the 开天 aPaaS enterprise workbench (package idp)
//	GET  /                              redirects to the web console
//	*    /console/...                   the web console (package console)
//	GET  /_mock/settings                effective settings, secrets masked
//	GET  /_mock/ca.pem                  the CA certificate of the optional HTTPS listener (tls.go)
//	GET  /_mock/openapi.yaml            the control API's OpenAPI document, openapi/control.yaml (openapi_doc.go);
//	                                    every control request body is validated against it (control_validate.go)
//	*    /_mock/orders..., /_mock/instances..., /_mock/query, /_mock/debug-calls, /_mock/probes
//	                                    the SaaS market and its lifecycle (package saas)
//	*    /_mock/deliveries              callbacks with their attempts; re-send (package delivery)
//	*    /_mock/cases, /_mock/products  debug cases, dial tests, product states (package dialtest)
//	*    /_mock/license/...             license codes and their lifecycle (package license)
//	*    /_mock/assets...               the asset centre: assets, versions, packages (package assets)
//	*    /_mock/tenants/...             joint-operation tenants and their kit syncs (package kit)
//	GET  /_mock/exchanges               the journal, newest first, filterable
//	GET  /_mock/exchanges/{id}          one exchange
//	GET  /_mock/exchanges/{id}/curl     a curl command that re-sends it, freshly signed
//	POST /_mock/exchanges/{id}/replay   re-send it, freshly signed, judge it and record a new exchange
//	GET  /_mock/events                  the journal as it grows, as server-sent events
//	GET  /_mock/clock                   the clock
//	POST /_mock/clock                   switch between real and virtual time
//	POST /_mock/clock/advance           move virtual time forward, running the jobs that fall due
//	GET  /_mock/jobs                    pending scheduled work (retries, expiry, dial tests)
//	POST /_mock/reset                   back to the fresh state, configuration kept; 409 during a run
//	GET  /_mock/runs                    the verify runs driving koomock
//	POST /_mock/runs                    begin a run: the answer stays open as long as the run lasts
//	DELETE /_mock/runs/{id}             end a run
//	*    /_mock/faults                  scripted faults (package faults)
//
// The control API and the console are koomock's administrative surface: on loopback only, unless an
// admin token guards them (admin.go); cross-origin browser requests to them are refused. The APIs
// KooGallery offers sellers are never behind the token.
//
// Server follows net/http/httptest's shape: New builds it, Open listens (synchronously, so bind
// errors surface), URL tells where, Close shuts down after in-flight callbacks finish.
package mock
