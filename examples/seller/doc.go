// Package seller is a complete, correct reference seller of KooGallery's production interface, in Go.
// It is what `koomock verify` tests by default, and a starting point for Go sellers: every rule it
// follows is a rule koomock checks.
//
// Routes:
//
//	POST /produce   the basic interfaces (newInstance, ...), told apart by the body field "activity"
//
// It verifies every callback's signature (answering 000001 when it does not match and 000002 for a
// stale timestamp, a missing nonce or a missing field, as Huawei's official sample does), keeps
// newInstance idempotent (the same orderId + orderLineId always yields the instanceId first given,
// which is the businessId of the first call), and signs its answers with Body-Sign.
//
// State is kept in memory: this is an example, and a restart is a fresh seller. cmd/refseller serves
// it as a program of its own (for a container beside koomock's).
package seller
