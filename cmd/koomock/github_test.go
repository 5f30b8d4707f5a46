package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/koomock/koomock/examples/seller"
	"github.com/koomock/koomock/examples/seller/sellertest"
	"github.com/koomock/koomock/fixtures"
)

const ownOrders = `Feature: Our orders

  Scenario: A yearly order
    When a buyer pays for a yearly order
    Then the answer follows every KooGallery rule
`

// TestVerifyGitHubAnnotations: on GitHub Actions (GITHUB_ACTIONS=true) without --format, verify
// writes progress and annotations to stdout; a failure in the seller's own features names the file
// in its repository (under $GITHUB_WORKSPACE) and the failed step's line.
func TestVerifyGitHubAnnotations(t *testing.T) {
	workspace := t.TempDir()
	dir := filepath.Join(workspace, "test", "koomock")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "orders.feature", ownOrders)
	broken, _ := sellertest.Lookup("wrong-result-code")
	url := referenceSeller(t, broken.Handler(seller.Config{AccessKey: fixtures.DemoAccessKey}))
	gh := map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": workspace}
	code, out, errOut := cli(t, gh, "verify", "--seller-url", url, "--features", dir, "--only-own", "--seed", "3")
	if code != exitRule {
		t.Fatalf("exit %d, want %d\n%s\n%s", code, exitRule, out, errOut)
	}
	for _, want := range []string{
		"\n::error file=test/koomock/orders.feature,line=5,title=koomock%3A answer.resultCode%2C answer.succeeded::A yearly order%0Astep: the answer follows every KooGallery rule%0Arule answer.resultCode at /resultCode: ",
		"\n::notice title=koomock verify::1 scenarios, 0 passed, 1 failed (seed 3, profile saas,period,onetime)%0AThe seller broke: answer.resultCode, answer.succeeded\n",
		"\nFAILED  answer.resultCode, answer.succeeded  (in 1 scenario)\n", // progress, the default, still runs
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}

	// A passing run: the notice alone. Features outside the workspace name no file.
	gh["GITHUB_WORKSPACE"] = t.TempDir()
	code, out, errOut = cli(t, gh, "verify", "--seller-url", referenceSeller(t, nil), "--features", dir, "--only-own", "--seed", "3")
	if code != exitOK || strings.Count(out, "\n::") != 1 ||
		!strings.Contains(out, "\n::notice title=koomock verify::1 scenarios, 1 passed, 0 failed (seed 3, profile saas,period,onetime)%0AThe seller followed every rule checked.\n") {
		t.Errorf("passing run: exit %d\n%s\n%s", code, out, errOut)
	}

	// Off GitHub Actions, or with --format, no annotations unless asked for.
	for _, vars := range []map[string]string{nil, {"GITHUB_ACTIONS": "true"}} {
		args := []string{"verify", "--seller-url", referenceSeller(t, nil), "--features", dir, "--only-own"}
		if vars != nil {
			args = append(args, "--format", "progress")
		}
		if code, out, _ := cli(t, vars, args...); code != exitOK || strings.Contains(out, "::notice") {
			t.Errorf("%v %v: exit %d, annotations written:\n%s", vars, args, code, out)
		}
	}
}

func TestRepoPath(t *testing.T) {
	ws := t.TempDir()
	cwd, _ := os.Getwd()
	for _, c := range []struct{ dir, workspace, want string }{
		{"", ws, ""},
		{filepath.Join(ws, "features"), ws, "features"},
		{filepath.Join(ws, "a", "b"), ws, "a/b"},
		{ws, ws, "."},
		{t.TempDir(), ws, ""},
		{"testdata/x", "", "testdata/x"},
		{filepath.Join(cwd, "x"), "", "x"},
		{"../x", "", ""},
	} {
		if got := repoPath(c.dir, c.workspace); got != c.want {
			t.Errorf("repoPath(%q, %q) = %q, want %q", c.dir, c.workspace, got, c.want)
		}
	}
}
