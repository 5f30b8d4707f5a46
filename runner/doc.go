// Package runner plays koomock's conformance suite (package features, or a seller's own features)
// against a seller, through a koomock server's control API, with godog.
//
// Steps only ever talk to koomock over HTTP, so the same features run against an in-process server, a
// container, or a remote koomock. Each scenario places its own orders, so scenarios run concurrently.
// The verdicts are koomock's: a step fails when the exchange it caused carries a failed verdict, and
// the failure names the rule, so a report says which KooGallery rule the seller broke.
package runner
