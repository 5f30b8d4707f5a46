package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/examples/seller"
	"github.com/koomock/koomock/mock"
	"github.com/koomock/koomock/mock/mocktest"
)

// serve runs refseller in-process with the given environment until the test ends, and returns its
// production interface URL.
func serve(t *testing.T, vars map[string]string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan int, 1)
	var errOut bytes.Buffer
	go func() {
		done <- run(ctx, args, func(k string) (string, bool) { v, ok := vars[k]; return v, ok }, io.Discard, &errOut, ready)
	}()
	select {
	case addr := <-ready:
		t.Cleanup(func() {
			cancel()
			if code := <-done; code != 0 {
				t.Errorf("refseller exited with %d: %s", code, errOut.String())
			}
		})
		return "http://" + addr + seller.ProducePath
	case code := <-done:
		cancel()
		t.Fatalf("refseller exited with %d before listening: %s", code, errOut.String())
		return ""
	}
}

// The access key from the environment is the one the seller verifies: koomock signing with it gets
// an instance, and with another key a refusal.
func TestRefsellerTakesItsSettingsFromTheEnvironment(t *testing.T) {
	url := serve(t, map[string]string{"REFSELLER_ADDR": "127.0.0.1:0", "REFSELLER_ACCESS_KEY": "env-key"})
	for _, tc := range []struct {
		key       string
		delivered bool
	}{{"env-key", true}, {"another-key", false}} {
		m := mocktest.New(t, mocktest.Options{NoSeller: true, RealClock: true, Config: func(c *mock.Config) {
			c.Logger, c.Market.SellerURL, c.Market.AccessKey = slog.New(slog.DiscardHandler), url, tc.key
		}})
		p, err := m.API.Buy(context.Background(), controlapi.BuyRequest{})
		m.Close()
		if err != nil {
			t.Fatal(err)
		}
		if got := p.Exchange != nil && !p.Exchange.Failed() && p.Instance != nil; got != tc.delivered {
			t.Errorf("signed with %q: delivered %v, want %v (%+v)", tc.key, got, tc.delivered, p.Exchange)
		}
	}
}

func TestRefsellerFlagsWinOverTheEnvironment(t *testing.T) {
	serve(t, map[string]string{"REFSELLER_ADDR": "not an address"}, "--addr", "127.0.0.1:0")
}

func TestRefsellerUsageErrors(t *testing.T) {
	for _, args := range [][]string{{"--addr", "256.0.0.1:1"}, {"--access-key", ""}, {"--nope"}} {
		var errOut bytes.Buffer
		if code := run(context.Background(), args, func(string) (string, bool) { return "", false }, io.Discard, &errOut, nil); code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", args, code, errOut.String())
		}
	}
}
