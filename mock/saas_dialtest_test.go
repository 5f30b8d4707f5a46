package mock_test

import (
	"context"
	"regexp"
	"testing"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
)

func TestDebugCasesAndDialTests(t *testing.T) {
	_, api := newTestServer(t, nil)
	ctx := context.Background()
	e, err := api.DebugCall(ctx, controlapi.DebugCallRequest{Activity: "newInstance"})
	if err != nil || e.Failed() || body(t, e)["testFlag"] != "1" || body(t, e)["orderId"] != "MOCKPERIODYEARNEW" {
		t.Fatalf("debug newInstance: %+v %v", e, err)
	}
	lookups, _ := api.Exchanges(ctx, koomock.ExchangeFilter{Activity: "orderQuery", OrderID: "MOCKPERIODYEARNEW"})
	if len(lookups) != 1 || lookups[0].Failed() {
		t.Fatalf("the seller's lookup of the debug order: %+v", lookups)
	}
	c, err := api.SaveCase(ctx, controlapi.SaveCaseRequest{ExchangeID: e.ID, Name: "yearly purchase"})
	if err != nil || c.ProductID == "" || c.Body["testFlag"] != "1" {
		t.Fatalf("save: %+v %v", c, err)
	}
	// Twice a day: 09:00 and 15:00 in UTC+8, i.e. 01:00 and 07:00 UTC; the clock starts at 08:00 UTC.
	if _, err := api.Advance(ctx, "24h"); err != nil {
		t.Fatal(err)
	}
	c, _ = api.Case(ctx, c.ID)
	if len(c.Runs) != 2 || !c.Runs[0].Passed || !c.Runs[0].DialTest || c.Runs[0].At.Hour() != 1 || c.Runs[1].At.Hour() != 7 {
		t.Fatalf("a day of dial tests: %+v", c.Runs)
	}
	r, err := api.ReplayCase(ctx, c.ID)
	if err != nil || r.Exchange.Failed() || r.Case.Runs[2].DialTest {
		t.Fatalf("replay on demand: %+v %v", r, err)
	}
	// Every newInstance carries a fresh UUID businessId: the debug call, each dial test, each replay.
	seen := map[any]bool{}
	for _, run := range r.Case.Runs {
		x, err := api.Exchange(ctx, run.Exchange)
		if err != nil {
			t.Fatal(err)
		}
		seen[body(t, x)["businessId"]] = true
	}
	seen[body(t, e)["businessId"]] = true
	for id := range seen {
		if s, _ := id.(string); !uuidV4.MatchString(s) {
			t.Errorf("businessId %v is not a UUID", id)
		}
	}
	if len(seen) != 4 {
		t.Errorf("%d distinct businessIds in the debug call and 3 replays, want 4: %v", len(seen), seen)
	}

	// The seller is down for dial tests only: five failing days freeze the product.
	if _, err := api.SetFault(ctx, koomock.Fault{Name: "seller-unreachable", Target: "dialTest"}); err != nil {
		t.Fatal(err)
	}
	if _, err := api.Advance(ctx, "4d"); err != nil {
		t.Fatal(err)
	}
	if p := product(t, api, c.ProductID); p.State.Frozen {
		t.Fatalf("frozen after 4 days: %+v", p)
	}
	if _, err := api.Advance(ctx, "1d"); err != nil {
		t.Fatal(err)
	}
	c, _ = api.Case(ctx, c.ID)
	p := product(t, api, c.ProductID)
	if !p.State.Frozen || c.FailedDays != 5 || p.State.Reason == "" {
		t.Fatalf("after 5 failing days: case %+v, product %+v", c, p)
	}
	last, _ := api.Exchange(ctx, c.Runs[len(c.Runs)-1].Exchange)
	if v, _ := last.Verdict(koomock.RuleDialTest); v.Outcome != koomock.Fail {
		t.Errorf("last dial test: %+v", last.Verdicts)
	}
	if jobs, _ := api.Jobs(ctx, "dialtest.run"); len(jobs) != 0 {
		t.Errorf("dial tests of a frozen product still scheduled: %+v", jobs)
	}
	if p, err = api.UnfreezeProduct(ctx, c.ProductID); err != nil || p.State.Frozen {
		t.Fatalf("unfreeze: %+v %v", p, err)
	}
	if jobs, _ := api.Jobs(ctx, "dialtest.run"); len(jobs) != 1 {
		t.Errorf("dial tests not resumed: %+v", jobs)
	}
	if err := api.DeleteCase(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if jobs, _ := api.Jobs(ctx, "dialtest.run"); len(jobs) != 0 {
		t.Errorf("dial tests without cases: %+v", jobs)
	}
	probe, _ := api.Probe(ctx, controlapi.ProbeRequest{Activity: "newInstance", Probe: "stale-timestamp"})
	if _, err := api.SaveCase(ctx, controlapi.SaveCaseRequest{ExchangeID: probe.ID}); controlapi.ErrorCode(err) != controlapi.CodeConflict {
		t.Errorf("saving a probe as a debug case: %v", err)
	}
}

// uuidV4 is the shape of KooGallery's businessId (RFC 4122 version 4).
var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func product(t *testing.T, api *controlapi.Client, id string) controlapi.Product {
	t.Helper()
	list, err := api.Products(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range list {
		if p.ProductID == id {
			return p
		}
	}
	t.Fatalf("product %s not listed", id)
	return controlapi.Product{}
}

func TestListCasesAndDialNow(t *testing.T) {
	_, api := newTestServer(t, nil)
	ctx := context.Background()
	if cases, err := api.Cases(ctx); err != nil || cases == nil || len(cases) != 0 {
		t.Fatalf("no case yet: %+v %v", cases, err)
	}
	e, err := api.DebugCall(ctx, controlapi.DebugCallRequest{Activity: "newInstance"})
	if err != nil {
		t.Fatal(err)
	}
	first, err := api.SaveCase(ctx, controlapi.SaveCaseRequest{ExchangeID: e.ID, Name: "first"})
	if err != nil {
		t.Fatal(err)
	}
	second, err := api.SaveCase(ctx, controlapi.SaveCaseRequest{ExchangeID: e.ID})
	if err != nil {
		t.Fatal(err)
	}
	cases, err := api.Cases(ctx)
	if err != nil || len(cases) != 2 || cases[0].ID != first.ID || cases[1].ID != second.ID || cases[1].Name == "" {
		t.Fatalf("two cases, oldest first: %+v %v", cases, err)
	}
	cases, err = api.DialTest(ctx)
	if err != nil || len(cases) != 2 {
		t.Fatalf("dial now: %+v %v", cases, err)
	}
	for _, c := range cases {
		if len(c.Runs) != 1 || !c.Runs[0].DialTest || !c.Runs[0].Passed {
			t.Errorf("case %d after a dial test: %+v", c.ID, c.Runs)
		}
	}
}
