package runner_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/koomock/koomock/runner"
)

// TestSuiteStaysGreenConcurrently runs the whole suite, the scripted failures included, several times
// with four scenarios at once and a random order: scenarios share nothing but koomock and the seller,
// so any leak between them shows up as a failure here. (Runs are sequential: godog sets process-wide
// environment variables.)
func TestSuiteStaysGreenConcurrently(t *testing.T) {
	// The joint profile, so the kit and login scenarios (each with its own tenant and browser) run too.
	base := startPair(t, nil, 0).opts
	for i := range 3 {
		var out bytes.Buffer
		opts := base
		opts.Output, opts.Concurrency, opts.Tags = &out, 4, "@saas,@kit,@login,@failure"
		res, err := runner.Run(context.Background(), opts)
		if err != nil {
			t.Fatal(err)
		}
		ran, failed := res.Scenarios()
		if res.Status != runner.ExitPassed || failed != 0 || ran < 25 {
			t.Fatalf("run %d (seed %d): status %d, %d of %d failed:\n%s", i, res.Seed, res.Status, failed, ran, out.String())
		}
	}
}

func TestProgressLine(t *testing.T) {
	opts := startPair(t, nil, 0).opts
	var out, prog bytes.Buffer
	// The default profile, so that some scenarios are skipped.
	opts.Profile, opts.Output, opts.Progress, opts.Concurrency = runner.Profile{}, &out, &prog, 2
	res, err := runner.Run(context.Background(), opts)
	if err != nil || res.Status != runner.ExitPassed {
		t.Fatalf("%v, %+v\n%s", err, res, out.String())
	}
	p := prog.String()
	ran, _ := res.Scenarios()
	_, _, skipped := res.Classes()
	if skipped == 0 || !strings.Contains(p, fmt.Sprintf("\r\x1b[Kkoomock: %d scenarios done, 0 failed, %d skipped, ", ran+skipped, skipped)) {
		t.Errorf("progress line never reached the end of the run: %q", p)
	}
	if !strings.HasSuffix(p, "\r\x1b[K") {
		t.Errorf("the progress line is not erased at the end: %q", p[max(0, len(p)-80):])
	}
	if strings.Contains(out.String(), "koomock: ") && strings.Contains(out.String(), "scenarios done") {
		t.Error("the progress line leaked into the report")
	}
}
