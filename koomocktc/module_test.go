package koomocktc_test

import (
	"os/exec"
	"strings"
	"testing"
)

// koomocktc is a package of the koomock module, not a module of its own (README: In a container, and
// from Go tests), on the ground that a seller importing only controlapi builds none of Docker's
// client or testcontainers: this keeps that true.
func TestControlAPIBuildsWithoutDocker(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/koomock/koomock/controlapi").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for pkg := range strings.FieldsSeq(string(out)) {
		if strings.Contains(pkg, "github.com/moby/") || strings.Contains(pkg, "testcontainers") || strings.Contains(pkg, "github.com/docker/") {
			t.Errorf("controlapi depends on %s: a seller importing it would build Docker's client", pkg)
		}
	}
	if !strings.Contains(string(out), "github.com/koomock/koomock/controlapi") {
		t.Errorf("go list -deps did not list controlapi itself:\n%s", out)
	}
}
