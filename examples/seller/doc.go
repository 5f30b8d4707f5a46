// Package seller is a complete, correct reference seller of KooGallery's production interface, in Go.
// It is what `koomock verify` tests by default, and a starting point for Go sellers: every rule it
// follows is a rule koomock checks.
//
// Routes:
//
//	POST /produce                          the basic interfaces (newInstance, queryInstance,
//	                                       refreshInstance, updateInstanceStatus, releaseInstance,
//	                                       upgradeInstance, changeInstanceCheck), told apart by "activity",
//	                                       and the License 2.0 callbacks (refreshLicenseCode,
//	                                       updateLicenseCodeStatus, releaseLicenseCode; license.go)
//	POST /produce/produceAPI/v2/{sync}     the kit syncs (tenantSync, applicationSync, authSync, ...)
//	GET  /login                            the web app's login: to KooGallery's unified login page
//	GET  /login/callback                   OAuth (code, tenant) or CAS (ticket) comes back here
//	GET  /cas/login?tenant=ID              CAS login on the tenant's domain
//	GET  /me                               the logged-in user (refreshes the access token as needed)
//	GET  /logout                           ends both sessions
//
// It verifies every callback's signature (answering 000001 when it does not match and 000002 for a
// stale timestamp, a missing nonce or a missing field, as Huawei's official sample does), answers
// debug calls (testFlag "1") without real work, and signs its answers with Body-Sign.
//
// Like a real V2 seller it calls KooGallery back (Config.MarketplaceURL, AK/SK): newInstance and
// upgradeInstance look the order up with the order query, signed with AK/SK as Huawei's SDK signs;
// on-demand usage is pushed with the new usage push before queryInstance reports it. newInstance is
// idempotent (the same orderId + orderLineId always yields the instanceId first given, the businessId
// of the first call); an order whose extendParams say provisioning=async is created asynchronously
// (000004, ready from the second queryInstance). refreshInstance accepts 14- and 17-digit expireTime,
// changeInstanceCheck productInfo as an object or a JSON string, and releasing twice succeeds.
//
// Each concern registers its activities in its own file (instances.go, query.go): add an activity
// with s.handle in a register function called from New. The joint-operation kit syncs and login live
// in kit.go and login.go.
//
// State is kept in memory: this is an example, and a restart is a fresh seller. cmd/refseller serves
// it as a program of its own (for a container beside koomock's).
package seller
