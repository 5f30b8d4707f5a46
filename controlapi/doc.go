// Package controlapi is the contract of koomock's control API under /_mock/: its request and answer
// types, its error format, the helpers the server's handlers write it with, and a Go client.
//
// The runner, the CLI, the web console and the testcontainers module all drive koomock through this
// API, so that nothing is reachable only from inside the process and the same features run against a
// container.
//
// Errors have one shape, {"error":{"code":"...","message":"..."}}, with codes from a fixed set, each
// mapped to one HTTP status.
package controlapi
