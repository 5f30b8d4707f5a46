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
	"github.com/koomock/koomock/mock/mocktest"
)

func startKoomock(t *testing.T) (*mock.Server, *controlapi.Client) {
	t.Helper()
	m := mocktest.New(t, mocktest.Options{NoSeller: true, RealClock: true, Config: func(c *mock.Config) {
		c.Logger = slog.New(slog.DiscardHandler)
	}})
	return m.Server, m.API
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
	// A generous timeout: under the race detector on a loaded machine a check can take a while, and a
	// timed-out check would block the software, which is not what this test is about.
	g := &licenseclient.Guard{Client: licenseclient.New(licenseclient.Config{
		BaseURL: srv.URL(), AK: fixtures.DemoAK, SK: fixtures.DemoSK, Code: code, Timeout: 30 * time.Second})}
	ticks := make(chan time.Time)
	reports := make(chan licenseclient.Decision, 3)
	done := make(chan licenseclient.Decision, 1)
	go func() {
		done <- g.Watch(ctx, ticks, func(d licenseclient.Decision) { reports <- d })
	}()
	// Each day's check is awaited before the next step, so the code is expired between two checks,
	// never during one.
	next := func(day string, tick bool) licenseclient.Decision {
		t.Helper()
		if tick {
			select {
			case ticks <- time.Now():
			case d := <-done:
				t.Fatalf("Watch stopped before the %s day's check: %+v", day, d)
			}
		}
		return <-reports
	}
	if d := next("first", false); !d.Allowed {
		t.Fatalf("first day: %+v", d)
	}
	if d := next("second", true); !d.Allowed {
		t.Fatalf("second day: %+v", d)
	}
	if _, err := api.LicenseAction(ctx, code, "expire", nil); err != nil {
		t.Fatal(err)
	}
	if d := next("third", true); d.Allowed || !strings.Contains(d.Reason, "expired") {
		t.Errorf("third day, after expiry: %+v", d)
	}
	if d := <-done; d.Allowed {
		t.Errorf("Watch ended allowing the software: %+v", d)
	}
}

func TestUsageErrors(t *testing.T) {
	if exit := licenseclient.Main(context.Background(), nil, func(string) string { return "" }, &bytes.Buffer{}, &bytes.Buffer{}); exit != licenseclient.ExitUsage {
		t.Errorf("no configuration: exit %d", exit)
	}
}
