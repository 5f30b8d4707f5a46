package runner_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/koomock/koomock/examples/seller/sellertest"
	"github.com/koomock/koomock/runner"
)

// loginFailures is the tag filter of the scripted login failures.
const loginFailures = "@failure && @login"

func TestLoginFailuresPassAgainstTheReference(t *testing.T) {
	opts := startPair(t, nil, 0).opts
	var out bytes.Buffer
	opts.Output, opts.Tags, opts.Concurrency = &out, loginFailures, 4
	res, err := runner.Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	ran, failed := res.Scenarios()
	if _, _, skipped := res.Classes(); res.Status != runner.ExitPassed || failed != 0 || skipped != 0 || ran != 4 {
		t.Fatalf("status %d, %d of %d failed, %d skipped:\n%s", res.Status, failed, ran, skipped, out.String())
	}
}

// TestLoginFailuresCatchBrokenSellers proves the login failure checks can fail: the scripted login
// failures fail against each seller that mishandles a refused token, naming its rule and saying what
// it did.
func TestLoginFailuresCatchBrokenSellers(t *testing.T) {
	for _, v := range sellertest.LoginFailureVariants {
		t.Run(v.Name, func(t *testing.T) {
			opts := startPair(t, &v, 0).opts
			var out bytes.Buffer
			opts.Output, opts.Tags, opts.Concurrency = &out, loginFailures, 4
			res, err := runner.Run(context.Background(), opts)
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != runner.ExitFailed || !slices.Contains(res.BrokenRules(), v.Rule) {
				t.Fatalf("status %d, broken rules %v; want %d naming %s:\n%s", res.Status, res.BrokenRules(), runner.ExitFailed, v.Rule, out.String())
			}
			if !strings.Contains(out.String(), "rule "+string(v.Rule)) || !strings.Contains(out.String(), v.Says) {
				t.Errorf("the summary does not name rule %s and say %q:\n%s", v.Rule, v.Says, out.String())
			}
		})
	}
}
