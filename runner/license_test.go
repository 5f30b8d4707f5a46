package runner_test

import (
	"bytes"
	"context"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/examples/licenseclient/clienttest"
	"github.com/koomock/koomock/examples/seller/sellertest"
	"github.com/koomock/koomock/runner"
)

// Tag filters of the License 2.0 scenarios.
const (
	clientScenarios   = "@licenseActivate,@licenseHeartbeat,@licenseUsage,@license && @failure"
	callbackScenarios = "@refreshLicenseCode,@updateLicenseCodeStatus,@releaseLicenseCode"
)

// referenceLicenseClient is a license client's command line run in-process, with a short timeout so
// the slow-gateway scenario waits little.
func referenceLicenseClient(main func(context.Context, []string, func(string) string, io.Writer, io.Writer) int) runner.LicenseClient {
	return runner.ClientFunc{Name: "license client", Main: func(ctx context.Context, getenv func(string) string, stdout, stderr io.Writer) int {
		// 1 s as in verify, not the 10 s default: the latency scenarios wait for it, and the tests'
		// ClientWait (2 s) must outlast it; 300 ms failed a correct client on a loaded machine.
		return main(ctx, []string{"--timeout", "1s"}, getenv, stdout, stderr)
	}}
}

func TestLicenseScenariosPassAgainstTheReferences(t *testing.T) {
	opts := startPair(t, nil, 0).opts
	for tags, want := range map[string]int{"@license": 17, "@license && @failure": 2} {
		var out bytes.Buffer
		opts.Output, opts.Tags, opts.Concurrency = &out, tags, 4
		res, err := runner.Run(context.Background(), opts)
		if err != nil {
			t.Fatal(err)
		}
		ran, failed := res.Scenarios()
		if _, _, skipped := res.Classes(); res.Status != runner.ExitPassed || failed != 0 || skipped != 0 || ran != want || res.OptionalFailed() != 0 {
			t.Fatalf("%s: status %d, %d of %d failed, %d skipped:\n%s", tags, res.Status, failed, ran, skipped, out.String())
		}
	}
}

// brokenRules returns the rules broken in required and optional scenarios alike.
func brokenRules(res *runner.Result) []koomock.Rule {
	var out []koomock.Rule
	for _, f := range res.Failures() {
		for _, v := range f.Rules {
			out = append(out, v.Rule)
		}
	}
	return out
}

// TestLicenseScenariosCatchBrokenClients proves every client check can fail: the client scenarios
// (the scripted failures included) fail against each broken client, naming its rule.
func TestLicenseScenariosCatchBrokenClients(t *testing.T) {
	for _, v := range clienttest.Variants {
		t.Run(v.Name, func(t *testing.T) {
			opts := startPair(t, nil, 0).opts
			var out bytes.Buffer
			opts.Output, opts.Tags, opts.Concurrency = &out, clientScenarios, 4
			opts.LicenseClient, opts.ClientWait = referenceLicenseClient(v.Run), 2*time.Second
			res, err := runner.Run(context.Background(), opts)
			if err != nil {
				t.Fatal(err)
			}
			// The usage statistics are optional (@optional): a failure there is reported, not failing.
			want := runner.ExitFailed
			if v.Rule == koomock.RuleLicenseUsage {
				want = runner.ExitPassed
			}
			if res.Status != want || !slices.Contains(brokenRules(res), v.Rule) {
				t.Fatalf("status %d, broken rules %v; want %d naming %s:\n%s", res.Status, brokenRules(res), want, v.Rule, out.String())
			}
			if !strings.Contains(out.String(), "rule "+string(v.Rule)) {
				t.Errorf("the summary does not name %s:\n%s", v.Rule, out.String())
			}
		})
	}
}

