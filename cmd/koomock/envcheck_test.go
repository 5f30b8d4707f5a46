package main

import (
	"strings"
	"testing"
)

func TestUnknownEnvironmentVariablesAreNamed(t *testing.T) {
	vars := map[string]string{
		"KOOMOCK_SELER_URL":   "http://localhost:9000",
		"KOOMOCK_ADMIN_TOKEN": "known",
		"KOOMOCK_DB_FILE":     "/dev/null", // KOOMOCK_<FLAG>_FILE is known too
		"KOOMOCK_URL":         "http://x",  // the license client's contract
		"NOT_KOOMOCK_SELER":   "ignored",
	}
	code, _, errOut := cli(t, vars, "version")
	if code != exitOK {
		t.Fatalf("exit %d: an unknown variable must only warn", code)
	}
	if want := "koomock: unknown KOOMOCK_SELER_URL; did you mean KOOMOCK_SELLER_URL?\n"; errOut != want {
		t.Errorf("stderr %q, want %q", errOut, want)
	}
	if _, _, errOut := cli(t, map[string]string{"KOOMOCK_ADMIN_TOKEN": "x", "KOOMOCK_CONFIG": "none.yaml"}, "help"); strings.Contains(errOut, "unknown KOOMOCK") {
		t.Errorf("known variables warned about: %q", errOut)
	}
}

// TestKnownEnvironmentFollowsTheFlags: the known set is derived from the flags, so a new flag is
// known without anyone listing it.
func TestKnownEnvironmentFollowsTheFlags(t *testing.T) {
	known := knownEnv(&env{})
	for name := range allFlagNames(&env{}) {
		if name == "config" {
			continue
		}
		found := false
		for _, k := range known {
			found = found || k == envName(name)
		}
		if !found {
			t.Errorf("--%s: %s is not known", name, envName(name))
		}
	}
}

func TestEditDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{{"", "", 0}, {"abc", "", 3}, {"kitten", "sitting", 3}, {"SELER", "SELLER", 1}, {"same", "same", 0}} {
		if got := editDistance(tc.a, tc.b); got != tc.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}
