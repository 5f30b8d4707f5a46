package console_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserBuyExpireAndRelease is a seller's whole instance life with clicks: buy a monthly product,
// watch the newInstance exchange appear with its verdict on the instance page, then expire (freeze)
// and release the instance from its page, each click showing the callback it caused and its verdict.
func TestBrowserBuyExpireAndRelease(t *testing.T) {
	srv, _ := newServer(t, nil, nil)
	tab := newBrowserTab(t)
	tab.do("open the orders",
		chromedp.Navigate(srv.URL()+"/console/orders"),
		chromedp.WaitVisible(chromedp.ID("buy-form")))
	tab.do("buy a monthly product",
		chromedp.SetValue(chromedp.CSS(`#buy-form select[name="periodType"]`), "month"),
		chromedp.Click(chromedp.CSS(`#buy-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.ID("open-instance")))
	tab.do("open the instance",
		chromedp.Click(chromedp.ID("open-instance")),
		chromedp.WaitVisible(chromedp.CSS(`#instance-state[data-state="active"]`)))

	// The newInstance exchange is in the instance's history with its verdict; the table follows the
	// journal, so later callbacks appear without reloading.
	tab.do("see the newInstance exchange",
		chromedp.WaitVisible(chromedp.CSS(`#history ~ .scroll tr[data-id="1"][data-outcome="pass"]`)))
	if row := tab.text(`tr[data-id="1"]`); !strings.Contains(row, "newInstance") || !strings.Contains(row, "pass") {
		t.Errorf("the history's newInstance row: %q", row)
	}
	tab.shot("instance")

	tab.do("expire it",
		chromedp.Click(chromedp.ID("act-expire")),
		chromedp.WaitVisible(chromedp.CSS(`#result[data-done="expire"] .result-exchange[data-outcome="pass"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#instance-state[data-state="frozen"]`)))
	if got := tab.text("#result"); !strings.Contains(got, "updateInstanceStatus") {
		t.Errorf("the expiry's result shows %q, want updateInstanceStatus", got)
	}
	if n := eval[int](tab, `document.querySelectorAll("#act-expire, #act-freeze, #act-unfreeze").length`); n != 0 {
		t.Errorf("an expired instance offers %d freeze/unfreeze/expire buttons; it must be renewed", n)
	}
	tab.shot("expired")

	tab.do("query it",
		chromedp.Click(chromedp.ID("act-query")),
		chromedp.WaitVisible(chromedp.CSS(`#result[data-done="query"] .result-exchange[data-outcome="pass"] pre.answer`)))
	if got := tab.text("#result pre.answer"); !strings.Contains(got, `"resultCode": "000000"`) {
		t.Errorf("the query's answer shows %q", got)
	}
	tab.shot("queried")

	tab.do("release it",
		chromedp.Click(chromedp.ID("act-release")),
		chromedp.WaitVisible(chromedp.CSS(`#result[data-done="release"] .result-exchange[data-outcome="pass"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#instance-state[data-state="released"]`)))
	if got := tab.text("#result"); !strings.Contains(got, "releaseInstance") {
		t.Errorf("the release's result shows %q, want releaseInstance", got)
	}
	if got := tab.text("#act-release"); got != "Release again" {
		t.Errorf("a released instance's release button says %q", got)
	}
	tab.shot("released")

	tab.do("open the release's exchange",
		chromedp.Click(chromedp.CSS(`#result .result-exchange a`)),
		chromedp.WaitVisible(chromedp.CSS(`h1[data-outcome="pass"]`)))
	if got := tab.text("h1"); !strings.Contains(got, "releaseInstance") {
		t.Errorf("the exchange page's title: %q", got)
	}

	// At a phone's width the instance page does not spill sideways.
	tab.do("narrow the window",
		chromedp.EmulateViewport(390, 844),
		chromedp.NavigateBack(),
		chromedp.WaitVisible(chromedp.ID("act-release")))
	if tab.spillsSideways() {
		t.Error("at 390 px the instance page is wider than the window")
	}
	tab.shot("instance-narrow")
	tab.fitsNarrow(srv.URL(), "/console/orders", "/console/instances", "/console/deliveries?status=all")
	tab.shot("deliveries-narrow")
}
