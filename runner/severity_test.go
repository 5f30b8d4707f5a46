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

// runAgainst runs the whole suite against a seller and returns the result and the summary.
func runAgainst(t *testing.T, p pair) (*runner.Result, string) {
	t.Helper()
	var out bytes.Buffer
	opts := p.opts
	opts.Output, opts.Concurrency = &out, 4
	res, err := runner.Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return res, out.String()
}

func warned(res *runner.Result) []koomock.Rule {
	var out []koomock.Rule
	for _, w := range res.Warnings() {
		out = append(out, w.Rule)
	}
	return out
}

// TestSampleShapedSellersAreJudgedAsKooGalleryDoes: a seller built like Huawei's official sample
// passes with warnings for what KooGallery does not enforce, fails under --strict, and the sample as
// published fails for exactly its two real defects.
func TestSampleShapedSellersAreJudgedAsKooGalleryDoes(t *testing.T) {
	for _, v := range sellertest.SampleVariants {
		t.Run(v.Name, func(t *testing.T) {
			p := startPairWith(t, v.Handler, mock.Config{Market: mock.MarketConfig{CallbackTimeout: 5 * time.Second}})
			if v.Profile != "" {
				profile, err := runner.ParseProfile(v.Profile)
				if err != nil {
					t.Fatal(err)
				}
				p.opts.Profile = profile
			}
			res, out := runAgainst(t, p)
			want := runner.ExitPassed
			if len(v.Breaks) > 0 {
				want = runner.ExitFailed
			}
			if res.Status != want {
				t.Fatalf("status %d, want %d:\n%s", res.Status, want, out)
			}
			broken := res.BrokenRules()
			slices.Sort(broken)
			wantBroken := slices.Clone(v.Breaks)
			slices.Sort(wantBroken)
			if !slices.Equal(broken, wantBroken) {
				t.Errorf("broken rules %v, want exactly %v:\n%s", broken, wantBroken, out)
			}
			for _, rule := range v.Warns {
				if !slices.Contains(warned(res), rule) {
					t.Errorf("no warning for %s (warnings %v):\n%s", rule, warned(res), out)
				}
			}
			if want == runner.ExitPassed && !strings.Contains(out, "The seller followed every required rule, with ") {
				t.Errorf("summary does not say the run passed with warnings:\n%s", out)
			}
			if !strings.Contains(out, "fix: ") || !strings.Contains(out, "--strict makes them failures") {
				t.Errorf("summary lists no warnings with their fix:\n%s", out)
			}
		})
	}
	t.Run("strict", func(t *testing.T) {
		v := sellertest.SampleVariants[0]
		res, out := runAgainst(t, startPairWith(t, v.Handler, mock.Config{Strict: true, Market: mock.MarketConfig{CallbackTimeout: 5 * time.Second}}))
		if res.Status != runner.ExitFailed {
			t.Fatalf("--strict: status %d:\n%s", res.Status, out)
		}
		for _, rule := range v.Warns {
			if !slices.Contains(res.BrokenRules(), rule) {
				t.Errorf("--strict does not fail %s (broken %v)", rule, res.BrokenRules())
			}
		}
	})
}

// TestAdvisoryVariantsWarn: each variant breaking one advisory rule passes with a warning naming it,
// and fails naming it under --strict.
func TestAdvisoryVariantsWarn(t *testing.T) {
	for _, v := range sellertest.WarnVariants {
		t.Run(v.Name, func(t *testing.T) {
			res, out := runAgainst(t, startPairWith(t, v.Handler, mock.Config{Market: mock.MarketConfig{CallbackTimeout: 5 * time.Second}}))
			if res.Status != runner.ExitPassed || !slices.Contains(warned(res), v.Rule) {
				t.Fatalf("status %d, warnings %v, want a pass warning about %s:\n%s", res.Status, warned(res), v.Rule, out)
			}
			res, out = runAgainst(t, startPairWith(t, v.Handler, mock.Config{Strict: true, Market: mock.MarketConfig{CallbackTimeout: 5 * time.Second}}))
			if res.Status != runner.ExitFailed || !slices.Contains(res.BrokenRules(), v.Rule) {
				t.Fatalf("--strict: status %d, broken %v, want %s:\n%s", res.Status, res.BrokenRules(), v.Rule, out)
			}
		})
	}
}
