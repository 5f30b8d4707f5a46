package console_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/koomock/koomock/controlapi"
)

// TestBrowserMakesAndFreezesATestCode makes a test license code from the console, finds it listed,
// opens it and expires it: KooGallery freezes it and tells the reference seller.
func TestBrowserMakesAndFreezesATestCode(t *testing.T) {
	srv, api := newServer(t, nil, nil)
	b := newBrowserTab(t)
	b.do("open the license codes",
		chromedp.Navigate(srv.URL()+"/console/licenses"),
		chromedp.WaitVisible(chromedp.ID("make-test-codes")))
	b.shot("licenses")
	b.do("create a test code",
		chromedp.Click(chromedp.ID("make-test-codes")),
		chromedp.WaitVisible(chromedp.CSS(`tr.new[data-code][data-state="active"]`)))
	code := eval[string](b, `document.querySelector("tr.new[data-code]").dataset.code`)
	if row := b.text(`tr.new[data-code]`); !strings.Contains(row, "test") || !strings.Contains(row, "no") {
		t.Errorf("the new code's row: %q", row)
	}
	codes, err := api.LicenseCodeList(context.Background())
	if err != nil || len(codes) == 0 || codes[0].Code != code || codes[0].TestFlag != "1" {
		t.Fatalf("the newest code is not %s: %+v %v", code, codes, err)
	}
	b.shot("created")

	b.do("open the code",
		chromedp.Click(chromedp.CSS(`tr.new[data-code] a`)),
		chromedp.WaitVisible(chromedp.CSS(`#license-state[data-state="active"]`)))
	if got := b.text("#license-code"); got != code {
		t.Errorf("the code's page shows %q", got)
	}
	b.do("expire it",
		chromedp.Click(chromedp.CSS(`button[data-step="expire"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#license-state[data-state="frozen"]`)),
		chromedp.WaitVisible(chromedp.CSS(`table.exchanges tr[data-outcome="pass"]`)))
	if row := b.text(`table.exchanges tr[data-outcome="pass"]`); !strings.Contains(row, "updateLicenseCodeStatus") {
		t.Errorf("the callback's row: %q", row)
	}
	if history := b.text("table.license-history"); !strings.Contains(history, "frozen") {
		t.Errorf("the history: %q", history)
	}
	b.shot("frozen")

	b.fitsNarrow(srv.URL(), "/console/licenses", "/console/licenses/"+code)
	b.shot("code-narrow")
}

// TestBrowserSavesAndReplaysACase buys a product, saves its newInstance as a debug case from the
// exchange's page, replays the case and opens the replay.
func TestBrowserSavesAndReplaysACase(t *testing.T) {
	srv, api := newServer(t, nil, nil)
	p, err := api.Buy(context.Background(), controlapi.BuyRequest{})
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowserTab(t)
	b.do("open the exchange",
		chromedp.Navigate(fmt.Sprintf("%s/console/journal/%d", srv.URL(), p.Exchange.ID)),
		chromedp.WaitVisible(chromedp.ID("save-as-case")))
	b.do("save it as a case",
		chromedp.SendKeys(chromedp.CSS(`#save-case input[name="name"]`), "yearly purchase"),
		chromedp.Click(chromedp.ID("save-as-case")),
		chromedp.WaitVisible(chromedp.CSS(`h1[data-case]`)))
	if h := b.text("h1"); !strings.Contains(h, "yearly purchase") {
		t.Errorf("the case's heading: %q", h)
	}
	b.shot("saved")

	b.do("replay it",
		chromedp.Click(chromedp.CSS(`button[data-replay-case]`)),
		chromedp.WaitVisible(chromedp.CSS(`table.case-runs tr[data-passed="true"]`)))
	if row := b.text(`table.case-runs tr[data-passed="true"]`); !strings.Contains(row, "on demand") {
		t.Errorf("the replay's row: %q", row)
	}
	b.shot("replayed")

	b.do("open the cases",
		chromedp.Navigate(srv.URL()+"/console/cases"),
		chromedp.WaitVisible(chromedp.CSS(`tr[data-case]`)))
	if row := b.text(`tr[data-case]`); !strings.Contains(row, "yearly purchase") || !strings.Contains(row, "1 passed") {
		t.Errorf("the case's row: %q", row)
	}
	b.shot("cases")

	b.do("open the replay",
		chromedp.Click(chromedp.CSS(`tr[data-case] td.nowrap a`)),
		chromedp.WaitVisible(chromedp.CSS(`h1[data-exchange][data-outcome="pass"]`)))
	if v := b.text("table.verdicts"); !strings.Contains(v, "still passes") {
		t.Errorf("the replay's verdicts: %q", v)
	}
	b.shot("replay")
}
