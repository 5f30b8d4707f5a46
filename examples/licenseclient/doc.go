// Package licenseclient is a small, correct License 2.0 client in Go: what a seller's desktop or
// server software does with the license code a buyer gives it (spec license-login §1). On each day's
// first use it activates the code (once, remembered locally), queries the code's status (the
// heartbeat), trusts that answer over activation's estimate, reports the day's usage, and blocks the
// user when the code is expired, released, unknown, already activated elsewhere, or when KooGallery
// cannot confirm it (the gateway refuses, fails or does not answer within the client's timeout).
//
// It is what `koomock verify` runs the license scenarios against by default (in-process, through the
// same contract as --license-client-cmd), and a starting point for Go sellers. Package clienttest
// holds deliberately broken variants. cmd/licenseclient is the same client as a program.
package licenseclient
