package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
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

// TestDocumentedVariablesAreKnown: every KOOMOCK_* variable the README, the docs, the images and
// the examples name is one koomock knows, so following them never draws the unknown-variable warning.
func TestDocumentedVariablesAreKnown(t *testing.T) {
	known := knownEnv(&env{})
	var files []string
	for _, pattern := range []string{"../../README.md", "../../docs/*.md", "../../docs/ci/*", "../../Dockerfile*", "../../examples/compose/*", "../../.ci/run"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 5 {
		t.Fatalf("found only %v", files)
	}
	name := regexp.MustCompile(`KOOMOCK_[A-Z0-9_]*[A-Z0-9]`)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range name.FindAllString(string(b), -1) {
			// The README's example of a misspelt variable.
			if v == "KOOMOCK_SELER_URL" {
				continue
			}
			if !slices.Contains(known, v) {
				t.Errorf("%s names %s, which koomock does not know (closest: %s)", f, v, closest(v, known))
			}
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
