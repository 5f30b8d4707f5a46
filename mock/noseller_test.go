package mock_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/mock"
)

// TestNoSellerURLRefusesCallbacksWithTheFix: a koomock with no seller URL answers every action that
// would send a callback with a 409 naming the setting, stores nothing, and never says 500.
func TestNoSellerURLRefusesCallbacksWithTheFix(t *testing.T) {
	srv, api := newTestServer(t, func(c *mock.Config) { c.Market.SellerURL = "" })
	for _, tc := range []struct{ path, body string }{
		{"/_mock/orders", `{"periodType":"year"}`},
		{"/_mock/query", `{"instanceIds":["i-1"]}`},
		{"/_mock/probes", `{"activity":"newInstance","probe":"stale-timestamp"}`},
		{"/_mock/debug-calls", `{"activity":"newInstance"}`},
		{"/_mock/instances/i-1/renew", `{}`},
	} {
		resp, err := http.Post(srv.URL()+tc.path, "application/json", strings.NewReader(tc.body))
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var body struct{ Error *controlapi.Error }
		if err := json.Unmarshal(raw, &body); err != nil || body.Error == nil {
			t.Fatalf("POST %s: HTTP %d %s: not the control API error shape", tc.path, resp.StatusCode, raw)
		}
		if resp.StatusCode != http.StatusConflict || body.Error.Code != controlapi.CodeConflict || !strings.Contains(body.Error.Message, "--seller-url") {
			t.Errorf("POST %s: HTTP %d %s, want 409 naming --seller-url", tc.path, resp.StatusCode, raw)
		}
	}
	orders, err := api.Orders(context.Background(), 0)
	if err != nil || len(orders) != 0 {
		t.Errorf("orders after refused buys: %v %v, want none", orders, err)
	}
}
