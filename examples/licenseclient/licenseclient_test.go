package licenseclient_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/examples/licenseclient"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/mock"
	"github.com/koomock/koomock/mock/license"
)

func startKoomock(t *testing.T) (*mock.Server, *controlapi.Client) {
	t.Helper()
	srv, err := mock.New(mock.Config{Addr: "127.0.0.1:0", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv, &controlapi.Client{BaseURL: srv.URL()}
}

// run runs the client's command line once against koomock and returns its exit code and output.
func run(t *testing.T, srv *mock.Server, code, stateDir string, args ...string) (int, string) {
	t.Helper()
	env := map[string]string{
		"KOOMOCK_URL": srv.URL(), "KOOMOCK_AK": fixtures.DemoAK, "KOOMOCK_SK": fixtures.DemoSK,
		"KOOMOCK_LICENSE_CODE": code, "KOOMOCK_STATE_DIR": stateDir,
	}
	var out bytes.Buffer
	exit := licenseclient.Main(context.Background(), args, func(k string) string { return env[k] }, &out, &out)
	return exit, out.String()
}

func TestTheClientRunsWithAValidCodeAndBlocksOtherwise(t *testing.T) {
	srv, api := startKoomock(t)
	ctx := context.Background()
	newCode := func() string {
		out, err := api.TestCodes(ctx, controlapi.TestCodesRequest{})
		if err != nil {
			t.Fatal(err)
		}
		return out.Codes[0].Code
	}
	for _, v2 := range []bool{false, true} {
		dir := t.TempDir()
		code := newCode()
		var args []string
		if v2 {
			args = []string{"--v2"}
		}
		exit, out := run(t, srv, code, dir, args...)
		if exit != licenseclient.ExitRunning || !strings.Contains(out, licenseclient.MarkerOK) {
			t.Fatalf("v2=%v valid code: exit %d, %s", v2, exit, out)
		}
		d, _ := api.LicenseCode(ctx, code)
		if !d.Code.Activated || !d.Code.HeartbeatSeen || !d.Code.UsageSeen {
			t.Errorf("v2=%v: koomock saw %+v", v2, d.Code)
		}
		// The next day's start remembers the activation: no second activation, another heartbeat.
		if exit, out := run(t, srv, code, dir, args...); exit != 0 {
			t.Fatalf("v2=%v second start: exit %d, %s", v2, exit, out)
		}
		// A fresh installation finds the code activated elsewhere.
		if exit, out := run(t, srv, code, t.TempDir(), args...); exit != licenseclient.ExitBlocked || !strings.Contains(out, "another installation") {
			t.Errorf("v2=%v code activated elsewhere: exit %d, %s", v2, exit, out)
		}
	}

	expired := newCode()
	dir := t.TempDir()
	run(t, srv, expired, dir)
	if _, err := api.LicenseAction(ctx, expired, "expire", nil); err != nil {
		t.Fatal(err)
	}
	released, releasedDir := newCode(), t.TempDir()
	run(t, srv, released, releasedDir)
	if _, err := api.LicenseAction(ctx, released, "release", nil); err != nil {
		t.Fatal(err)
	}
	refused, failing, slow := newCode(), newCode(), newCode()
	for _, f := range []koomock.Fault{
		{Name: license.FaultGatewayError, Target: refused, Value: "401"},
		{Name: license.FaultGatewayError, Target: failing, Value: "502"},
		{Name: license.FaultGatewayLatency, Target: slow},
	} {
		if _, err := api.SetFault(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name, code, dir, reason string
	}{
		{"expired", expired, dir, "expired"},
		{"released", released, releasedDir, "released"},
		{"unknown", "PLNOSUCHCODE", "", "no such license code"},
		{"gateway 401", refused, "", "refused the software's credentials"},
		{"gateway 502", failing, "", "APIG.0202"},
		{"gateway slower than the timeout", slow, "", "no answer in time"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.dir == "" {
				tc.dir = t.TempDir()
			}
			exit, out := run(t, srv, tc.code, tc.dir, "--timeout", "100ms")
			if exit != licenseclient.ExitBlocked || !strings.Contains(out, licenseclient.MarkerBlocked) || !strings.Contains(out, tc.reason) {
				t.Errorf("exit %d, %q; want blocked because %q", exit, out, tc.reason)
			}
		})
	}
}

func TestWatchChecksAtEveryTick(t *testing.T) {
	srv, api := startKoomock(t)
	ctx := context.Background()
	out, err := api.TestCodes(ctx, controlapi.TestCodesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	code := out.Codes[0].Code
	g := &licenseclient.Guard{Client: licenseclient.New(licenseclient.Config{
		BaseURL: srv.URL(), AK: fixtures.DemoAK, SK: fixtures.DemoSK, Code: code, Timeout: time.Second})}
	ticks := make(chan time.Time)
	done := make(chan licenseclient.Decision)
	var decisions []licenseclient.Decision
	go func() {
		done <- g.Watch(ctx, ticks, func(d licenseclient.Decision) { decisions = append(decisions, d) })
	}()
	ticks <- time.Now() // the second day: still valid
	if _, err := api.LicenseAction(ctx, code, "expire", nil); err != nil {
		t.Fatal(err)
	}
	ticks <- time.Now() // the third day: expired
	d := <-done
	if d.Allowed || len(decisions) != 3 || !decisions[0].Allowed || !decisions[1].Allowed {
		t.Errorf("decisions = %+v", decisions)
	}
}

func TestUsageErrors(t *testing.T) {
	if exit := licenseclient.Main(context.Background(), nil, func(string) string { return "" }, &bytes.Buffer{}, &bytes.Buffer{}); exit != licenseclient.ExitUsage {
		t.Errorf("no configuration: exit %d", exit)
	}
}
