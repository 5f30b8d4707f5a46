package mock_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/mock"
)

// TestResetBringsBackTheFreshState fills every kind of state, resets, and finds koomock as it
// started: empty but for the demo tenant and demo license codes, the clock where it began, the
// configuration untouched.
func TestResetBringsBackTheFreshState(t *testing.T) {
	_, api := newTestServer(t, func(c *mock.Config) { c.Joint.KitKey = fixtures.DemoKitKey })
	ctx := context.Background()
	fresh, err := api.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	demoCodes, err := api.LicenseCodeList(ctx)
	if err != nil || len(demoCodes) == 0 {
		t.Fatalf("demo license codes at start: %v, %v", demoCodes, err)
	}
	freshJobs, err := api.Jobs(ctx, "") // the demo codes' expiry
	if err != nil {
		t.Fatal(err)
	}
	if _, err := api.Buy(ctx, controlapi.BuyRequest{PeriodType: koomock.PeriodMonth}); err != nil {
		t.Fatal(err)
	}
	if _, err := api.CreateTenant(ctx, controlapi.TenantRequest{Name: "Acme"}); err != nil {
		t.Fatal(err)
	}
	if _, err := api.TestCodes(ctx, controlapi.TestCodesRequest{Count: 2}); err != nil {
		t.Fatal(err)
	}
	if _, err := api.SetFault(ctx, koomock.Fault{Name: "seller-unreachable", Target: "newInstance"}); err != nil {
		t.Fatal(err)
	}
	if _, err := api.Advance(ctx, "400d"); err != nil {
		t.Fatal(err)
	}
	if _, err := api.Buy(ctx, controlapi.BuyRequest{PeriodType: koomock.PeriodMonth}); err != nil {
		t.Fatal(err) // delivered later: a retry is pending now
	}

	res, err := api.Reset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Clock.Virtual || !res.Clock.Now.Equal(start) {
		t.Errorf("clock after reset: %+v, want virtual at %v", res.Clock, start)
	}
	if orders, err := api.Orders(ctx, 0); err != nil || len(orders) != 0 {
		t.Errorf("orders after reset: %d, %v", len(orders), err)
	}
	if list, err := api.Instances(ctx); err != nil || len(list) != 0 {
		t.Errorf("instances after reset: %d, %v", len(list), err)
	}
	if list, err := api.Exchanges(ctx, koomock.ExchangeFilter{}); err != nil || len(list) != 0 {
		t.Errorf("journal after reset: %d, %v", len(list), err)
	}
	if jobs, err := api.Jobs(ctx, ""); err != nil || !reflect.DeepEqual(jobs, freshJobs) {
		t.Errorf("jobs after reset: %+v, %v; want those of a fresh start, %+v", jobs, err, freshJobs)
	}
	if list, err := api.Deliveries(ctx, controlapi.DeliveryQuery{}); err != nil || len(list) != 0 {
		t.Errorf("deliveries after reset: %d, %v", len(list), err)
	}
	if f, err := api.Faults(ctx); err != nil || len(f.Active) != 0 || len(f.Offered) == 0 {
		t.Errorf("faults after reset: %+v, %v; want none active, the catalogue kept", f.Active, err)
	}
	tenants, err := api.Tenants(ctx)
	if err != nil || len(tenants) != 1 || tenants[0].ID != fixtures.DemoTenantID {
		t.Errorf("tenants after reset: %+v, %v; want the demo tenant only", tenants, err)
	}
	codes, err := api.LicenseCodeList(ctx)
	if err != nil || len(codes) != len(demoCodes) {
		t.Errorf("license codes after reset: %d, %v; want the %d demo codes", len(codes), err, len(demoCodes))
	}
	if after, err := api.Settings(ctx); err != nil || after.SellerURL != fresh.SellerURL || after.AccessKey != fresh.AccessKey {
		t.Errorf("settings after reset: %+v, %v; want %+v", after, err, fresh)
	}
	// And it works as on a fresh start.
	if p, err := api.Buy(ctx, controlapi.BuyRequest{PeriodType: koomock.PeriodMonth}); err != nil || p.Exchange.Failed() {
		t.Errorf("a buy after reset: %+v, %v", p.Exchange, err)
	}
}

// TestResetIsRefusedDuringARun: a verify run holds a run open; a reset then would fail the run for
// reasons that are not the seller's.
func TestResetIsRefusedDuringARun(t *testing.T) {
	_, api := newTestServer(t, nil)
	ctx := context.Background()
	lease, err := api.BeginRun(ctx, "koomock verify")
	if err != nil {
		t.Fatal(err)
	}
	if runs, err := api.Runs(ctx); err != nil || len(runs) != 1 || runs[0].ID != lease.Run.ID || runs[0].Name != "koomock verify" {
		t.Errorf("runs: %+v, %v", runs, err)
	}
	_, err = api.Reset(ctx)
	var ce *controlapi.Error
	if controlapi.ErrorCode(err) != controlapi.CodeConflict || !errors.As(err, &ce) || ce.Status() != 409 ||
		!strings.Contains(ce.Message, "koomock verify") {
		t.Errorf("reset during a run: %v; want 409 conflict naming the run", err)
	}
	if err := lease.End(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := api.Reset(ctx); err != nil {
		t.Errorf("reset right after the run ended: %v", err)
	}
}

// TestARunThatDiesEndsWithItsConnection: a verify killed mid-run never says it is over; its
// connection closing is enough.
func TestARunThatDiesEndsWithItsConnection(t *testing.T) {
	_, api := newTestServer(t, nil)
	ctx, die := context.WithCancel(context.Background())
	if _, err := api.BeginRun(ctx, "doomed"); err != nil {
		t.Fatal(err)
	}
	die()
	// The server notices the closed connection on its own schedule: ask until it has.
	for i := 0; ; i++ {
		runs, err := api.Runs(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(runs) == 0 {
			break
		}
		if i == 10_000 {
			t.Fatalf("the dead run is still active: %+v", runs)
		}
	}
	if _, err := api.Reset(context.Background()); err != nil {
		t.Errorf("reset after the run died: %v", err)
	}
}
