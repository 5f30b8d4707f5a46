package runner_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/examples/licenseclient"
	"github.com/koomock/koomock/examples/licenseclient/clienttest"
	"github.com/koomock/koomock/examples/seller/sellertest"
	"github.com/koomock/koomock/mock"
	"github.com/koomock/koomock/runner"
)

// Tag filters of the two License 2.0 features.
const (
	clientScenarios   = "@licenseActivate,@licenseHeartbeat,@licenseUsage"
	callbackScenarios = "@refreshLicenseCode,@updateLicenseCodeStatus,@releaseLicenseCode"
)

// startLicenseMock starts koomock with the seller (the reference one when v is nil) also serving the
// license production URL.
func startLicenseMock(t testing.TB, v *sellertest.Variant) *mock.Server {
	t.Helper()
	sellerURL := startSeller(t, v)
	cfg := mock.Config{Addr: "127.0.0.1:0", SellerURL: sellerURL,
		Logger: slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelError}))}
	cfg.License.URL = sellerURL
	srv, err := mock.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// referenceClient is the bundled client in-process, with a short timeout so the slow-gateway scenario
// waits little.
func referenceClient(main func(context.Context, []string, func(string) string, io.Writer, io.Writer) int) runner.LicenseClient {
	return runner.ClientFunc{Name: "reference license client", Main: func(ctx context.Context, getenv func(string) string, stdout, stderr io.Writer) int {
		return main(ctx, []string{"--timeout", "300ms"}, getenv, stdout, stderr)
	}}
}

func TestLicenseFeaturesPassAgainstTheReferences(t *testing.T) {
	m := startLicenseMock(t, nil)
	var out bytes.Buffer
	res, err := runner.Run(context.Background(), runner.Options{MockURL: m.URL(), Output: &out, Tags: "@license",
		Concurrency: 4, LicenseClient: referenceClient(licenseclient.Main)})
	if err != nil {
		t.Fatal(err)
	}
	ran, failed := res.Scenarios()
	if skipped, _ := res.Skipped(); res.Status != runner.ExitPassed || failed != 0 || skipped != 0 || ran != 19 {
		t.Fatalf("status %d, %d of %d failed, %d skipped:\n%s", res.Status, failed, ran, skipped, out.String())
	}
}

// TestLicenseScenariosCatchBrokenClients proves every client check can fail: the client scenarios
// fail against each broken client, naming its rule.
func TestLicenseScenariosCatchBrokenClients(t *testing.T) {
	for _, v := range clienttest.Variants {
		t.Run(v.Name, func(t *testing.T) {
			m := startLicenseMock(t, nil)
			var out bytes.Buffer
			res, err := runner.Run(context.Background(), runner.Options{MockURL: m.URL(), Output: &out, Tags: clientScenarios,
				Concurrency: 4, LicenseClient: referenceClient(v.Run), ClientWait: 2 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != runner.ExitFailed || !slices.Contains(res.BrokenRules(), v.Rule) {
				t.Fatalf("status %d, broken rules %v; want %d naming %s:\n%s", res.Status, res.BrokenRules(), runner.ExitFailed, v.Rule, out.String())
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
			m := startLicenseMock(t, &v)
			var out bytes.Buffer
			res, err := runner.Run(context.Background(), runner.Options{MockURL: m.URL(), Output: &out, Tags: callbackScenarios, Concurrency: 4})
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != runner.ExitFailed || !slices.Contains(res.BrokenRules(), v.Rule) {
				t.Fatalf("status %d, broken rules %v; want %d naming %s:\n%s", res.Status, res.BrokenRules(), runner.ExitFailed, v.Rule, out.String())
			}
		})
	}
}

// TestAPlainSaaSSellerIsNeverFailedOnLicenseScenarios: without a license client or license URL, the
// license scenarios are skipped with their reasons, and the run passes.
func TestAPlainSaaSSellerIsNeverFailedOnLicenseScenarios(t *testing.T) {
	m := startMock(t, startSeller(t, nil), 0)
	var out bytes.Buffer
	res, err := runner.Run(context.Background(), runner.Options{MockURL: m.URL(), Output: &out, Concurrency: 4})
	if err != nil {
		t.Fatal(err)
	}
	skipped, reasons := res.Skipped()
	if res.Status != runner.ExitPassed || skipped != 19 {
		t.Fatalf("status %d, %d skipped:\n%s", res.Status, skipped, out.String())
	}
	text := out.String()
	for _, want := range []string{"19 skipped", "--license-client-cmd", "--license-url"} {
		if !strings.Contains(text, want) {
			t.Errorf("summary lacks %q:\n%s", want, text)
		}
	}
	if len(reasons) != skipped {
		t.Errorf("reasons = %v", reasons)
	}
}

// TestTheClientContractThroughAShellCommand runs the client scenarios with a license client that is a
// shell command: a script that decides from the code it gets in {code} and KOOMOCK_LICENSE_CODE.
func TestTheClientContractThroughAShellCommand(t *testing.T) {
	m := startLicenseMock(t, nil)
	// This "client" never calls KooGallery: it prints the OK marker for every code. The contract works
	// (koomock reads its decision), and the checks fail, naming the rule.
	script := `test "$KOOMOCK_LICENSE_CODE" = {code} && test -d "$KOOMOCK_STATE_DIR" && test -n "$KOOMOCK_URL$KOOMOCK_AK$KOOMOCK_SK" && echo "` + runner.MarkerOK + ` trusting $KOOMOCK_LICENSE_CODE"`
	var out bytes.Buffer
	res, err := runner.Run(context.Background(), runner.Options{MockURL: m.URL(), Output: &out, Tags: "@licenseActivate && ~@failure",
		LicenseClient: runner.Command(script)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != runner.ExitFailed || !slices.Contains(res.BrokenRules(), koomock.RuleLicenseActivates) ||
		!strings.Contains(out.String(), "printed its decision") {
		t.Fatalf("status %d, rules %v:\n%s", res.Status, res.BrokenRules(), out.String())
	}
	res, err = runner.Run(context.Background(), runner.Options{MockURL: m.URL(), Output: &out, Tags: "@licenseActivate && ~@failure",
		LicenseClient: runner.Command("no-such-license-client-program {code}")})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != runner.ExitHarness {
		t.Errorf("a command that cannot run: status %d, want %d (harness)", res.Status, runner.ExitHarness)
	}
}