// TestLicenseScenariosCatchBrokenSellers: the callback scenarios fail against each seller whose
// license callbacks are broken, naming its rule.
func TestLicenseScenariosCatchBrokenSellers(t *testing.T) {
	for _, v := range sellertest.LicenseVariants {
		t.Run(v.Name, func(t *testing.T) {
			opts := startPair(t, &v, 0).opts
			var out bytes.Buffer
			opts.Output, opts.Tags, opts.Concurrency = &out, callbackScenarios, 4
			res, err := runner.Run(context.Background(), opts)
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != runner.ExitFailed || !slices.Contains(res.BrokenRules(), v.Rule) {
				t.Fatalf("status %d, broken rules %v; want %d naming %s:\n%s", res.Status, res.BrokenRules(), runner.ExitFailed, v.Rule, out.String())
			}
		})
	}
}

// TestLicenseScenariosSkipWithTheirReasons: a SaaS profile skips every license scenario; a License
// profile without a license client skips the client scenarios and runs the callbacks.
func TestLicenseScenariosSkipWithTheirReasons(t *testing.T) {
	p := startPair(t, nil, 0)
	saas, err := runner.ParseProfile("saas")
	if err != nil {
		t.Fatal(err)
	}
	license, err := runner.ParseProfile("license")
	if err != nil {
		t.Fatal(err)
	}
	noClient := func(setting string) bool { return setting != "license-client-cmd" }
	for _, tc := range []struct {
		name    string
		profile runner.Profile
		have    runner.Have
		client  bool
		ran     int
		reason  string
	}{
		{"saas seller", saas, nil, true, 0, "License products"},
		{"license seller without a client", license, noClient, false, 9, "--license-client-cmd"},
		{"library use without a client", license, nil, false, 9, "--license-client-cmd"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := p.opts
			var out bytes.Buffer
			opts.Output, opts.Tags, opts.Profile, opts.Have, opts.Concurrency = &out, "@license", tc.profile, tc.have, 4
			if !tc.client {
				opts.LicenseClient = nil
			}
			res, err := runner.Run(context.Background(), opts)
			if err != nil {
				t.Fatal(err)
			}
			_, _, skipped := res.Classes()
			ran, _ := res.Scenarios()
			if res.Status != runner.ExitPassed || ran != tc.ran || ran+skipped != 17 || !strings.Contains(out.String(), tc.reason) {
				t.Fatalf("status %d, %d ran, %d skipped, want %d run and %q:\n%s", res.Status, ran, skipped, tc.ran, tc.reason, out.String())
			}
		})
	}
}

// TestTheClientContractThroughAShellCommand runs the client scenarios with a license client that is a
// shell command: a script that trusts every code it gets in {code} and KOOMOCK_LICENSE_CODE without
// asking KooGallery. The contract works (koomock reads its decision), and the checks fail, naming the
// rule. A command that cannot run is a harness error.
func TestTheClientContractThroughAShellCommand(t *testing.T) {
	opts := startPair(t, nil, 0).opts
	script := `test "$KOOMOCK_LICENSE_CODE" = {code} && test -d "$KOOMOCK_STATE_DIR" && test -n "$KOOMOCK_URL$KOOMOCK_AK$KOOMOCK_SK" && echo "` + runner.MarkerOK + ` trusting $KOOMOCK_LICENSE_CODE"`
	var out bytes.Buffer
	opts.Output, opts.Tags, opts.LicenseClient = &out, "@licenseActivate", runner.Command(script)
	res, err := runner.Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != runner.ExitFailed || !slices.Contains(res.BrokenRules(), koomock.RuleLicenseActivates) ||
		!strings.Contains(out.String(), "printed its decision") {
		t.Fatalf("status %d, rules %v:\n%s", res.Status, res.BrokenRules(), out.String())
	}
	opts.LicenseClient = runner.Command("no-such-license-client-program {code}")
	res, err = runner.Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != runner.ExitHarness {
		t.Errorf("a command that cannot run: status %d, want %d (harness)", res.Status, runner.ExitHarness)
	}
}
