package main

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/examples/seller"
)

// startServe runs `koomock serve` in-process until the returned stop is called, and returns its
// control API client and its output. It watches the output as it is written until the banner names
// the listen URL, so nothing waits on a timer; the banner is written in one call, so all of it is in
// the output by then.
func startServe(t *testing.T, args ...string) (*controlapi.Client, *syncBuffer, func() int) {
	t.Helper()
	return startServeEnv(t, nil, args...)
}

// startServeEnv is startServe with KOOMOCK_* variables.
func startServeEnv(t *testing.T, vars map[string]string, args ...string) (*controlapi.Client, *syncBuffer, func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{}
	re := regexp.MustCompile(`(?:listening on|监听地址) +(http://\S+)`)
	found := make(chan string, 1)
	w := writerFunc(func(p []byte) (int, error) {
		out.Write(p)
		if m := re.FindSubmatch(p); m != nil {
			select {
			case found <- string(m[1]):
			default:
			}
		}
		return len(p), nil
	})
	done := make(chan int, 1)
	go func() {
		code, _, errOut := cliCtx(ctx, t, vars, &syncBuffer{}, w, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
		if code != exitOK {
			t.Logf("serve stderr:\n%s", errOut)
		}
		done <- code
	}()
	var base string
	select {
	case base = <-found:
	case code := <-done:
		cancel()
		t.Fatalf("serve exited with %d before listening:\n%s", code, out.String())
	}
	stop := func() int {
		cancel()
		return <-done
	}
	return &controlapi.Client{BaseURL: base}, out, stop
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

func TestServeKeepsOrdersAcrossRestarts(t *testing.T) {
	sellerURL := referenceSeller(t, nil)
	db := filepath.Join(t.TempDir(), "koomock.db")
	ctx := context.Background()

	api, out, stop := startServe(t, "--db", db, "--seller-url", sellerURL)
	if !strings.Contains(out.String(), "koomock-demo-access-key") {
		t.Errorf("the banner does not show the demo key to paste into the seller:\n%s", out)
	}
	p, err := api.Buy(ctx, controlapi.BuyRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Exchange == nil || p.Exchange.Failed() || p.Instance == nil {
		t.Fatalf("purchase against the reference seller: %+v", p)
	}
	if code := stop(); code != exitOK {
		t.Fatalf("serve exited with %d", code)
	}

	api, _, stop = startServe(t, "--db", db, "--seller-url", sellerURL)
	defer stop()
	again, err := api.Order(ctx, p.Order.ID)
	if err != nil {
		t.Fatalf("order lost across restart: %v", err)
	}
	if again.Order.Status != koomock.OrderDelivered || again.Instance == nil || again.Instance.ID != p.Instance.ID {
		t.Errorf("after restart: %+v", again)
	}
	journal, err := api.Exchanges(ctx, koomock.ExchangeFilter{OrderID: p.Order.ID})
	if err != nil || len(journal) != 1 || journal[0].ID != p.Exchange.ID {
		t.Errorf("journal after restart: %+v, %v", journal, err)
	}
}

func TestServeMasksAUsersOwnKey(t *testing.T) {
	_, out, stop := startServe(t, "--db", ":memory:", "--access-key", "my-very-secret-key", "--seller-url", "http://127.0.0.1:1"+seller.ProducePath)
	defer stop()
	if strings.Contains(out.String(), "my-very-secret-key") || !strings.Contains(out.String(), "<key:18 chars>") {
		t.Errorf("banner shows the user's key or no mask:\n%s", out)
	}
}

func TestServeUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"serve", "--seller-url", "not a url", "--db", ":memory:"},
		{"serve", "--log-level", "loud", "--db", ":memory:"},
		{"serve", "--addr", "256.0.0.1:99999", "--db", ":memory:"},
		{"serve", "extra"},
	} {
		if code, _, errOut := cli(t, nil, args...); code != exitUsage || strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
			t.Errorf("%v: exit %d, stderr %q; want one line and exit 2", args, code, errOut)
		}
	}
}

// TestServeMarketFlags: each switch for what the spec leaves uncertain reaches koomock, from a flag or
// its KOOMOCK_* variable.
func TestServeMarketFlags(t *testing.T) {
	api, _, stop := startServe(t, "--db", ":memory:", "--retry-every", "30m", "--retry-create-for", "2h", "--retry-other-for", "90m",
		"--async-poll-every", "1m", "--test-flag-zero", "--product-info-string", "--expire-time-digits", "17",
		"--strict-usage-info", "--usage-push-apig")
	defer stop()
	s, err := api.Settings(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := controlapi.MarketSettings{RetryEvery: "30m0s", RetryCreateFor: "2h0m0s", RetryOtherFor: "1h30m0s", AsyncPollEvery: "1m0s",
		FreezeFor: "360h0m0s", TestFlagZero: true, ProductInfoString: true, ExpireTimeDigits: 17, StrictUsageInfo: true, UsagePushAPIG: true}
	if s.Market != want {
		t.Errorf("market settings %+v, want %+v", s.Market, want)
	}
	if code, _, errOut := cli(t, map[string]string{"KOOMOCK_EXPIRE_TIME_DIGITS": "15"}, "serve", "--db", ":memory:"); code != exitUsage || !strings.Contains(errOut, "14 or 17") {
		t.Errorf("KOOMOCK_EXPIRE_TIME_DIGITS=15: exit %d, %s", code, errOut)
	}
}

func TestServeWithAnAdminTokenFromTheEnvironment(t *testing.T) {
	const token = "token-from-the-environment"
	ctx := context.Background()
	api, out, stop := startServeEnv(t, map[string]string{"KOOMOCK_ADMIN_TOKEN": token}, "--addr", "0.0.0.0:0", "--public-url", "http://localhost:8080", "--db", ":memory:")
	defer stop()
	if strings.Contains(out.String(), token) {
		t.Errorf("the banner shows the admin token:\n%s", out)
	}
	if !strings.Contains(out.String(), "admin token      set") || !strings.Contains(out.String(), "console          http://") {
		t.Errorf("the banner does not point at the console or mention the token:\n%s", out)
	}
	if _, err := api.Settings(ctx); controlapi.ErrorCode(err) != controlapi.CodeUnauthorized {
		t.Errorf("the control API without the token: %v", err)
	}
	api.Token = token
	if _, err := api.Settings(ctx); err != nil {
		t.Errorf("the control API with the token: %v", err)
	}
}

func TestVerifyDrivesAGuardedKoomock(t *testing.T) {
	const token = "token-for-verify"
	api := serveWithSellerEnv(t, map[string]string{"KOOMOCK_ADMIN_TOKEN": token}, nil)
	code, _, errOut := cli(t, nil, "verify", "--mock-url", api.BaseURL)
	if code != exitUsage || !strings.Contains(errOut, "admin token") {
		t.Errorf("verify without the token: exit %d, %q; want 2 naming the admin token", code, errOut)
	}
	if code, out, errOut := cli(t, map[string]string{"KOOMOCK_ADMIN_TOKEN": token}, "verify", "--mock-url", api.BaseURL); code != exitOK {
		t.Errorf("verify with the token: exit %d\n%s\n%s", code, out, errOut)
	}
}
