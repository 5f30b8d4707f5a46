package mock_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/clock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/mock"
	"github.com/koomock/koomock/mock/apig"
	"github.com/koomock/koomock/mock/mocktest"
)

var start = mocktest.Start

// newTestServer starts koomock on a virtual clock and deterministic IDs, pointed at a reference
// seller that looks orders up and pushes usage on this koomock; mutate adjusts the config.
func newTestServer(t *testing.T, mutate func(*mock.Config)) (*mock.Server, *controlapi.Client) {
	t.Helper()
	m := mocktest.New(t, mocktest.Options{Seed: 7, Config: mutate})
	return m.Server, m.API
}

func TestBuyResendAndJournal(t *testing.T) {
	_, api := newTestServer(t, nil)
	ctx := context.Background()
	p, err := api.Buy(ctx, controlapi.BuyRequest{PeriodType: koomock.PeriodMonth, PeriodNumber: 3})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(p.Order.ID, "CS2611270800") || p.Order.LineID != p.Order.ID+"-000001" {
		t.Errorf("order IDs %s / %s are not KooGallery-shaped", p.Order.ID, p.Order.LineID)
	}
	if want := start.AddDate(0, 3, 0); !p.Order.ExpireAt.Equal(want) || !p.Instance.ExpireAt.Equal(want) {
		t.Errorf("expiry %v / %v, want %v", p.Order.ExpireAt, p.Instance.ExpireAt, want)
	}
	if p.Exchange.Failed() || !p.Exchange.StartedAt.Equal(start) {
		t.Fatalf("exchange: %+v", p.Exchange)
	}
	again, err := api.Resend(ctx, p.Order.ID)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := again.Exchange.Verdict(koomock.RuleIdempotent); v.Outcome != koomock.Pass {
		t.Errorf("idempotency verdict on resend: %+v", v)
	}
	list, err := api.Exchanges(ctx, koomock.ExchangeFilter{OrderID: p.Order.ID, Direction: koomock.Outbound})
	if err != nil || len(list) != 2 || list[0].ID != again.Exchange.ID {
		t.Fatalf("journal for the order: %+v, %v", list, err)
	}
	one, err := api.Exchange(ctx, p.Exchange.ID)
	if err != nil || one.Request.Body != p.Exchange.Request.Body {
		t.Errorf("exchange %d: %+v, %v", p.Exchange.ID, one, err)
	}
	curl, err := api.Reproduce(ctx, p.Exchange.ID)
	if err != nil || !strings.Contains(curl, "curl -sS") || !strings.Contains(curl, p.Order.ID) {
		t.Errorf("curl: %q, %v", curl, err)
	}
}

func TestProbesAreJudged(t *testing.T) {
	_, api := newTestServer(t, nil)
	for _, probe := range []string{"tampered-signature", "missing-signature", "stale-timestamp", "missing-field:businessId"} {
		e, err := api.Probe(context.Background(), controlapi.ProbeRequest{Activity: "newInstance", Probe: probe})
		if err != nil {
			t.Fatal(err)
		}
		if v, _ := e.Verdict(controlapi.Probe(probe).Rule()); v.Outcome != koomock.Pass || e.Probe != probe {
			t.Errorf("%s: %+v", probe, e.Verdicts)
		}
	}
}

func TestClock(t *testing.T) {
	_, api := newTestServer(t, nil)
	ctx := context.Background()
	s, err := api.Advance(ctx, "30d")
	if err != nil || !s.Now.Equal(start.Add(30*24*time.Hour)) || !s.Virtual {
		t.Fatalf("advance 30d: %+v, %v", s, err)
	}
	if _, err := api.Advance(ctx, "-1h"); controlapi.ErrorCode(err) != controlapi.CodeInvalid {
		t.Errorf("negative advance: %v", err)
	}
	if s, err = api.SetClock(ctx, controlapi.ClockRequest{Mode: "real"}); err != nil || s.Virtual {
		t.Fatalf("back to real time: %+v, %v", s, err)
	}
	if _, err := api.Advance(ctx, "1h"); controlapi.ErrorCode(err) != controlapi.CodeConflict {
		t.Errorf("advancing real time: %v", err)
	}
}

