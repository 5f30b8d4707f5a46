package runner_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/koomock/koomock/examples/seller"
	"github.com/koomock/koomock/examples/seller/sellertest"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/mock"
	"github.com/koomock/koomock/runner"
)

// startMock starts koomock in-process, pointed at sellerURL.
func startMock(t testing.TB, sellerURL string, timeout time.Duration) *mock.Server {
	t.Helper()
	logger := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelError}))
	srv, err := mock.New(mock.Config{Addr: "127.0.0.1:0", SellerURL: sellerURL, CallbackTimeout: timeout, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// startPair starts the reference seller (or a broken variant of it) and koomock pointed at each
// other: the seller's listener first, because koomock needs its URL, then its handler, which needs
// koomock's URL for the order query and the usage push.
func startPair(t testing.TB, v *sellertest.Variant, timeout time.Duration) *mock.Server {
	t.Helper()
	ref := httptest.NewUnstartedServer(nil)
	t.Cleanup(ref.Close)
	m := startMock(t, "http://"+ref.Listener.Addr().String()+seller.ProducePath, timeout)
	cfg := seller.Config{AccessKey: fixtures.DemoAccessKey, MarketplaceURL: m.URL(), AK: fixtures.DemoAK, SK: fixtures.DemoSK}
	var h http.Handler = seller.New(cfg)
	if v != nil {
		h = v.Handler(cfg)
	}
	ref.Config.Handler = h
	ref.Start()
	return m
}

// referenceProfile is everything the reference seller implements: every scenario of the suite runs.
var referenceProfile = func() runner.Profile {
	p, err := runner.ParseProfile("saas,period,onetime,ondemand,package,trial,async,upgrade,changeCheck")
	if err != nil {
		panic(err)
	}
	return p
}()

// TestFeatures runs the whole embedded suite against the reference seller, each scenario as a subtest
// (go test -run 'TestFeatures/<scenario>' runs one).
func TestFeatures(t *testing.T) {
	m := startPair(t, nil, 0)
	var out bytes.Buffer
	res, err := runner.Run(context.Background(), runner.Options{MockURL: m.URL(), Output: &out, TestingT: t, Concurrency: 4, Profile: referenceProfile})
	if err != nil {
		t.Fatal(err)
	}
	ran, failed := res.Scenarios()
	if res.Status != runner.ExitPassed || failed != 0 || ran < 8 {
		t.Fatalf("status %d, %d of %d scenarios failed:\n%s", res.Status, failed, ran, out.String())
	}
	if !strings.Contains(out.String(), "The seller followed every rule checked.") {
		t.Errorf("summary missing:\n%s", out.String())
	}
}

// TestSuiteCatchesBrokenSellers proves every check can fail: the suite fails against each broken
// variant of the reference seller, naming the rule the variant breaks.
func TestSuiteCatchesBrokenSellers(t *testing.T) {
	for _, v := range sellertest.Variants {
		t.Run(v.Name, func(t *testing.T) {
			// A variant that never answers sets a short timeout, which keeps the test fast without sleeping.
			timeout := 500 * time.Millisecond
			if v.Timeout != 0 {
				timeout = v.Timeout
			}
			m := startPair(t, &v, timeout)
			var out bytes.Buffer
			res, err := runner.Run(context.Background(), runner.Options{MockURL: m.URL(), Output: &out, Concurrency: 4, Profile: referenceProfile})
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != runner.ExitFailed {
				t.Fatalf("status %d, want %d (seller broke a rule):\n%s", res.Status, runner.ExitFailed, out.String())
			}
			if !slices.Contains(res.BrokenRules(), v.Rule) {
				t.Errorf("broken rules %v do not include %s:\n%s", res.BrokenRules(), v.Rule, out.String())
			}
			if !strings.Contains(out.String(), v.Says) {
				t.Errorf("summary does not say %q:\n%s", v.Says, out.String())
			}
			if !strings.Contains(out.String(), "rule "+string(v.Rule)) {
				t.Errorf("summary does not name rule %s:\n%s", v.Rule, out.String())
			}
			// A callback koomock sent can be reproduced with curl; a request the seller sent (request.*
			// rules) is shown as it arrived.
			if !strings.HasPrefix(string(v.Rule), "request.") && !strings.Contains(out.String(), "curl -sS") {
				t.Errorf("summary has no reproduction for rule %s:\n%s", v.Rule, out.String())
			}
		})
	}
}

func TestRejectsBadTagsAndUnreachableMock(t *testing.T) {
	m := startPair(t, nil, 0)
	for _, tags := range []string{"@saas,", "@saas && ", "not @slow", "(@a)"} {
		_, err := runner.Run(context.Background(), runner.Options{MockURL: m.URL(), Tags: tags, Output: &bytes.Buffer{}})
		if err == nil || !strings.Contains(err.Error(), "&&") {
			t.Errorf("tags %q: err = %v, want a usage error with a syntax hint", tags, err)
		}
	}
	_, err := runner.Run(context.Background(), runner.Options{MockURL: "http://127.0.0.1:1", Output: &bytes.Buffer{}})
	if err == nil || !strings.Contains(err.Error(), "not reachable") {
		t.Errorf("unreachable koomock: err = %v", err)
	}
}

func TestTagsSelectScenarios(t *testing.T) {
	m := startPair(t, nil, 0)
	res, err := runner.Run(context.Background(), runner.Options{MockURL: m.URL(), Tags: "@nosuchtag", Output: &bytes.Buffer{}})
	if err != nil {
		t.Fatal(err)
	}
	if ran, _ := res.Scenarios(); ran != 0 {
		t.Errorf("ran %d scenarios for an unused tag", ran)
	}
}

// startMockB starts koomock and the reference seller for a benchmark and returns koomock's URL.
func startMockB(b *testing.B) string {
	return startPair(b, nil, 0).URL()
}
