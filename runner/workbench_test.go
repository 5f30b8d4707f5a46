package runner_test

import (
	"bytes"
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/examples/seller/sellertest"
	"github.com/koomock/koomock/mock"
	"github.com/koomock/koomock/runner"
	"github.com/koomock/koomock/runner/browser"
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
	want := 4
	if browser.Chromium() == "" {
		want = 3 // the mobile-width scenario skips, saying why
		if !strings.Contains(out, "needs headless Chromium") {
			t.Errorf("no reason for the skipped mobile check:\n%s", out)
		}
	}
	if ran, failed := res.Scenarios(); res.Status != runner.ExitPassed || ran != want || failed != 0 {
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
		res, out := runWorkbench(t, startPairWith(t, v.Handler, mock.Config{Market: mock.MarketConfig{CallbackTimeout: 500 * time.Millisecond}}))
		if res.Status != runner.ExitPassed || !slices.Contains(warned(res), koomock.RuleWorkbenchCookie) ||
			!strings.Contains(out, "same site") || !strings.Contains(out, "SameSite=Lax") {
			t.Fatalf("status %d, warnings %v, want a pass with a workbench.cookie warning that explains:\n%s", res.Status, warned(res), out)
		}
		res, out = runWorkbench(t, startPairWith(t, v.Handler, mock.Config{Strict: true, Market: mock.MarketConfig{CallbackTimeout: 500 * time.Millisecond}}))
		if res.Status != runner.ExitFailed || !slices.Contains(res.BrokenRules(), koomock.RuleWorkbenchCookie) {
			t.Fatalf("--strict: status %d, broken %v:\n%s", res.Status, res.BrokenRules(), out)
		}
	})
}

// TestWorkbenchMobileCheckInChromium: in headless Chromium the app framed by the mobile workbench is
// measured at 375 px; a page laid out wider passes with a workbench.mobile warning. Without Chromium
// it skips, unless KOOMOCK_REQUIRE_BROWSER (CI) says one must be there.
func TestWorkbenchMobileCheckInChromium(t *testing.T) {
	if browser.Chromium() == "" {
		if os.Getenv("KOOMOCK_REQUIRE_BROWSER") != "" {
			t.Fatal("KOOMOCK_REQUIRE_BROWSER is set but no Chromium was found")
		}
		t.Skip("no headless Chromium: install chromium or set KOOMOCK_CHROMIUM")
	}
	for _, v := range sellertest.BrowserVariants {
		t.Run(v.Name, func(t *testing.T) {
			res, out := runWorkbench(t, startPair(t, &v, 0))
			if res.Status != runner.ExitPassed || !slices.Contains(warned(res), v.Rule) || !strings.Contains(out, "scrolls sideways") {
				t.Fatalf("status %d, warnings %v, want a pass with a %s warning:\n%s", res.Status, warned(res), v.Rule, out)
			}
		})
	}
}
