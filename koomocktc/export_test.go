package koomocktc

import (
	"testing"

	"github.com/testcontainers/testcontainers-go"
)

// UseImageNames makes Run look for def instead of DefaultImage, and tag the images it builds
// repo:tc-HASH, until the test ends: names no other checkout sharing the engine has, so that the
// test sees an engine without koomock's image.
func UseImageNames(t testing.TB, def, repo string) {
	old := imageNames
	imageNames.def, imageNames.builtRepo = def, repo
	t.Cleanup(func() { imageNames = old })
}

// ForgetBuilt empties the process's record of the images Run built, as a new process starts.
func ForgetBuilt() {
	built.Lock()
	defer built.Unlock()
	built.images = nil
}

// PublishedHost is the host Run reaches published ports on ("" to ask testcontainers), for tests
// that start containers with testcontainers directly.
func PublishedHost(t testing.TB) string {
	t.Helper()
	p, err := testcontainers.NewDockerProvider()
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	return publishedHost(p)
}
