package console_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
)

func TestDebugCasesFromTheConsole(t *testing.T) {
	srv, api := newServer(t, nil, nil)
	ctx := context.Background()
	p, err := api.Buy(ctx, controlapi.BuyRequest{})
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, srv.URL())
	mustContain(t, "the empty cases page", b.get("/console/cases").body, "No debug case yet.", "on sale", p.Order.ProductID)
	mustContain(t, "a passing callback's page", b.get(fmt.Sprintf("/console/journal/%d", p.Exchange.ID)).body, `id="save-as-case"`)

	const name = `<img src=x onerror=alert(2)> yearly`
	got := b.post("/console/actions/case-save", url.Values{"exchangeId": {fmt.Sprint(p.Exchange.ID)}, "name": {name}})
	cases, _ := api.Cases(ctx)
	if len(cases) != 1 || got.status != http.StatusSeeOther || got.location != fmt.Sprintf("/console/cases/%d", cases[0].ID) {
		t.Fatalf("save: HTTP %d to %q, cases %+v", got.status, got.location, cases)
	}
	dc := cases[0]
	if dc.Name != name || dc.FromExchange != p.Exchange.ID {
		t.Errorf("saved %+v", dc)
	}
	page := b.get(got.location).body
	mustContain(t, "the case's page", page, "&lt;img src=x onerror=alert(2)&gt; yearly", "Not replayed yet.", `&#34;testFlag&#34;: &#34;1&#34;`,
		fmt.Sprintf(`href="/console/journal/%d"`, p.Exchange.ID))
	assertEscaped(t, "the case's page", page)

	got = b.post("/console/actions/case-replay", url.Values{"caseId": {fmt.Sprint(dc.ID)}})
	dc, _ = api.Case(ctx, dc.ID)
	if got.location != fmt.Sprintf("/console/cases/%d", dc.ID) || len(dc.Runs) != 1 || !dc.Runs[0].Passed || dc.Runs[0].DialTest {
		t.Fatalf("replay: HTTP %d to %q, runs %+v", got.status, got.location, dc.Runs)
	}
	mustContain(t, "the case's page after a replay", b.get(got.location).body,
		fmt.Sprintf(`data-exchange="%d" data-passed="true"`, dc.Runs[0].Exchange), "on demand")

	if got := b.post("/console/actions/cases-dial", nil); got.location != "/console/cases" {
		t.Errorf("dial now: HTTP %d to %q", got.status, got.location)
	}
	dc, _ = api.Case(ctx, dc.ID)
	if len(dc.Runs) != 2 || !dc.Runs[1].DialTest {
		t.Errorf("after a dial test: %+v", dc.Runs)
	}
	list := b.get("/console/cases").body
	mustContain(t, "the cases page", list, fmt.Sprintf(`data-case="%d"`, dc.ID), "2 passed · 0 failed", "dial test")
	assertEscaped(t, "the cases page", list)

	got = b.post("/console/actions/case-delete", url.Values{"caseId": {fmt.Sprint(dc.ID)}})
	if cases, _ := api.Cases(ctx); len(cases) != 0 || got.location != "/console/cases" {
		t.Errorf("delete: HTTP %d to %q, cases %+v", got.status, got.location, cases)
	}
}

