package saas

import (
	"context"
	"errors"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/protocol"
)

// bought is when the orders of these tests are placed: mid-month, so that no period's end depends on
// how a month's last days roll over.
var bought = time.Date(2026, 3, 15, 10, 30, 0, 0, time.UTC)

// Product IDs of the embedded demo catalog (fixtures/catalog.json).
const (
	periodStd = "OFFI100000000000000001"
	oneTime   = "OFFI100000000000000002"
	onDemand  = "OFFI100000000000000003"
	periodPro = "OFFI100000000000000005"
)

// wantRefusal checks that err is the control API's refusal with the given code, its message
// containing msg.
func wantRefusal(t *testing.T, err error, code controlapi.Code, msg string) {
	t.Helper()
	var ce *controlapi.Error
	if !errors.As(err, &ce) {
		t.Fatalf("error %v, want a controlapi.Error %s", err, code)
	}
	if ce.Code != code || !strings.Contains(ce.Message, msg) {
		t.Errorf("refused with %s %q, want %s containing %q", ce.Code, ce.Message, code, msg)
	}
}

func TestPeriodEnd(t *testing.T) {
	for _, tc := range []struct {
		unit koomock.PeriodType
		n    int
		want time.Time
		err  string // a refusal's message, or "" for an end
	}{
		{unit: koomock.PeriodYear, n: 1, want: time.Date(2027, 3, 15, 10, 30, 0, 0, time.UTC)},
		{unit: koomock.PeriodYear, n: 100, want: time.Date(2126, 3, 15, 10, 30, 0, 0, time.UTC)},
		{unit: koomock.PeriodMonth, n: 1, want: time.Date(2026, 4, 15, 10, 30, 0, 0, time.UTC)},
		{unit: koomock.PeriodMonth, n: 10, want: time.Date(2027, 1, 15, 10, 30, 0, 0, time.UTC)},
		{unit: koomock.PeriodDay, n: 7, want: time.Date(2026, 3, 22, 10, 30, 0, 0, time.UTC)},
		{unit: koomock.PeriodDay, n: 17, want: time.Date(2026, 4, 1, 10, 30, 0, 0, time.UTC)},
		{unit: koomock.PeriodDay, n: 0, err: "periodNumber must be 1 to 100, not 0"},
		{unit: koomock.PeriodYear, n: 101, err: "periodNumber must be 1 to 100, not 101"},
		{unit: koomock.PeriodMonth, n: -1, err: "periodNumber must be 1 to 100, not -1"},
		{unit: "week", n: 1, err: `periodType must be year, month or day, not "week"`},
		{unit: "", n: 1, err: `periodType must be year, month or day, not ""`},
	} {
		got, err := periodEnd(bought, tc.unit, tc.n)
		if tc.err != "" {
			wantRefusal(t, err, controlapi.CodeInvalid, tc.err)
			continue
		}
		if err != nil || !got.Equal(tc.want) {
			t.Errorf("periodEnd(%s, %d) = %v, %v; want %v", tc.unit, tc.n, got, err, tc.want)
		}
	}
}

// testMarket is a market with only what its pure logic reads: the demo catalog and a fixed clock.
func testMarket(t *testing.T) *Market {
	t.Helper()
	catalog, err := fixtures.LoadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	return &Market{Catalog: catalog, Now: func() time.Time { return bought }}
}

