package runner_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/examples/seller/sellertest"
	"github.com/koomock/koomock/mock"
	"github.com/koomock/koomock/runner"
)

// TestSummaryGroupsFailuresByRule: the official sample as published answers 000000 for instances it
// never created, in five scenarios. The summary lists that rule once, with the five scenarios and
// one reproduction; godog's progress does not list the failed steps again; the tally is the last line
// but the verdict; and nothing is coloured off a terminal.
func TestSummaryGroupsFailuresByRule(t *testing.T) {
	v := sellertest.SampleVariants[1]
	p := startPairWith(t, v.Handler, mock.Config{Market: mock.MarketConfig{CallbackTimeout: 5 * time.Second}})
	profile, err := runner.ParseProfile(v.Profile)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	p.opts.Profile, p.opts.Output, p.opts.Concurrency, p.opts.Seed = profile, &buf, 4, 11
	res, err := runner.Run(context.Background(), p.opts)
	if err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	t.Log(out)
	if res.Status != runner.ExitFailed {
		t.Fatalf("status %d", res.Status)
	}
	unknown := 0
	for _, f := range res.Failures() {
		for _, r := range f.Rules {
			if r.Rule == koomock.RuleUnknownInstance {
				unknown++
			}
		}
	}
	if unknown < 2 {
		t.Fatalf("%s broken in %d scenarios; the test needs a rule broken in several", koomock.RuleUnknownInstance, unknown)
	}
	head := "FAILED  " + string(koomock.RuleUnknownInstance) + "  (in "
	if n := strings.Count(out, head); n != 1 {
		t.Errorf("%q appears %d times, want once", head, n)
	}
	if n := strings.Count(out, "rule "+string(koomock.RuleUnknownInstance)+" at "); n != 1 {
		t.Errorf("the rule's message is printed %d times, want once (the scenarios share it)", n)
	}
	groups := strings.Count(out, "\nFAILED  ")
	if n := strings.Count(out, "curl -sS"); n == 0 || n > groups {
		t.Errorf("%d reproductions for %d groups of failures, want one per group", n, groups)
	}
	if strings.Contains(out, "--- Failed steps:") || strings.Contains(out, "\x1b[") {
		t.Error("godog's progress lists the failed steps again, or the summary is coloured off a terminal")
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 2 || !strings.HasPrefix(lines[len(lines)-2], "koomock verify: ") || !strings.HasPrefix(lines[len(lines)-1], "The seller broke: ") {
		t.Errorf("the summary does not end with the tally and the verdict: %q", lines[max(0, len(lines)-2):])
	}
}