// TestFrozenProductFromTheConsole lets dial tests fail five days in a row and unfreezes the product
// from the cases page.
func TestFrozenProductFromTheConsole(t *testing.T) {
	srv, api := newServer(t, nil, nil)
	ctx := context.Background()
	p, err := api.Buy(ctx, controlapi.BuyRequest{})
	if err != nil {
		t.Fatal(err)
	}
	dc, err := api.SaveCase(ctx, controlapi.SaveCaseRequest{ExchangeID: p.Exchange.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := api.SetFault(ctx, koomock.Fault{Name: "seller-unreachable", Target: "dialTest"}); err != nil {
		t.Fatal(err)
	}
	if _, err := api.Advance(ctx, "5d"); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, srv.URL())
	list := b.get("/console/cases").body
	mustContain(t, "the cases page", list, `data-frozen="true"`, "failed its dial tests on 5 consecutive days", "Unfreeze", "5 failing days")
	mustContain(t, "the case's page", b.get(fmt.Sprintf("/console/cases/%d", dc.ID)).body,
		`id="product-frozen"`, `data-passed="false"`, "dial test", "5 of 5")

	got := b.post("/console/actions/product-unfreeze", url.Values{"productId": {dc.ProductID}})
	if got.location != "/console/cases" {
		t.Fatalf("unfreeze: HTTP %d to %q", got.status, got.location)
	}
	if list, _ := api.Products(ctx); !strings.Contains(fmt.Sprint(list), dc.ProductID) || anyFrozen(list) {
		t.Errorf("after unfreezing: %+v", list)
	}
	mustContain(t, "the cases page after unfreezing", b.get("/console/cases").body, `data-frozen="false"`)
}

func anyFrozen(list []controlapi.Product) bool {
	for _, p := range list {
		if p.State.Frozen {
			return true
		}
	}
	return false
}

// TestRefusedCaseActionsShowTheControlAPIMessage: saving what cannot be a case, and acting on a case
// or product that does not exist, show the control API's message.
func TestRefusedCaseActionsShowTheControlAPIMessage(t *testing.T) {
	srv, api := newServer(t, nil, nil)
	probe, err := api.Probe(context.Background(), controlapi.ProbeRequest{Activity: "newInstance", Probe: "stale-timestamp"})
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, srv.URL())
	if body := b.get(fmt.Sprintf("/console/journal/%d", probe.ID)).body; strings.Contains(body, `id="save-as-case"`) {
		t.Error("a probe's page offers to save it as a case")
	}
	// A passing license callback is not a SaaS callback: dial tests cannot replay it.
	codes, err := api.TestCodes(context.Background(), controlapi.TestCodesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	expired, err := api.LicenseAction(context.Background(), codes.Codes[0].Code, "expire", nil)
	if err != nil || len(expired.Callbacks) != 1 || expired.Callbacks[0].Failed() {
		t.Fatalf("expire: %+v, %v", expired, err)
	}
	if body := b.get(fmt.Sprintf("/console/journal/%d", expired.Callbacks[0].ID)).body; strings.Contains(body, `id="save-as-case"`) {
		t.Error("a license callback's page offers to save it as a case")
	}
	tests := []struct {
		action string
		form   url.Values
		status int
		want   string
	}{
		{"case-save", url.Values{"exchangeId": {fmt.Sprint(probe.ID)}}, 409, "is a deliberately faulty callback"},
		{"case-save", url.Values{"exchangeId": {"99"}}, 404, "exchange 99 does not exist"},
		{"case-save", url.Values{"exchangeId": {"first"}}, 400, "exchangeId must be an ID"},
		{"case-replay", url.Values{"caseId": {"7"}}, 404, "debug case 7 does not exist"},
		{"case-delete", url.Values{"caseId": {"7"}}, 404, "debug case 7 does not exist"},
		{"product-unfreeze", url.Values{"productId": {"NOPE"}}, 404, "product NOPE is not in the catalog"},
		{"product-unfreeze", url.Values{}, 400, "name the product"},
	}
	for _, tt := range tests {
		got := b.post("/console/actions/"+tt.action, tt.form)
		if got.status != tt.status || !strings.Contains(got.body, tt.want) {
			t.Errorf("%s %v: HTTP %d, want %d with %q:\n%s", tt.action, tt.form, got.status, tt.status, tt.want, got.body)
		}
	}
	if got := b.get("/console/cases/7"); got.status != http.StatusNotFound || !strings.Contains(got.body, "debug case 7 does not exist") {
		t.Errorf("a missing case's page: HTTP %d", got.status)
	}
	if cases, _ := api.Cases(context.Background()); len(cases) != 0 {
		t.Errorf("refused forms saved cases: %+v", cases)
	}
}

// caseAndLicenseSamples are the sample forms of the debug-case and license actions for
// TestEveryActionHasItsControlAPITwin, on a code and a case made here; exchangeID is a passing
// callback.
func caseAndLicenseSamples(t *testing.T, api *controlapi.Client, exchangeID int64) map[string]url.Values {
	t.Helper()
	ctx := context.Background()
	codes, err := api.TestCodes(ctx, controlapi.TestCodesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	dc, err := api.SaveCase(ctx, controlapi.SaveCaseRequest{ExchangeID: exchangeID})
	if err != nil {
		t.Fatal(err)
	}
	id := fmt.Sprint(dc.ID)
	return map[string]url.Values{
		"license-test-codes": {"count": {"1"}, "validity": {"1d"}},
		"license-buy":        {"periodType": {"month"}, "periodNumber": {"1"}},
		"license-code":       {"code": {codes.Codes[0].Code}, "step": {"expire"}},
		"license-probe":      {"activity": {"updateLicenseCodeStatus"}, "probe": {"tampered-signature"}},
		"case-save":          {"exchangeId": {fmt.Sprint(exchangeID)}},
		"case-replay":        {"caseId": {id}},
		"case-delete":        {"caseId": {id}},
		"cases-dial":         {},
		// The product is on sale: koomock refuses nothing here, and unfreezing is harmless.
		"product-unfreeze": {"productId": {dc.ProductID}},
	}
}

// caseAndLicensePages are the debug-case and license pages for TestEveryPageRenders, about a code
// and a case made here from p's callback.
func caseAndLicensePages(t *testing.T, api *controlapi.Client, p controlapi.Purchase) []struct {
	path string
	want []string
} {
	t.Helper()
	ctx := context.Background()
	codes, err := api.TestCodes(ctx, controlapi.TestCodesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	code := codes.Codes[0].Code
	dc, err := api.SaveCase(ctx, controlapi.SaveCaseRequest{ExchangeID: p.Exchange.ID, Name: "yearly purchase"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := api.ReplayCase(ctx, dc.ID); err != nil {
		t.Fatal(err)
	}
	return []struct {
		path string
		want []string
	}{
		{"/console/licenses", []string{"Create test codes", code, ">test<", "active"}},
		{"/console/licenses/" + code, []string{code, "issued", "Expire now (FREEZE)", "Your software has not checked this code yet."}},
		{"/console/cases", []string{"yearly purchase", p.Order.ProductID, "on sale", "1 passed · 0 failed"}},
		{fmt.Sprintf("/console/cases/%d", dc.ID), []string{"yearly purchase", "newInstance", "on demand", `data-passed="true"`}},
	}
}