// TestBadInputGetsControlAPIErrors sends malformed requests and checks each gets the control API's
// error shape with the right status, and that no answer leaks internals.
func TestBadInputGetsControlAPIErrors(t *testing.T) {
	srv, _ := newTestServer(t, nil)
	tests := []struct {
		method, path, contentType, body string
		status                          int
		code                            controlapi.Code
	}{
		{"POST", "/_mock/orders", "application/json", `{"chargingMode":"FOREVER"}`, 400, controlapi.CodeInvalid},
		{"POST", "/_mock/orders", "application/json", `{"periodType":"century"}`, 400, controlapi.CodeInvalid},
		{"POST", "/_mock/orders", "application/json", `{"periodNumber":-1}`, 400, controlapi.CodeInvalid},
		{"POST", "/_mock/orders", "application/json", `{"chargingMode":"ONE_TIME","periodType":"year"}`, 400, controlapi.CodeInvalid},
		{"POST", "/_mock/orders", "application/json", `{"productId":"nope"}`, 400, controlapi.CodeInvalid},
		{"POST", "/_mock/orders", "application/json", `{"chargingMod":"PERIOD"}`, 400, controlapi.CodeInvalid},
		{"POST", "/_mock/orders", "application/json", `{"chargingMode":`, 400, controlapi.CodeInvalid},
		{"POST", "/_mock/orders", "application/x-www-form-urlencoded", `periodType=year`, 400, controlapi.CodeInvalid},
		{"POST", "/_mock/orders", "application/json", `{"testFlag":"yes"}`, 400, controlapi.CodeInvalid},
		{"GET", "/_mock/orders/CSNOPE", "", "", 404, controlapi.CodeNotFound},
		{"POST", "/_mock/orders/CSNOPE/resend", "", "", 404, controlapi.CodeNotFound},
		{"GET", "/_mock/orders?limit=0", "", "", 400, controlapi.CodeInvalid},
		{"GET", "/_mock/exchanges/abc", "", "", 400, controlapi.CodeInvalid},
		{"GET", "/_mock/exchanges/999", "", "", 404, controlapi.CodeNotFound},
		{"GET", "/_mock/exchanges/999/curl", "", "", 404, controlapi.CodeNotFound},
		{"GET", "/_mock/exchanges?direction=sideways", "", "", 400, controlapi.CodeInvalid},
		{"GET", "/_mock/exchanges?before=-3", "", "", 400, controlapi.CodeInvalid},
		{"POST", "/_mock/probes", "application/json", `{"activity":"newInstance","probe":"gremlins"}`, 400, controlapi.CodeInvalid},
		{"POST", "/_mock/probes", "application/json", `{"activity":"newInstance","probe":"missing-field:testFlag"}`, 400, controlapi.CodeInvalid},
		{"POST", "/_mock/probes", "application/json", `{"activity":"launchRocket","probe":"stale-timestamp"}`, 400, controlapi.CodeInvalid},
		{"POST", "/_mock/clock", "application/json", `{"mode":"sideways"}`, 400, controlapi.CodeInvalid},
		{"POST", "/_mock/clock/advance", "application/json", `{"by":"soon"}`, 400, controlapi.CodeInvalid},
		{"GET", "/no/such/route", "", "", 404, controlapi.CodeNotFound},
		{"DELETE", "/healthz", "", "", 405, controlapi.CodeInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path+" "+tt.body, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, srv.URL()+tt.path, strings.NewReader(tt.body))
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			raw, _ := io.ReadAll(resp.Body)
			var body struct{ Error *controlapi.Error }
			if err := json.Unmarshal(raw, &body); err != nil || body.Error == nil {
				t.Fatalf("HTTP %d %s: not the control API error shape", resp.StatusCode, raw)
			}
			if resp.StatusCode != tt.status || body.Error.Code != tt.code || body.Error.Message == "" {
				t.Errorf("HTTP %d %s, want %d %s", resp.StatusCode, raw, tt.status, tt.code)
			}
			assertNoLeak(t, string(raw))
		})
	}
}

