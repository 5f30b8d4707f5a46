package runner_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/koomock/koomock/examples/seller/sellertest"
	"github.com/koomock/koomock/runner"
)

// githubRun runs the scenarios at paths (or the own features, when given) against a seller (a broken
// variant by name, or the reference seller for "") with the github format written to a file, and
// returns the file's lines.
func githubRun(t *testing.T, variant string, paths []string, own fstest.MapFS, ownDir string) ([]string, *runner.Result) {
	t.Helper()
	var v *sellertest.Variant
	if variant != "" {
		found, ok := sellertest.Lookup(variant)
		if !ok {
			t.Fatalf("no variant %s", variant)
		}
		v = &found
	}
	opts := startPair(t, v, 500*time.Millisecond).opts
	file := filepath.Join(t.TempDir(), "annotations.txt")
	var out bytes.Buffer
	opts.Output, opts.Format, opts.Paths, opts.Seed, opts.Concurrency = &out, "progress,github:"+file, paths, 7, 1
	if own != nil {
		opts.OwnFeatures, opts.OnlyOwn, opts.OwnFeaturesDir = own, true, ownDir
	}
	res, err := runner.Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("annotations:\n%s\noutput:\n%s", data, out.String())
	return strings.Split(strings.TrimSuffix(string(data), "\n"), "\n"), res
}

const profileNote = "seed 7, profile " + referenceProfile

// TestGitHubAnnotationsEmbedded: a failed scenario of koomock's own suite is an ::error titled with
// the broken rules, naming the feature and line in the message (the file is not in the seller's
// repository), then the notice.
func TestGitHubAnnotationsEmbedded(t *testing.T) {
	lines, res := githubRun(t, "wrong-result-code", []string{"new_instance.feature:10"}, nil, "")
	if res.Status != runner.ExitFailed {
		t.Fatalf("status %d, want %d", res.Status, runner.ExitFailed)
	}
	want := []string{
		`::error title=koomock%3A answer.resultCode%2C answer.succeeded::A paid yearly order creates an instance (koomock's features/new_instance.feature:12)` +
			`%0Astep: the seller accepts the callback` +
			`%0Arule answer.resultCode at /resultCode: resultCode "100000" is not one of KooGallery's codes (000000-000005, 000100-000107)` +
			`%0Arule answer.succeeded at /resultCode: a correct newInstance was answered with 100000 "success." ()` +
			// #1 is the seller's order query: committed before the seller could answer newInstance.
			`%0Aexchange #2 (newInstance)`,
		`::notice title=koomock verify::1 scenarios, 0 passed, 1 failed (` + profileNote + `)%0AThe seller broke: answer.resultCode, answer.succeeded`,
	}
	if !slices.Equal(lines, want) {
		t.Errorf("annotations:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
}

// ours is a seller's own feature: one required scenario, whose name needs escaping, and one optional.
const ours = `Feature: Our orders

  Scenario: Yearly orders: 100% paid, at once
    When a buyer pays for a yearly order
    Then the answer follows every KooGallery rule

  @optional
  Scenario: Monthly orders
    When a buyer pays for a monthly order
    Then the answer follows every KooGallery rule
`

// TestGitHubAnnotationsOwnFeatures: the seller's own features are in its repository, so their
// annotations carry the file, under the --features folder, and the failed step's line; a failed
// optional scenario is a ::warning.
func TestGitHubAnnotationsOwnFeatures(t *testing.T) {
	own := fstest.MapFS{"orders/ours.feature": {Data: []byte(ours)}}
	lines, res := githubRun(t, "wrong-result-code", nil, own, "test/koomock")
	if res.Status != runner.ExitFailed {
		t.Fatalf("status %d, want %d", res.Status, runner.ExitFailed)
	}
	rule := `%0Arule answer.resultCode at /resultCode: resultCode "100000" is not one of KooGallery's codes (000000-000005, 000100-000107)` +
		`%0Arule answer.succeeded at /resultCode: a correct newInstance was answered with 100000 "success." ()`
	errorLine := `::error file=test/koomock/orders/ours.feature,line=5,title=koomock%3A answer.resultCode%2C answer.succeeded::Yearly orders: 100%25 paid, at once` +
		`%0Astep: the answer follows every KooGallery rule` + rule + `%0Aexchange #`
	warningLine := `::warning file=test/koomock/orders/ours.feature,line=10,title=koomock%3A answer.resultCode%2C answer.succeeded::Monthly orders` +
		`%0Astep: the answer follows every KooGallery rule` + rule + `%0Aexchange #`
	notice := `::notice title=koomock verify::2 scenarios, 0 passed, 1 failed, 1 optional failed (` + profileNote + `)%0AThe seller broke: answer.resultCode, answer.succeeded`
	if len(lines) != 3 || lines[2] != notice {
		t.Fatalf("annotations:\n%s\nwant an error, a warning and:\n%s", strings.Join(lines, "\n"), notice)
	}
	// The order of the scenarios follows the seed; the exchange IDs follow the order.
	fails := res.Failures()
	if len(fails) != 2 {
		t.Fatalf("%d failures, want 2", len(fails))
	}
	for _, f := range fails {
		want, kind := errorLine, "error"
		if f.Optional {
			want, kind = warningLine, "warning"
		}
		want += fmt.Sprintf("%d (%s)", f.Exchange.ID, f.Exchange.Activity)
		if f.Optional {
			want += "%0Aoptional (KooGallery lists it as optional): this failure does not fail the run"
		}
		if !slices.Contains(lines, want) {
			t.Errorf("no %s annotation\n%s\nin:\n%s", kind, want, strings.Join(lines, "\n"))
		}
	}
}

// TestGitHubAnnotationsPass: a passing run writes the notice alone.
func TestGitHubAnnotationsPass(t *testing.T) {
	lines, res := githubRun(t, "", []string{"new_instance.feature:10"}, nil, "")
	want := []string{`::notice title=koomock verify::1 scenarios, 1 passed, 0 failed (` + profileNote + `)%0AThe seller followed every rule checked.`}
	if res.Status != runner.ExitPassed || !slices.Equal(lines, want) {
		t.Errorf("status %d, annotations:\n%s\nwant:\n%s", res.Status, strings.Join(lines, "\n"), want[0])
	}
}

// TestGitHubAnnotationsWarnAboutAdvisoryRules: a seller breaking an advisory rule passes, and the
// annotations carry a ::warning naming the rule and its fix, never an ::error.
func TestGitHubAnnotationsWarnAboutAdvisoryRules(t *testing.T) {
	lines, res := githubRun(t, "raw-non-ascii-memo", []string{"query_instance.feature"}, nil, "")
	if res.Status != runner.ExitPassed {
		t.Fatalf("status %d, want a pass", res.Status)
	}
	var warned bool
	for _, l := range lines {
		if strings.HasPrefix(l, "::error") {
			t.Errorf("an advisory rule gave an error annotation: %s", l)
		}
		if strings.HasPrefix(l, "::warning title=koomock%3A queryInstance.memo (advisory)::") && strings.Contains(l, "fix: ") {
			warned = true
		}
	}
	if !warned {
		t.Errorf("no ::warning for queryInstance.memo with its fix:\n%s", strings.Join(lines, "\n"))
	}
}
