// Package seller is a complete, correct reference seller of KooGallery's production interface, in Go.
// It is what `koomock verify` tests by default, and a starting point for Go sellers: every rule it
// follows is a rule koomock checks.
//
// Routes:
//
//	POST /produce                          the basic interfaces (newInstance, ...), told apart by "activity"
//	POST /produce/produceAPI/v2/{sync}     the kit syncs (tenantSync, applicationSync, authSync, ...)
//	GET  /login                            the web app's login: to KooGallery's unified login page
//	GET  /login/callback                   OAuth (code, tenant) or CAS (ticket) comes back here
//	GET  /cas/login?tenant=ID              CAS login on the tenant's domain
//	GET  /me                               the logged-in user (refreshes the access token as needed)
//	GET  /logout                           ends both sessions
//
// It verifies every callback's signature (answering 000001 when it does not match and 000002 for a
// stale timestamp, a missing nonce or a missing field, as Huawei's official sample does), keeps
// newInstance idempotent (the same orderId + orderLineId always yields the instanceId first given,
// which is the businessId of the first call), and signs its answers with Body-Sign.
//
// State is kept in memory: this is an example, and a restart is a fresh seller. cmd/refseller serves
// it as a program of its own (for a container beside koomock's).
package seller
