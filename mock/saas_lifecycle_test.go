package mock_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/clock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/mock"
	"github.com/koomock/koomock/protocol"
)

// mustBuy buys and requires the seller to have created the instance.
func mustBuy(t *testing.T, api *controlapi.Client, req controlapi.BuyRequest) controlapi.Purchase {
	t.Helper()
	p, err := api.Buy(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if p.Instance == nil || p.Exchange.Failed() {
		t.Fatalf("buy %+v: %+v", req, p.Exchange.Verdicts)
	}
	return p
}

func mustAct(t *testing.T, api *controlapi.Client, id, action string, req controlapi.InstanceAction) controlapi.ActionResult {
	t.Helper()
	res, err := api.Act(context.Background(), id, action, req)
	if err != nil {
		t.Fatalf("%s: %v", action, err)
	}
	for _, e := range res.Exchanges {
		if e.Failed() {
			t.Fatalf("%s: exchange #%d (%s) failed: %+v", action, e.ID, e.Activity, e.Failures())
		}
	}
	return res
}

func passed(e *koomock.Exchange, rule koomock.Rule) bool {
	v, ok := e.Verdict(rule)
	return ok && v.Outcome == koomock.Pass
}

func body(t *testing.T, e *koomock.Exchange) map[string]any {
	t.Helper()
	b, err := protocol.DecodeObject([]byte(e.Request.Body))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestNewInstanceLooksTheOrderUp(t *testing.T) {
	_, api := newTestServer(t, nil)
	ctx := context.Background()
	p := mustBuy(t, api, controlapi.BuyRequest{})
	in := p.Instance
	if in.ProductID != p.Order.ProductID || in.ChargingMode != koomock.ChargingPeriod || !in.ExpireAt.Equal(start.AddDate(1, 0, 0)) {
		t.Errorf("instance %+v", in)
	}
	queries, err := api.Exchanges(ctx, koomock.ExchangeFilter{Direction: koomock.Inbound, Activity: "orderQuery", OrderID: p.Order.ID})
	if err != nil || len(queries) != 1 || queries[0].Failed() || !passed(&queries[0], koomock.RuleAPIGSignature) {
		t.Fatalf("the reference seller's order query: %+v %v", queries, err)
	}
	if !strings.Contains(queries[0].Response.Body, `"resultCode":"MKT.0000"`) || !strings.Contains(queries[0].Response.Body, p.Order.SKUCode) {
		t.Errorf("order query answer: %s", queries[0].Response.Body)
	}
	if _, has := body(t, p.Exchange)["testFlag"]; has {
		t.Errorf("a real call carries testFlag: %s", p.Exchange.Request.Body)
	}
}

func TestQueryInstance(t *testing.T) {
	_, api := newTestServer(t, nil)
	ctx := context.Background()
	a := mustBuy(t, api, controlapi.BuyRequest{})
	b := mustBuy(t, api, controlapi.BuyRequest{ChargingMode: koomock.ChargingOneTime})
	e, err := api.Query(ctx, controlapi.QueryRequest{InstanceIDs: []string{a.Instance.ID, b.Instance.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if e.Failed() || !passed(e, koomock.RuleQueryAllIDs) || !passed(e, koomock.RuleQueryAppInfo) || !passed(e, koomock.RuleQueryMemo) {
		t.Fatalf("query: %+v", e.Verdicts)
	}
	if body(t, e)["instanceId"] != a.Instance.ID+","+b.Instance.ID {
		t.Errorf("body %s", e.Request.Body)
	}
	if strings.ContainsFunc(e.Response.Body, func(r rune) bool { return r > 127 }) || !strings.Contains(e.Response.Body, `\u`) {
		t.Errorf("memo not escaped: %s", e.Response.Body)
	}
	if _, err := api.Query(ctx, controlapi.QueryRequest{}); controlapi.ErrorCode(err) != controlapi.CodeInvalid {
		t.Errorf("empty query: %v", err)
	}
}

func TestOnDemandUsageIsPushedAndReported(t *testing.T) {
	// The seller stamps its usage with its own wall clock; koomock's clock starts at real time so
	// that begin_time is within 21 days of it.
	_, api := newRealTimeServer(t)
	ctx := context.Background()
	p := mustBuy(t, api, controlapi.BuyRequest{ChargingMode: koomock.ChargingOnDemand})
	e, err := api.Query(ctx, controlapi.QueryRequest{InstanceIDs: []string{p.Instance.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if e.Failed() || !passed(e, koomock.RuleQueryUsageInfo) || !passed(e, koomock.RuleQueryUsage) {
		t.Fatalf("query: %+v", e.Verdicts)
	}
	pushes, _ := api.Exchanges(ctx, koomock.ExchangeFilter{Direction: koomock.Inbound, Activity: "usagePush", InstanceID: p.Instance.ID})
	if len(pushes) != 1 || pushes[0].Failed() || !passed(&pushes[0], koomock.RuleUsageSignature) || !passed(&pushes[0], koomock.RuleUsageRecords) {
		t.Fatalf("usage pushes: %+v", pushes)
	}
	d, err := api.Instance(ctx, p.Instance.ID)
	if err != nil || d.UsageTotal != 1 || len(d.Usage) != 1 {
		t.Fatalf("instance detail: %+v %v", d, err)
	}
	// Asked again, the seller has nothing new to push and reports the same total.
	if e, _ = api.Query(ctx, controlapi.QueryRequest{InstanceIDs: []string{p.Instance.ID}}); e.Failed() {
		t.Errorf("second query: %+v", e.Failures())
	}
}

func TestRenewalsAndExpiry(t *testing.T) {
	_, api := newTestServer(t, nil)
	ctx := context.Background()
	p := mustBuy(t, api, controlapi.BuyRequest{PeriodType: koomock.PeriodMonth})
	id := p.Instance.ID
	res := mustAct(t, api, id, controlapi.ActRenew, controlapi.InstanceAction{})
	if res.Order.Type != koomock.OrderRenew || res.Order.Status != koomock.OrderDelivered || !res.Instance.ExpireAt.Equal(start.AddDate(0, 2, 0)) {
		t.Fatalf("renewal: order %+v, instance %+v", res.Order, res.Instance)
	}
	b := body(t, res.Last())
	if b["scene"] != "RENEWAL" || b["expireTime"] != start.AddDate(0, 2, 0).Format("20060102150405") || b["orderId"] != res.Order.ID {
		t.Errorf("refreshInstance body %v", b)
	}
	res = mustAct(t, api, id, controlapi.ActRenew, controlapi.InstanceAction{PeriodType: koomock.PeriodYear, ExpireTimeDigits: 17})
	if b := body(t, res.Last()); len(b["expireTime"].(string)) != 17 {
		t.Errorf("17-digit expireTime: %v", b["expireTime"])
	}
	// Cancel the renewal not yet begun: back to two months.
	res = mustAct(t, api, id, controlapi.ActCancelRenewal, controlapi.InstanceAction{})
	if b := body(t, res.Last()); b["scene"] != "UNSUBSCRIBE_RENEWAL_PERIOD" || !res.Instance.ExpireAt.Equal(start.AddDate(0, 2, 0)) {
		t.Fatalf("cancel renewal: %v, expiry %v", b, res.Instance.ExpireAt)
	}

	// The clock passes the expiry: FREEZE, then release 15 days later.
	if _, err := api.Advance(ctx, "62d"); err != nil {
		t.Fatal(err)
	}
	d, _ := api.Instance(ctx, id)
	if d.Instance.State != koomock.InstanceFrozen || !d.Instance.ReleaseAt.Equal(start.AddDate(0, 2, 15)) {
		t.Fatalf("after expiry: %+v", d.Instance)
	}
	if last := d.Deliveries[0]; last.Activity != "updateInstanceStatus" || last.Body["status"] != "FREEZE" || last.Status != koomock.DeliveryDelivered {
		t.Fatalf("freeze delivery: %+v", last)
	}
	// A renewal while frozen unfreezes.
	res = mustAct(t, api, id, controlapi.ActRenew, controlapi.InstanceAction{})
	if res.Instance.State != koomock.InstanceActive || len(res.Exchanges) != 2 || body(t, res.Exchanges[1])["status"] != "UNFREEZE" {
		t.Fatalf("renewal of a frozen instance: %+v", res)
	}
	if _, err := api.Advance(ctx, "60d"); err != nil {
		t.Fatal(err)
	}
	d, _ = api.Instance(ctx, id)
	if d.Instance.State != koomock.InstanceReleased || d.Deliveries[0].Activity != "releaseInstance" || d.Deliveries[0].Status != koomock.DeliveryDelivered {
		t.Fatalf("after the freeze window: %+v, %+v", d.Instance, d.Deliveries[0])
	}
	// A second release must still succeed.
	res = mustAct(t, api, id, controlapi.ActRelease, controlapi.InstanceAction{})
	if !passed(res.Last(), koomock.RuleReleaseIdempotent) {
		t.Errorf("second release: %+v", res.Last().Verdicts)
	}
	if _, err := api.Act(ctx, id, controlapi.ActRenew, controlapi.InstanceAction{}); controlapi.ErrorCode(err) != controlapi.CodeConflict {
		t.Errorf("renewing a released instance: %v", err)
	}
}

func TestTrialUpgradeChangeAndUnsubscribe(t *testing.T) {
	_, api := newTestServer(t, nil)
	ctx := context.Background()
	trial := mustBuy(t, api, controlapi.BuyRequest{Trial: true})
	if !trial.Instance.Trial || !trial.Instance.ExpireAt.Equal(start.AddDate(0, 0, 7)) || trial.Order.Type != koomock.OrderTrial {
		t.Fatalf("trial: %+v", trial)
	}
	if _, err := api.Act(ctx, trial.Instance.ID, controlapi.ActRenew, controlapi.InstanceAction{}); controlapi.ErrorCode(err) != controlapi.CodeConflict {
		t.Errorf("renewing a trial: %v", err)
	}
	res := mustAct(t, api, trial.Instance.ID, controlapi.ActConvert, controlapi.InstanceAction{PeriodType: koomock.PeriodMonth})
	if res.Instance.Trial || res.Order.Type != koomock.OrderTrialToFormal || body(t, res.Last())["scene"] != "TRIAL_TO_FORMAL" {
		t.Fatalf("conversion: %+v", res)
	}

	p := mustBuy(t, api, controlapi.BuyRequest{})
	id := p.Instance.ID
	res = mustAct(t, api, id, controlapi.ActUpgrade, controlapi.InstanceAction{})
	if res.Order.Type != koomock.OrderChange || res.Instance.ProductID == p.Instance.ProductID || res.Instance.ProductID != res.Order.ProductID {
		t.Fatalf("upgrade: %+v", res)
	}
	for _, form := range []string{"object", "string"} {
		res = mustAct(t, api, id, controlapi.ActChangeCheck, controlapi.InstanceAction{ProductInfoForm: form})
		_, isString := body(t, res.Last())["productInfo"].(string)
		if isString != (form == "string") {
			t.Errorf("productInfo as %s: %s", form, res.Last().Request.Body)
		}
	}
	res = mustAct(t, api, id, controlapi.ActRenewalChange, controlapi.InstanceAction{ProductID: p.Order.ProductID})
	if len(res.Exchanges) != 2 || res.Exchanges[0].Activity != "changeInstanceCheck" || body(t, res.Last())["scene"] != "RENEWAL_CHANGE" ||
		body(t, res.Last())["productId"] != p.Order.ProductID {
		t.Fatalf("renewal change: %+v", res)
	}
	res = mustAct(t, api, id, controlapi.ActFreeze, controlapi.InstanceAction{})
	if res.Instance.State != koomock.InstanceFrozen || body(t, res.Last())["status"] != "FREEZE" {
		t.Fatalf("freeze: %+v", res.Instance)
	}
	res = mustAct(t, api, id, controlapi.ActUnfreeze, controlapi.InstanceAction{})
	if res.Instance.State != koomock.InstanceActive {
		t.Fatalf("unfreeze: %+v", res.Instance)
	}
	res = mustAct(t, api, id, controlapi.ActUnsubscribe, controlapi.InstanceAction{})
	if b := body(t, res.Last()); res.Instance.State != koomock.InstanceReleased || b["orderId"] != res.Order.ID || res.Order.Type != koomock.OrderUnsubscribe {
		t.Fatalf("unsubscribe: %+v %v", res, b)
	}
	if _, err := api.Act(ctx, id, "explode", controlapi.InstanceAction{}); controlapi.ErrorCode(err) != controlapi.CodeNotFound {
		t.Errorf("unknown action: %v", err)
	}
	if _, err := api.Act(ctx, "nope", controlapi.ActRenew, controlapi.InstanceAction{}); controlapi.ErrorCode(err) != controlapi.CodeNotFound {
		t.Errorf("unknown instance: %v", err)
	}
}

func TestProbesOfEveryActivity(t *testing.T) {
	_, api := newTestServer(t, nil)
	ctx := context.Background()
	id := mustBuy(t, api, controlapi.BuyRequest{}).Instance.ID
	activities := []string{"queryInstance", "refreshInstance", "updateInstanceStatus", "releaseInstance", "upgradeInstance", "changeInstanceCheck"}
	for _, activity := range activities {
		probes := []string{"tampered-signature", "missing-signature", "stale-timestamp", "missing-field:instanceId"}
		switch activity {
		case "queryInstance":
			probes = append(probes, "too-many-ids")
		default:
			probes = append(probes, "unknown-instance")
		}
		for _, probe := range probes {
			e, err := api.Probe(ctx, controlapi.ProbeRequest{Activity: protocol.Activity(activity), Probe: probe, InstanceID: id})
			if err != nil {
				t.Fatalf("%s %s: %v", activity, probe, err)
			}
			if !passed(e, controlapi.Probe(probe).Rule()) || e.Failed() {
				t.Errorf("%s %s: %+v", activity, probe, e.Verdicts)
			}
		}
	}
	// The instance survived every probe.
	if d, _ := api.Instance(ctx, id); d.Instance.State != koomock.InstanceActive {
		t.Errorf("instance after the probes: %+v", d.Instance)
	}
	for _, bad := range []controlapi.ProbeRequest{
		{Activity: "newInstance", Probe: "unknown-instance"},
		{Activity: "refreshInstance", Probe: "too-many-ids"},
		{Activity: "refreshInstance", Probe: "missing-field:productId"},
	} {
		if _, err := api.Probe(ctx, bad); controlapi.ErrorCode(err) != controlapi.CodeInvalid {
			t.Errorf("%+v: %v", bad, err)
		}
	}
}

func TestAsynchronousCreation(t *testing.T) {
	_, api := newTestServer(t, nil)
	ctx := context.Background()
	p, err := api.Buy(ctx, controlapi.BuyRequest{ExtendParams: []koomock.Param{{Key: "provisioning", Value: "async"}}})
	if err != nil {
		t.Fatal(err)
	}
	if p.Instance == nil || p.Instance.State != koomock.InstanceCreating || p.Order.Status != koomock.OrderPending {
		t.Fatalf("after 000004: %+v", p)
	}
	// A renewal before the creation finished is delivered all the same.
	res := mustAct(t, api, p.Instance.ID, controlapi.ActRenew, controlapi.InstanceAction{})
	if res.Deliveries[0].Status != koomock.DeliveryDelivered {
		t.Fatalf("renewal while creating: %+v", res.Deliveries[0])
	}
	if _, err := api.Advance(ctx, "1h"); err != nil {
		t.Fatal(err)
	}
	d, _ := api.Instance(ctx, p.Instance.ID)
	if d.Instance.State != koomock.InstanceActive {
		t.Fatalf("after polling: %+v", d.Instance)
	}
	polls, _ := api.Exchanges(ctx, koomock.ExchangeFilter{Activity: "queryInstance", InstanceID: p.Instance.ID})
	if len(polls) != 2 || !passed(&polls[0], koomock.RuleAsyncCreation) || polls[0].Failed() || !polls[1].StartedAt.Equal(start.Add(5*time.Minute)) {
		t.Fatalf("polls: %+v", polls)
	}
	if o, _ := api.Order(ctx, p.Order.ID); o.Order.Status != koomock.OrderDelivered {
		t.Errorf("order after delivery: %+v", o.Order)
	}
}

func TestSellerDownDuringRenewal(t *testing.T) {
	_, api := newTestServer(t, nil)
	ctx := context.Background()
	id := mustBuy(t, api, controlapi.BuyRequest{}).Instance.ID
	f, err := api.SetFault(ctx, koomock.Fault{Name: "seller-unreachable", Target: "refreshInstance"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := api.Act(ctx, id, controlapi.ActRenew, controlapi.InstanceAction{})
	if err != nil || res.Deliveries[0].Status != koomock.DeliveryRetrying {
		t.Fatalf("renewal with the seller down: %+v %v", res, err)
	}
	if _, err := api.Advance(ctx, "2h"); err != nil {
		t.Fatal(err)
	}
	failed, _ := api.Deliveries(ctx, controlapi.DeliveryQuery{Status: koomock.DeliveryFailed})
	if len(failed) != 1 || failed[0].Attempts != 7 || failed[0].GiveUpAt.Sub(failed[0].StartedAt) != time.Hour {
		t.Fatalf("failed deliveries: %+v", failed)
	}
	api.ClearFault(ctx, f.ID)
	r, err := api.ResendDelivery(ctx, failed[0].ID)
	if err != nil || r.Delivery.Status != koomock.DeliveryDelivered {
		t.Fatalf("re-trigger: %+v %v", r, err)
	}
}

func TestSellerDownWhenAnOrderIsPaid(t *testing.T) {
	_, api := newTestServer(t, nil)
	ctx := context.Background()
	api.SetFault(ctx, koomock.Fault{Name: "seller-unreachable", Target: "newInstance"})
	p, err := api.Buy(ctx, controlapi.BuyRequest{})
	if err != nil || p.Instance != nil || p.Order.Status != koomock.OrderPending {
		t.Fatalf("purchase with the seller down: %+v %v", p, err)
	}
	api.Advance(ctx, "4h")
	ds, _ := api.Deliveries(ctx, controlapi.DeliveryQuery{OrderID: p.Order.ID})
	// Attempts at 0, 10, ..., 180 minutes: nineteen, then the order is cancelled.
	if len(ds) != 1 || ds[0].Status != koomock.DeliveryFailed || ds[0].Attempts != 19 {
		t.Fatalf("deliveries: %+v", ds)
	}
	if o, _ := api.Order(ctx, p.Order.ID); o.Order.Status != koomock.OrderFailed {
		t.Errorf("order after 3 h: %+v", o.Order)
	}
	// Every attempt had a new businessId.
	seen := map[any]bool{}
	for _, id := range ds[0].Exchanges {
		e, _ := api.Exchange(ctx, id)
		seen[body(t, e)["businessId"]] = true
	}
	if len(seen) != 19 {
		t.Errorf("%d distinct businessIds over 19 attempts", len(seen))
	}
}

// TestLifecycleSurvivesARestart: a renewal's pending retry and an instance's expiry scheduled before
// koomock stopped happen after it starts again on the same database.
func TestLifecycleSurvivesARestart(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "koomock.db")
	clk := clock.NewVirtual(start)
	srv, api := newTestServer(t, func(c *mock.Config) { c.DB, c.Clock = path, clk })
	p := mustBuy(t, api, controlapi.BuyRequest{PeriodType: koomock.PeriodMonth})
	f, _ := api.SetFault(ctx, koomock.Fault{Name: "seller-unreachable", Target: "refreshInstance", Remaining: 1})
	res, err := api.Act(ctx, p.Instance.ID, controlapi.ActRenew, controlapi.InstanceAction{})
	if err != nil || res.Deliveries[0].Status != koomock.DeliveryRetrying {
		t.Fatalf("renewal with the seller down: %+v %v (fault %d)", res, err, f.ID)
	}
	set, err := api.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	addr := strings.TrimPrefix(srv.URL(), "http://")
	srv.Close()

	// koomock starts again on the same address and database; the seller kept running.
	again, err := mock.New(context.Background(), mock.Config{Addr: addr, DB: path, Clock: clk, Market: mock.MarketConfig{SellerURL: set.SellerURL}})
	if err != nil {
		t.Fatal(err)
	}
	if err := again.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { again.Close() })
	if _, err := api.Advance(ctx, "15m"); err != nil {
		t.Fatal(err)
	}
	if d, _ := api.Delivery(ctx, res.Deliveries[0].ID); d.Status != koomock.DeliveryDelivered || d.Attempts != 2 {
		t.Fatalf("the retry after the restart: %+v", d)
	}
	if _, err := api.Advance(ctx, "62d"); err != nil {
		t.Fatal(err)
	}
	if d, _ := api.Instance(ctx, p.Instance.ID); d.Instance.State != koomock.InstanceFrozen {
		t.Errorf("expiry after the restart: %+v", d.Instance)
	}
}
