package mock_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/mock"
)

// Each switch for a point the spec leaves uncertain changes what koomock sends or accepts; the
// defaults are asserted in the lifecycle tests.
func TestSwitches(t *testing.T) {
	ctx := context.Background()
	t.Run("testFlag 0 on real calls", func(t *testing.T) {
		_, api := newTestServer(t, func(c *mock.Config) { c.Market.TestFlagZero = true })
		p := mustBuy(t, api, controlapi.BuyRequest{})
		if body(t, p.Exchange)["testFlag"] != "0" {
			t.Errorf("newInstance %s", p.Exchange.Request.Body)
		}
		res := mustAct(t, api, p.Instance.ID, controlapi.ActRenew, controlapi.InstanceAction{})
		if body(t, res.Last())["testFlag"] != "0" {
			t.Errorf("refreshInstance %s", res.Last().Request.Body)
		}
	})
	t.Run("productInfo as a string", func(t *testing.T) {
		_, api := newTestServer(t, func(c *mock.Config) { c.Market.ProductInfoString = true })
		p := mustBuy(t, api, controlapi.BuyRequest{})
		res := mustAct(t, api, p.Instance.ID, controlapi.ActChangeCheck, controlapi.InstanceAction{})
		if _, ok := body(t, res.Last())["productInfo"].(string); !ok {
			t.Errorf("changeInstanceCheck %s", res.Last().Request.Body)
		}
	})
	t.Run("17-digit expireTime", func(t *testing.T) {
		_, api := newTestServer(t, func(c *mock.Config) { c.Market.ExpireTimeDigits = 17 })
		p := mustBuy(t, api, controlapi.BuyRequest{})
		res := mustAct(t, api, p.Instance.ID, controlapi.ActRenew, controlapi.InstanceAction{})
		if got := body(t, res.Last())["expireTime"].(string); len(got) != 17 {
			t.Errorf("expireTime %s", got)
		}
	})
	t.Run("retry schedule", func(t *testing.T) {
		_, api := newTestServer(t, func(c *mock.Config) { c.Market.RetryEvery, c.Market.RetryOtherFor = 30*time.Minute, 2*time.Hour })
		id := mustBuy(t, api, controlapi.BuyRequest{}).Instance.ID
		api.SetFault(ctx, koomock.Fault{Name: "seller-unreachable", Target: "updateInstanceStatus"})
		res, err := api.Act(ctx, id, controlapi.ActFreeze, controlapi.InstanceAction{})
		if err != nil {
			t.Fatal(err)
		}
		api.Advance(ctx, "3h")
		d, _ := api.Delivery(ctx, res.Deliveries[0].ID)
		if d.Status != koomock.DeliveryFailed || d.Attempts != 5 || d.GiveUpAt.Sub(d.StartedAt) != 2*time.Hour {
			t.Errorf("every 30 minutes for 2 hours: %+v", d)
		}
	})
	for _, strict := range []bool{false, true} {
		t.Run("usageInfos spelling, strict="+map[bool]string{false: "off", true: "on"}[strict], func(t *testing.T) {
			_, api := newTestServer(t, func(c *mock.Config) {
				c.Market.StrictUsageInfo = strict
				c.Market.SellerURL = usageInfosSeller(t, "instance-1")
			})
			p, err := api.Buy(ctx, controlapi.BuyRequest{ChargingMode: koomock.ChargingOnDemand})
			if err != nil || p.Instance == nil {
				t.Fatalf("buy: %+v %v", p, err)
			}
			e, err := api.Query(ctx, controlapi.QueryRequest{InstanceIDs: []string{p.Instance.ID}})
			if err != nil {
				t.Fatal(err)
			}
			v, _ := e.Verdict(koomock.RuleQueryUsageInfo)
			want := map[bool]koomock.Outcome{false: koomock.Warn, true: koomock.Fail}[strict]
			if v.Outcome != want {
				t.Errorf("usageInfos with strict=%v: %+v", strict, e.Verdicts)
			}
		})
	}
}

// usageInfosSeller answers newInstance with instanceID and queryInstance with usage spelled usageInfos.
func usageInfosSeller(t *testing.T, instanceID string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var f map[string]any
		json.NewDecoder(r.Body).Decode(&f)
		if f["activity"] == "newInstance" {
			json.NewEncoder(w).Encode(map[string]any{"resultCode": "000000", "instanceId": instanceID})
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"resultCode": "000000", "info": []any{map[string]any{
			"instanceId": instanceID, "appInfo": map[string]any{"frontEndUrl": "https://x"},
			"usageInfos": []any{map[string]any{"usageValue": 1, "statisticalTime": "20261127000000000"}}}}})
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/produce"
}
