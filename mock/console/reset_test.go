package console_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
)

func TestResetFromTheOverview(t *testing.T) {
	srv, api := newServer(t, nil, nil)
	ctx := context.Background()
	if _, err := api.Buy(ctx, controlapi.BuyRequest{PeriodType: koomock.PeriodMonth}); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, srv.URL())
	mustContain(t, "the overview", b.get("/console/").body, `action="/console/actions/reset"`, `name="confirm"`)
	if got := b.post("/console/actions/reset", nil); got.status != http.StatusBadRequest {
		t.Errorf("a reset without the box ticked: HTTP %d", got.status)
	}
	if orders, _ := api.Orders(ctx, 0); len(orders) != 1 {
		t.Fatalf("an unconfirmed reset emptied the orders: %d left", len(orders))
	}
	if got := b.post("/console/actions/reset", url.Values{"confirm": {"yes"}}); got.status != http.StatusSeeOther || got.location != "/console/" {
		t.Errorf("a confirmed reset: HTTP %d to %q", got.status, got.location)
	}
	if orders, err := api.Orders(ctx, 0); err != nil || len(orders) != 0 {
		t.Errorf("orders after the console's reset: %d, %v", len(orders), err)
	}
}