// assertNoLeak fails if an answer shows internals: stack traces, Go file names, raw I/O errors.
func assertNoLeak(t *testing.T, body string) {
	t.Helper()
	for _, leak := range []string{"panic", ".go:", "goroutine", "EOF", "sql:", "sqlite"} {
		if strings.Contains(body, leak) {
			t.Errorf("answer leaks %q: %s", leak, body)
		}
	}
}

func TestSettingsMaskTheKey(t *testing.T) {
	_, api := newTestServer(t, func(c *mock.Config) { c.Market.AccessKey = "super-secret-access-key" })
	s, err := api.Settings(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(s.AccessKey, "super-secret") || s.CallbackTimeout != "5s" {
		t.Errorf("settings: %+v", s)
	}
	// The documented defaults of what the spec leaves uncertain.
	m := s.Market
	if m.RetryEvery != "10m0s" || m.RetryCreateFor != "3h0m0s" || m.RetryOtherFor != "1h0m0s" || m.AsyncPollEvery != "5m0s" ||
		m.FreezeFor != "360h0m0s" || m.ExpireTimeDigits != 14 || m.TestFlagZero || m.ProductInfoString || m.StrictUsageInfo || m.UsagePushAPIG {
		t.Errorf("market settings: %+v", m)
	}
}

func TestConfigIsValidated(t *testing.T) {
	for _, cfg := range []mock.Config{
		{Market: mock.MarketConfig{SellerURL: "ftp://seller"}},
		{PublicURL: "koomock.local"},
		{Market: mock.MarketConfig{CallbackTimeout: -time.Second}},
		{Market: mock.MarketConfig{ExpireTimeDigits: 15}},
		{Market: mock.MarketConfig{RetryEvery: -time.Minute}},
		{Market: mock.MarketConfig{DialTimes: []time.Duration{25 * time.Hour}}},
	} {
		if _, err := mock.New(context.Background(), cfg); err == nil {
			t.Errorf("mock.New(%+v) accepted a bad config", cfg)
		}
	}
	srv, err := mock.New(context.Background(), mock.Config{Addr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Open(); err != nil {
		t.Fatal(err)
	}
	taken := strings.TrimPrefix(srv.URL(), "http://")
	other, err := mock.New(context.Background(), mock.Config{Addr: taken})
	if err != nil {
		t.Fatal(err)
	}
	if err := other.Open(); err == nil || !strings.Contains(err.Error(), "listen on") {
		t.Errorf("second Open on a taken port: %v", err)
	}
	other.Close()
	if err := srv.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
}

func TestUnknownOpenAPIPathsGetGatewayErrors(t *testing.T) {
	srv, _ := newTestServer(t, nil)
	for _, path := range []string{"/api/mkp-openapi-public/global/v1/nothing", "/rest/marketplace/v9/x"} {
		resp, err := http.Get(srv.URL() + path)
		if err != nil {
			t.Fatal(err)
		}
		var e apig.Error
		json.NewDecoder(resp.Body).Decode(&e)
		resp.Body.Close()
		if resp.StatusCode != 404 || e.Code != apig.CodeNotFound || e.RequestID == "" {
			t.Errorf("%s: HTTP %d %+v", path, resp.StatusCode, e)
		}
	}
}

// newRealTimeServer is newTestServer on a virtual clock standing at the real time, for flows in which
// the seller stamps data with its own wall clock (usage records).
func newRealTimeServer(t *testing.T) (*mock.Server, *controlapi.Client) {
	return newTestServer(t, func(c *mock.Config) { c.Clock = clock.NewVirtual(time.Now().UTC().Truncate(time.Millisecond)) })
}
