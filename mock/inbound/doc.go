// Package inbound records every call a seller's service or software makes to koomock as an inbound
// exchange in the journal, with the verdicts the handlers give, and validates requests against
// openapi/marketplace.yaml.
//
// Handlers reach the exchange under way through the request context: Judge adds a verdict, Correlate
// ties the exchange to an order, instance or license code, and Body returns the request body already
// read. Writes to the journal are asynchronous and batched, so that a hot API (the license heartbeat)
// does not wait on SQLite for every call; Flush waits until everything recorded so far is written,
// and the control API flushes before it reads the journal, so readers never miss an exchange.
package inbound
