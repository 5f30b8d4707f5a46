// Package protocol is KooGallery's wire vocabulary: activity names, result codes, and the signature
// schemes of both directions, each with the test vectors of the spec (../shared/spec) in its tests.
//
// Every scheme is split into a pure "sign" function that returns its intermediate values (so sellers
// can compare them line by line with their own code) and a "verify" function that returns a typed
// error naming what did not match. Nothing here does I/O or reads the clock: callers pass the time.
package protocol
