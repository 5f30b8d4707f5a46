package console_test

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/examples/seller"
	"github.com/koomock/koomock/examples/seller/sellertest"
	"github.com/koomock/koomock/fixtures"
)

// TestExchangeViewShowsAWarningDistinctly: a seller whose Body-Sign does not match its answer breaks
// an advisory rule. KooGallery accepts that, so the exchange is neither passed nor failed: its page
// and its verdict row say warn, in the warning colour, not the failure's.
func TestExchangeViewShowsAWarningDistinctly(t *testing.T) {
	v, ok := sellertest.Lookup("wrong-body-sign")
	if !ok {
		t.Fatal("no wrong-body-sign variant")
	}
	srv, api := newServer(t, v.Handler(seller.Config{AccessKey: fixtures.DemoAccessKey}), nil)
	p, err := api.Buy(context.Background(), controlapi.BuyRequest{})
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, srv.URL())
	body := b.get(fmt.Sprintf("/console/journal/%d", p.Exchange.ID)).body
	mustContain(t, "the exchange page", body, `data-outcome="warn"`,
		fmt.Sprintf(`<tr data-outcome="warn"><td><span class="badge warn">warn</span></td><td class="mono nowrap">%s</td>`, koomock.RuleBodySign))
	if regexp.MustCompile(`<tr data-outcome="fail"`).MatchString(body) {
		t.Error("the exchange page shows a failed verdict for an advisory rule")
	}
	css := b.get("/console/static/console.css").body
	warn := regexp.MustCompile(`\.badge\.warn\s*\{[^}]*var\(--warn\)[^}]*var\(--warn-bg\)`)
	if !warn.MatchString(css) {
		t.Error("the console's stylesheet gives warn badges no colour of their own")
	}
}
