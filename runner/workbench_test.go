package runner_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/examples/seller/sellertest"
	"github.com/koomock/koomock/mock"
	"github.com/koomock/koomock/runner"
)

// runWorkbench runs the workbench feature against a pair and returns the result and the summary.
func runWorkbench(t *testing.T, p pair) (*runner.Result, string) {
	t.Helper()
	var out bytes.Buffer
	opts := p.opts
	opts.Output, opts.Tags, opts.Concurrency = &out, "@workbench", 3
	res, err := runner.Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return res, out.String()
}

// TestWorkbenchFeaturePassesTheReferenceSeller: the reference seller opens in the workbench, keeps its
// session by refreshing, and loses the identity provider's session when the workbench signs out, with
// no warning.
func TestWorkbenchFeaturePassesTheReferenceSeller(t *testing.T) {
	res, out := runWorkbench(t, startPair(t, nil, 0))
	if ran, failed := res.Scenarios(); res.Status != runner.ExitPassed || ran != 3 || failed != 0 {
		t.Fatalf("status %d, %d of %d scenarios failed:\n%s", res.Status, failed, ran, out)
	}
	if w := warned(res); len(w) != 0 {
		t.Errorf("warnings %v:\n%s", w, out)
	}
}

// TestWorkbenchFeatureCatchesItsVariants: each workbench variant fails the feature naming its rule (the
// Lax cookie warns, and fails under --strict), with the reason in the summary.
func TestWorkbenchFeatureCatchesItsVariants(t *testing.T) {
	for _, name := range []string{"refuses-framing", "own-login-state"} {
		t.Run(name, func(t *testing.T) {
			v, _ := sellertest.Lookup(name)
			res, out := runWorkbench(t, startPair(t, &v, 0))
			if res.Status != runner.ExitFailed || !slices.Contains(res.BrokenRules(), v.Rule) || !strings.Contains(out, "rule "+string(v.Rule)) {
				t.Fatalf("status %d, broken %v, want %s:\n%s", res.Status, res.BrokenRules(), v.Rule, out)
			}
		})
	}
	t.Run("lax-session-cookie", func(t *testing.T) {
		v, _ := sellertest.Lookup("lax-session-cookie")
		res, out := runWorkbench(t, startPairWith(t, v.Handler, mock.Config{CallbackTimeout: 500 * time.Millisecond}))
		if res.Status != runner.ExitPassed || !slices.Contains(warned(res), koomock.RuleWorkbenchCookie) ||
			!strings.Contains(out, "same site") || !strings.Contains(out, "SameSite=Lax") {
			t.Fatalf("status %d, warnings %v, want a pass with a workbench.cookie warning that explains:\n%s", res.Status, warned(res), out)
		}
		res, out = runWorkbench(t, startPairWith(t, v.Handler, mock.Config{CallbackTimeout: 500 * time.Millisecond, Strict: true}))
		if res.Status != runner.ExitFailed || !slices.Contains(res.BrokenRules(), koomock.RuleWorkbenchCookie) {
			t.Fatalf("--strict: status %d, broken %v:\n%s", res.Status, res.BrokenRules(), out)
		}
	})
}
