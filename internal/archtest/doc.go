// Package archtest has no code of its own: its tests hold koomock's documents to the code they
// describe, so that neither can change without the other. They read docs/architecture.md's package
// table and check every import against its layers (go list), check that README's project structure
// names the same packages, check every package comment's route map against the real server's router,
// and check that every path docs/adding-a-flow.md points at exists.
//
// It lives under internal/ because nothing may import it; its tests run with go test ./... like all
// others and read the repository from the working tree, so they need the go command (which go test
// puts on the PATH) and no network.
package archtest
