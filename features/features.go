// Package features holds koomock's conformance suite: Gherkin features, embedded, that the runner
// plays against a seller through koomock. Each feature describes one KooGallery interface or flow in
// the words of the seller console, and each scenario one thing KooGallery requires of the seller.
package features

import "embed"

// FS holds the embedded feature files.
//
//go:embed *.feature
var FS embed.FS
