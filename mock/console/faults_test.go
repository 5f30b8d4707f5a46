package console_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/ids"
	"github.com/koomock/koomock/mock/console"
	"github.com/koomock/koomock/mock/faults"
	"github.com/koomock/koomock/mock/feed"
	"github.com/koomock/koomock/store"
)

// TestFaultsPageSwitchesOfferedFaults drives the faults page against the real fault registry and its
// control-API routes alone, with a fault declared as a flow declares one.
func TestFaultsPageSwitchesOfferedFaults(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, store.Memory)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	reg, err := faults.Load(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	reg.Declare(faults.Declaration{Name: "gateway-latency", Description: "answer <slowly>",
		Value: "how long, e.g. 3s", Targets: []string{"orderQuery", "licenseHeartbeat"}})
	control := chi.NewRouter()
	control.Route("/_mock", reg.ControlRoutes)
	api := httptest.NewServer(control)
	defer api.Close()
	client := &controlapi.Client{BaseURL: api.URL}
	c, err := console.New(console.Config{API: client, Feed: &feed.Broadcaster{}, IDs: ids.New(nil)})
	if err != nil {
		t.Fatal(err)
	}
	site := chi.NewRouter()
	site.Mount(console.Prefix, c.Routes())
	srv := httptest.NewServer(site)
	defer srv.Close()

	b := newBrowser(t, srv.URL)
	page := b.get("/console/faults")
	mustContain(t, "the faults page", page.body, `data-fault-name="gateway-latency"`, "answer &lt;slowly&gt;",
		"how long, e.g. 3s", "<option>licenseHeartbeat</option>", "No fault is on")

	got := b.post("/console/actions/fault-set", url.Values{"name": {"gateway-latency"}, "target": {"orderQuery"}, "value": {"3s"}, "remaining": {"2"}})
	if got.status != http.StatusSeeOther || got.location != "/console/faults" {
		t.Fatalf("switching a fault on: HTTP %d to %q\n%s", got.status, got.location, got.body)
	}
	list, err := client.Faults(ctx)
	if err != nil || len(list.Active) != 1 {
		t.Fatalf("active faults: %+v, %v", list, err)
	}
	f := list.Active[0]
	if f.Name != "gateway-latency" || f.Target != "orderQuery" || f.Value != "3s" || f.Remaining != 2 {
		t.Errorf("fault switched on: %+v", f)
	}
	mustContain(t, "the faults page", b.get("/console/faults").body, "2 more times", `id="clear-faults"`)

	if got := b.post("/console/actions/fault-set", url.Values{"name": {"gateway-latency"}, "target": {"newInstance"}}); got.status != http.StatusBadRequest {
		t.Errorf("a fault for a target it does not offer: HTTP %d", got.status)
	}
	b.post("/console/actions/fault-clear", url.Values{"id": {"1"}})
	if list, _ := client.Faults(ctx); len(list.Active) != 0 {
		t.Errorf("after switching it off: %+v", list.Active)
	}
	b.post("/console/actions/fault-set", url.Values{"name": {"gateway-latency"}, "value": {"1s"}})
	b.post("/console/actions/fault-set", url.Values{"name": {"gateway-latency"}, "value": {"2s"}})
	b.post("/console/actions/faults-clear", nil)
	if list, _ := client.Faults(ctx); len(list.Active) != 0 {
		t.Errorf("after switching every fault off: %+v", list.Active)
	}
	if strings.Contains(b.get("/console/faults").body, "answer <slowly>") {
		t.Error("a fault's description is not escaped")
	}
}

// TestFaultsPageOffersTheScriptedFaults switches on, from the page of a whole koomock, each scripted
// fault issue 8 names (token endpoint errors, heartbeat status, gateway latency and 5xx, callback
// signature tampering, an unreachable seller) with a value, a target and a count, then switches them off.
func TestFaultsPageOffersTheScriptedFaults(t *testing.T) {
	srv, api := newServer(t, nil, nil)
	ctx := context.Background()
	b := newBrowser(t, srv.URL())
	page := b.get("/console/faults")
	mustContain(t, "the faults page", page.body,
		`data-fault-name="oauth-token-error"`, `<option>authorization_code</option>`, `<option value="temporarily_unavailable">`,
		`data-fault-name="license-status"`, `<option value="EXPIRED">`,
		`data-fault-name="license-gateway-latency"`, `<option value="3s">`,
		`data-fault-name="license-gateway-error"`, `<option value="503">`,
		`data-fault-name="callback-tamper-signature"`, `data-fault-name="seller-unreachable"`, `<option>newInstance</option>`)

	want := []koomock.Fault{
		{Name: "oauth-token-error", Target: "refresh_token", Value: "temporarily_unavailable", Remaining: 2},
		{Name: "license-status", Target: "PLKOOMOCKDEMO0001", Value: "EXPIRED"},
		{Name: "license-gateway-latency", Value: "3s", Remaining: 1},
		{Name: "license-gateway-error", Value: "503"},
		{Name: "callback-tamper-signature", Target: "newInstance", Remaining: 1},
		{Name: "seller-unreachable"},
	}
	for _, f := range want {
		form := url.Values{"name": {f.Name}, "target": {f.Target}, "value": {f.Value}}
		if f.Remaining > 0 {
			form.Set("remaining", fmt.Sprint(f.Remaining))
		}
		if got := b.post("/console/actions/fault-set", form); got.status != http.StatusSeeOther {
			t.Fatalf("switching %s on: HTTP %d\n%s", f.Name, got.status, got.body)
		}
	}
	list, err := api.Faults(ctx)
	if err != nil || len(list.Active) != len(want) {
		t.Fatalf("active faults: %+v, %v", list.Active, err)
	}
	for i, f := range list.Active {
		f.ID = 0
		if f != want[i] {
			t.Errorf("fault %d: %+v, want %+v", i, f, want[i])
		}
	}
	page = b.get("/console/faults")
	mustContain(t, "the faults page", page.body, "temporarily_unavailable", "PLKOOMOCKDEMO0001", "2 more times", "until switched off")

	if got := b.post("/console/actions/fault-set", url.Values{"name": {"oauth-token-error"}, "target": {"password"}}); got.status != http.StatusBadRequest ||
		!strings.Contains(got.body, "applies to [authorization_code refresh_token]") {
		t.Errorf("a token fault for a grant type it does not offer: HTTP %d\n%s", got.status, got.body)
	}
	b.post("/console/actions/fault-clear", url.Values{"id": {fmt.Sprint(list.Active[0].ID)}})
	if list, _ := api.Faults(ctx); len(list.Active) != len(want)-1 || list.Active[0].Name != "license-status" {
		t.Errorf("after switching the first off: %+v", list.Active)
	}
	b.post("/console/actions/faults-clear", nil)
	if list, _ := api.Faults(ctx); len(list.Active) != 0 {
		t.Errorf("after switching every fault off: %+v", list.Active)
	}
}