func TestNewOrder(t *testing.T) {
	m := testMarket(t)
	year := bought.AddDate(1, 0, 0)
	for _, tc := range []struct {
		name string
		req  controlapi.BuyRequest
		want koomock.Order // only the fields the request decides; the rest are checked for every order
		err  string        // a refusal's message, or "" for an order
	}{
		{name: "nothing asked: a yearly order of the first periodic product", req: controlapi.BuyRequest{},
			want: koomock.Order{Type: koomock.OrderNew, ChargingMode: koomock.ChargingPeriod, ProductID: periodStd,
				PeriodType: koomock.PeriodYear, PeriodNumber: 1, ExpireAt: year}},
		{name: "a period without its number is one of it",
			req: controlapi.BuyRequest{PeriodType: koomock.PeriodMonth},
			want: koomock.Order{Type: koomock.OrderNew, ChargingMode: koomock.ChargingPeriod, ProductID: periodStd,
				PeriodType: koomock.PeriodMonth, PeriodNumber: 1, ExpireAt: bought.AddDate(0, 1, 0)}},
		{name: "a number without its period counts years",
			req: controlapi.BuyRequest{PeriodNumber: 3},
			want: koomock.Order{Type: koomock.OrderNew, ChargingMode: koomock.ChargingPeriod, ProductID: periodStd,
				PeriodType: koomock.PeriodYear, PeriodNumber: 3, ExpireAt: bought.AddDate(3, 0, 0)}},
		{name: "a charging mode picks its first product",
			req:  controlapi.BuyRequest{ChargingMode: koomock.ChargingOnDemand},
			want: koomock.Order{Type: koomock.OrderNew, ChargingMode: koomock.ChargingOnDemand, ProductID: onDemand}},
		{name: "a product decides the charging mode",
			req:  controlapi.BuyRequest{ProductID: oneTime},
			want: koomock.Order{Type: koomock.OrderNew, ChargingMode: koomock.ChargingOneTime, ProductID: oneTime}},
		{name: "a product with its own mode named again",
			req: controlapi.BuyRequest{ProductID: periodPro, ChargingMode: koomock.ChargingPeriod, PeriodType: koomock.PeriodDay, PeriodNumber: 30},
			want: koomock.Order{Type: koomock.OrderNew, ChargingMode: koomock.ChargingPeriod, ProductID: periodPro,
				PeriodType: koomock.PeriodDay, PeriodNumber: 30, ExpireAt: bought.AddDate(0, 0, 30)}},
		{name: "a trial lasts seven days unless a period is given",
			req: controlapi.BuyRequest{Trial: true},
			want: koomock.Order{Type: koomock.OrderTrial, ChargingMode: koomock.ChargingPeriod, ProductID: periodStd,
				PeriodType: koomock.PeriodDay, PeriodNumber: trialPeriod, ExpireAt: bought.AddDate(0, 0, trialPeriod)}},
		{name: "a trial of a month",
			req: controlapi.BuyRequest{Trial: true, PeriodType: koomock.PeriodMonth},
			want: koomock.Order{Type: koomock.OrderTrial, ChargingMode: koomock.ChargingPeriod, ProductID: periodStd,
				PeriodType: koomock.PeriodMonth, PeriodNumber: 1, ExpireAt: bought.AddDate(0, 1, 0)}},
		{name: "a debug order keeps its flag, quantity and parameters",
			req: controlapi.BuyRequest{TestFlag: protocol.TestFlagDebug, LinearValue: 20,
				ExtendParams: []koomock.Param{{Key: "region", Value: "cn-north-4"}}},
			want: koomock.Order{Type: koomock.OrderNew, ChargingMode: koomock.ChargingPeriod, ProductID: periodStd,
				PeriodType: koomock.PeriodYear, PeriodNumber: 1, ExpireAt: year, TestFlag: protocol.TestFlagDebug, LinearValue: 20}},

		{name: "unknown product", req: controlapi.BuyRequest{ProductID: "OFFI999"},
			err: "product OFFI999 is not in the catalog"},
		{name: "a product's mode contradicted", req: controlapi.BuyRequest{ProductID: oneTime, ChargingMode: koomock.ChargingPeriod},
			err: "product " + oneTime + " is sold ONE_TIME, not PERIOD"},
		{name: "unknown mode", req: controlapi.BuyRequest{ChargingMode: "HOURLY"},
			err: `charging mode "HOURLY" is not one of PERIOD, ONE_TIME, ON_DEMAND, ON_DEMAND_PKG`},
		{name: "unknown test flag", req: controlapi.BuyRequest{TestFlag: "2"},
			err: `testFlag must be "1", "0" or empty, not "2"`},
		{name: "negative quantity", req: controlapi.BuyRequest{LinearValue: -1},
			err: "linearValue must be positive"},
		{name: "a trial of a one-time product", req: controlapi.BuyRequest{Trial: true, ProductID: oneTime},
			err: "trials are of periodic products, not ONE_TIME"},
		{name: "a period on a one-time product", req: controlapi.BuyRequest{ProductID: oneTime, PeriodNumber: 1},
			err: "a ONE_TIME order has no period"},
		{name: "a period out of range", req: controlapi.BuyRequest{PeriodType: koomock.PeriodMonth, PeriodNumber: 101},
			err: "periodNumber must be 1 to 100, not 101"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := m.newOrder(tc.req)
			if tc.err != "" {
				wantRefusal(t, err, controlapi.CodeInvalid, tc.err)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			p, _ := m.Catalog.Product(tc.want.ProductID)
			want := tc.want
			want.SKUCode, want.ProductName = p.SKUCode, p.Name
			want.CustomerID, want.CustomerName = m.Catalog.Customer.ID, m.Catalog.Customer.Name
			want.Status, want.CreatedAt = koomock.OrderPending, bought
			// The order gets its ID when it is stored (createOrder), not here.
			if got.ID != "" || got.LineID != "" {
				t.Errorf("newOrder drew IDs %q, %q: they are drawn when the order is stored", got.ID, got.LineID)
			}
			if !got.ExpireAt.Equal(want.ExpireAt) {
				t.Errorf("ExpireAt %v, want %v", got.ExpireAt, want.ExpireAt)
			}
			got.ExpireAt, want.ExpireAt = time.Time{}, time.Time{}
			want.ExtendParams = tc.req.ExtendParams
			if !reflect.DeepEqual(got, want) {
				t.Errorf("order\n %+v\nwant\n %+v", got, want)
			}
		})
	}
}

