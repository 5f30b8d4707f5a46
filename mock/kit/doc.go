// Package kit emulates KooGallery's joint-operation (联营) side: tenants (enterprises) with the seller's
// app bound to them, their departments and users, and the five kit syncs that carry every change to
// the seller, signed with the kit key in x-sign headers (spec saas-v2 §2.3, §5).
//
// Kit syncs are never retried automatically (spec saas-v2 §1, "Kit retries: none; buyer/admin
// decides"): each change sends its syncs once, records them in the journal with their verdicts, and
// POST /tenants/{id}/resync sends the tenant's state again.
//
// Control API routes (mounted under /_mock by package mock):
//
//	POST   /tenants                              create a tenant: tenantSync, applicationSync, allOrgSync
//	GET    /tenants                              the newest tenants
//	GET    /tenants/{id}                         a tenant with its app, departments and users
//	PATCH  /tenants/{id}                         rename: tenantSync flag 2
//	DELETE /tenants/{id}                         tenantSync flag 0
//	PUT    /tenants/{id}/app                     applicationSync flag 2 (new secret, callback)
//	DELETE /tenants/{id}/app                     applicationSync flag 0
//	POST   /tenants/{id}/users                   authorise users: authSync flag 1, 500 per call
//	PUT    /tenants/{id}/users/{name}            authSync flag 2
//	DELETE /tenants/{id}/users/{name}            authSync flag 0
//	POST   /tenants/{id}/users/{name}/deauthorize authSync flag 3
//	PUT    /tenants/{id}/orgs/{code}             singleOrgSync flag 1 (new) or 2 (changed)
//	DELETE /tenants/{id}/orgs/{code}             singleOrgSync flag 0
//	POST   /tenants/{id}/resync                  send the tenant's state again
//	POST   /tenants/{id}/probes                  a deliberately faulty kit sync
//	POST   /tenants/{id}/clock/advance           age the tenant's identity-provider credentials
package kit
