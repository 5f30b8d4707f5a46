package main

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"testing"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/examples/seller"
	"github.com/koomock/koomock/examples/seller/sellertest"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/mock"
	"github.com/koomock/koomock/mock/mocktest"
)

// startKoomock runs a koomock server in-process, as koomock serve would, pointed at sellerURL.
func startKoomock(t *testing.T, sellerURL string) *controlapi.Client {
	t.Helper()
	return mocktest.New(t, mocktest.Options{NoSeller: true, RealClock: true, Config: func(c *mock.Config) {
		c.Logger, c.Market.SellerURL = slog.New(slog.DiscardHandler), sellerURL
	}}).API
}

func TestReplayResendsWithFreshSignature(t *testing.T) {
	rec := &recordingSeller{next: seller.New(seller.Config{AccessKey: fixtures.DemoAccessKey})}
	api := startKoomock(t, referenceSeller(t, rec))
	p, err := api.Buy(context.Background(), controlapi.BuyRequest{})
	if err != nil {
		t.Fatal(err)
	}
	id := strconv.FormatInt(p.Exchange.ID, 10)
	code, out, errOut := cli(t, nil, "replay", id, "--mock-url", api.BaseURL)
	if code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "replayed exchange #"+id+" as #") || !strings.Contains(out, "ok   newInstance.instanceId") {
		t.Errorf("output:\n%s", out)
	}
	// The seller saw two correctly signed requests: the original and the replay, each with its own nonce.
	if len(rec.checks) != 2 || rec.checks[0] != "ok" || rec.checks[1] != "ok" {
		t.Fatalf("seller-side signature checks: %v", rec.checks)
	}
	list, err := api.Exchanges(context.Background(), koomock.ExchangeFilter{})
	if err != nil || len(list) != 2 || list[0].Signing.Nonce == list[1].Signing.Nonce {
		t.Errorf("the journal should hold the original and the replay with different nonces: %+v, %v", list, err)
	}

	// A probe replays as a probe, judged as a refusal.
	probe, err := api.Probe(context.Background(), controlapi.ProbeRequest{Activity: "newInstance", Probe: "tampered-signature"})
	if err != nil {
		t.Fatal(err)
	}
	code, out, _ = cli(t, nil, "replay", strconv.FormatInt(probe.ID, 10), "--mock-url", api.BaseURL)
	if code != exitOK || !strings.Contains(out, "ok   probe.refused") {
		t.Errorf("replayed probe: exit %d\n%s", code, out)
	}
}

func TestReplayJudgesAgain(t *testing.T) {
	broken, _ := sellertest.Lookup("no-instance-id")
	api := startKoomock(t, referenceSeller(t, broken.Handler(seller.Config{AccessKey: fixtures.DemoAccessKey})))
	p, err := api.Buy(context.Background(), controlapi.BuyRequest{})
	if err != nil {
		t.Fatal(err)
	}
	code, out, _ := cli(t, nil, "replay", strconv.FormatInt(p.Exchange.ID, 10), "--mock-url", api.BaseURL)
	if code != exitRule || !strings.Contains(out, "FAIL newInstance.instanceId") {
		t.Errorf("replay at a seller that still breaks the rule: exit %d\n%s", code, out)
	}
	for name, args := range map[string][]string{
		"no such exchange": {"replay", "999", "--mock-url", api.BaseURL},
		"no ID":            {"replay", "--mock-url", api.BaseURL},
		"not an ID":        {"replay", "six", "--mock-url", api.BaseURL},
		"no koomock":       {"replay", "1", "--mock-url", "http://127.0.0.1:1"},
	} {
		if code, _, errOut := cli(t, nil, args...); code != exitUsage || errOut == "" {
			t.Errorf("%s: exit %d, stderr %q", name, code, errOut)
		}
	}
}