func TestDebugOrdersRunFromNow(t *testing.T) {
	m := testMarket(t)
	for _, tc := range []struct {
		id      string
		typ     koomock.OrderType
		mode    koomock.ChargingMode
		expires time.Time
	}{
		{id: "MOCKPERIODYEARNEW", typ: koomock.OrderNew, mode: koomock.ChargingPeriod, expires: bought.AddDate(1, 0, 0)},
		{id: "MOCKPERIODDAYTRIAL", typ: koomock.OrderTrial, mode: koomock.ChargingPeriod, expires: bought.AddDate(0, 0, 7)},
		{id: "MOCKMONTYRENEW", typ: koomock.OrderRenew, mode: koomock.ChargingPeriod, expires: bought.AddDate(0, 1, 0)},
		{id: "MOCKONETIMENEW", typ: koomock.OrderNew, mode: koomock.ChargingOneTime},
		{id: "MOCKONDEMANDPKG", typ: koomock.OrderNew, mode: koomock.ChargingOnDemandPkg},
	} {
		// A debug order is made up by the catalog, so LookupOrder never reaches the store.
		o, err := m.LookupOrder(context.Background(), tc.id)
		if err != nil {
			t.Fatalf("%s: %v", tc.id, err)
		}
		if o.ID != tc.id || o.LineID != tc.id+"-000001" || o.Type != tc.typ || o.ChargingMode != tc.mode ||
			o.TestFlag != protocol.TestFlagDebug || o.Status != koomock.OrderDelivered || !o.CreatedAt.Equal(bought) ||
			!o.ExpireAt.Equal(tc.expires) {
			t.Errorf("%s: %+v", tc.id, o)
		}
	}
}

func TestRenewable(t *testing.T) {
	periodic := koomock.Instance{ID: "i1", State: koomock.InstanceActive, ChargingMode: koomock.ChargingPeriod,
		ExpireAt: bought.AddDate(1, 0, 0)}
	with := func(edit func(*koomock.Instance)) koomock.Instance {
		in := periodic
		edit(&in)
		return in
	}
	for _, tc := range []struct {
		name string
		in   koomock.Instance
		err  string // a conflict's message, or "" when it may be renewed
	}{
		{name: "active and periodic", in: periodic},
		{name: "frozen, within its freeze window", in: with(func(in *koomock.Instance) { in.State = koomock.InstanceFrozen })},
		{name: "released", in: with(func(in *koomock.Instance) { in.State = koomock.InstanceReleased }),
			err: "instance i1 was released"},
		{name: "never delivered", in: with(func(in *koomock.Instance) { in.State = koomock.InstanceFailed }),
			err: "instance i1 was never delivered"},
		{name: "one-time", in: with(func(in *koomock.Instance) { in.ChargingMode, in.ExpireAt = koomock.ChargingOneTime, time.Time{} }),
			err: "instance i1 is ONE_TIME: only periodic instances are renewed"},
		{name: "periodic without an expiry", in: with(func(in *koomock.Instance) { in.ExpireAt = time.Time{} }),
			err: "only periodic instances are renewed"},
		{name: "a trial", in: with(func(in *koomock.Instance) { in.Trial = true }),
			err: "instance i1 is a trial: convert it to a formal purchase instead"},
	} {
		err := renewable(tc.in)
		if tc.err == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		wantRefusal(t, err, controlapi.CodeConflict, tc.err)
	}
}

func TestLimitParam(t *testing.T) {
	for _, tc := range []struct {
		query string
		want  int
		bad   bool
	}{
		{query: "", want: 100},
		{query: "?limit=1", want: 1},
		{query: "?limit=1000", want: 1000},
		{query: "?limit=0", bad: true},
		{query: "?limit=1001", bad: true},
		{query: "?limit=-5", bad: true},
		{query: "?limit=ten", bad: true},
	} {
		got, err := limitParam(httptest.NewRequest("GET", "/_mock/orders"+tc.query, nil))
		if tc.bad {
			wantRefusal(t, err, controlapi.CodeInvalid, "limit must be 1 to 1000")
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%q: %d, %v; want %d", tc.query, got, err, tc.want)
		}
	}
}
