package console_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/examples/seller"
	"github.com/koomock/koomock/fixtures"
)

// buyFromConsole buys through the orders page's form and returns the instance the reference seller
// created.
func buyFromConsole(t *testing.T, b *browser, api *controlapi.Client, form url.Values) koomock.Instance {
	t.Helper()
	b.get("/console/orders")
	got := b.post("/console/actions/buy", form)
	orderID, ok := strings.CutPrefix(got.location, "/console/orders/")
	if got.status != http.StatusSeeOther || !ok {
		t.Fatalf("buy %v: HTTP %d to %q\n%s", form, got.status, got.location, got.body)
	}
	p, err := api.Order(context.Background(), orderID)
	if err != nil || p.Instance == nil {
		t.Fatalf("order %s: %+v, %v", orderID, p, err)
	}
	return *p.Instance
}

// act clicks an action's button on the instance page and returns the page it leads to, which shows
// what the action did.
func act(t *testing.T, b *browser, id, op string, fields url.Values) page {
	t.Helper()
	form := url.Values{"instanceId": {id}, "op": {op}}
	for k, v := range fields {
		form[k] = v
	}
	got := b.post("/console/actions/act", form)
	if got.status != http.StatusSeeOther || !strings.HasPrefix(got.location, "/console/instances/"+id+"?done="+op) {
		t.Fatalf("%s: HTTP %d to %q\n%s", op, got.status, got.location, got.body)
	}
	return b.get(got.location)
}

// offered reports which action buttons the instance page shows.
func offered(body string) map[string]bool {
	out := map[string]bool{}
	for _, op := range append(controlapi.Actions, "query") {
		out[op] = strings.Contains(body, `id="act-`+op+`"`)
	}
	return out
}

func wantOffered(t *testing.T, what, body string, want ...string) {
	t.Helper()
	got := offered(body)
	for op, shown := range got {
		if shown != slices.Contains(want, op) {
			t.Errorf("%s: button %q shown=%v, want only %v", what, op, shown, want)
		}
	}
}

// TestInstanceLifecycleFromTheConsole buys a monthly product with the form and takes its instance
// through every action with the instance page's buttons, each leading back to the page with the
// exchanges it caused and their verdicts.
func TestInstanceLifecycleFromTheConsole(t *testing.T) {
	srv, api := newServer(t, nil, nil)
	ctx := context.Background()
	b := newBrowser(t, srv.URL())
	in := buyFromConsole(t, b, api, url.Values{"chargingMode": {"PERIOD"}, "periodType": {"month"}, "periodNumber": {"1"}})
	path := "/console/instances/" + in.ID

	body := b.get(path).body
	mustContain(t, "the instance page", body, `data-state="active"`, in.OrderID, "koomock demo SaaS, Standard", "newInstance")
	wantOffered(t, "an active monthly instance", body, "renew", "renewal-change", "change-check", "upgrade",
		"expire", "freeze", "unsubscribe", "release", "query")

	body = act(t, b, in.ID, "renew", url.Values{"periodType": {""}, "periodNumber": {"2"}}).body
	mustContain(t, "after renewing", body, `data-done="renew"`, "Renew: what happened", "KooGallery placed order",
		"refreshInstance", `data-outcome="pass"`, "2027-02-27")
	wantOffered(t, "a renewed instance", body, "renew", "cancel-renewal", "renewal-change", "change-check", "upgrade",
		"expire", "freeze", "unsubscribe", "release", "query")

	body = act(t, b, in.ID, "cancel-renewal", nil).body
	mustContain(t, "after cancelling the renewal", body, "Cancel the renewal: what happened", "refreshInstance", "2026-12-27")
	if d, _ := api.Instance(ctx, in.ID); !d.Instance.ExpireAt.Equal(in.ExpireAt) {
		t.Errorf("expiry %v after cancelling the renewal, want %v back", d.Instance.ExpireAt, in.ExpireAt)
	}

	body = act(t, b, in.ID, "change-check", url.Values{"productId": {"OFFI100000000000000005"}, "productInfoForm": {"string"}}).body
	mustContain(t, "after checking a change", body, "Check a renewal change: what happened", "changeInstanceCheck")
	if strings.Contains(body, "KooGallery placed order") {
		t.Error("a change check placed an order")
	}

	body = act(t, b, in.ID, "renewal-change", url.Values{"productId": {"OFFI100000000000000005"}, "periodType": {"month"}, "periodNumber": {"1"}}).body
	mustContain(t, "after a renewal change", body, "changeInstanceCheck", "refreshInstance", "KooGallery placed order", "Professional")

	body = act(t, b, in.ID, "upgrade", url.Values{"productId": {"OFFI100000000000000001"}, "linearValue": {"20"}}).body
	mustContain(t, "after upgrading", body, "Upgrade: what happened", "upgradeInstance", "KooGallery placed order", "linear value 20")

	body = act(t, b, in.ID, "freeze", nil).body
	mustContain(t, "after freezing", body, `data-state="frozen"`, "updateInstanceStatus", `id="instance-frozen"`)
	// The renewal change is a renewal whose period has not begun: it can still be cancelled.
	wantOffered(t, "a frozen instance", body, "renew", "cancel-renewal", "renewal-change", "change-check", "upgrade", "unfreeze", "unsubscribe", "release", "query")

	body = act(t, b, in.ID, "unfreeze", nil).body
	mustContain(t, "after unfreezing", body, `data-state="active"`, "Unfreeze: what happened", "updateInstanceStatus")

	body = act(t, b, in.ID, "expire", nil).body
	mustContain(t, "after expiring", body, `data-state="frozen"`, "released on")
	// An expired instance is unfrozen by a renewal, not by unfreezing.
	wantOffered(t, "an expired instance", body, "renew", "renewal-change", "change-check", "upgrade", "unsubscribe", "release", "query")

	body = act(t, b, in.ID, "renew", nil).body
	if n := strings.Count(body, `class="result-exchange"`); n != 2 || !strings.Contains(body, `data-state="active"`) {
		t.Errorf("renewing a frozen instance shows %d exchanges (want refreshInstance and updateInstanceStatus) and not active", n)
	}

	got := b.post("/console/actions/query", url.Values{"instanceIds": {in.ID}})
	if !strings.HasPrefix(got.location, path+"?done=query&x=") {
		t.Fatalf("query answered %d to %q", got.status, got.location)
	}
	mustContain(t, "after querying", b.get(got.location).body, "Query the instance: what happened", "queryInstance", "<details open>", "resultCode")

	body = act(t, b, in.ID, "release", nil).body
	mustContain(t, "after releasing", body, `data-state="released"`, "Release: what happened", "releaseInstance", "Release again")
	wantOffered(t, "a released instance", body, "release")
	body = act(t, b, in.ID, "release", nil).body
	mustContain(t, "after releasing again", body, "releaseInstance", `data-outcome="pass"`)

	// The history lists every exchange about the instance, each linked to its page in the journal.
	list, err := api.Exchanges(ctx, koomock.ExchangeFilter{InstanceID: in.ID})
	if err != nil {
		t.Fatal(err)
	}
	body = b.get(path).body
	for _, e := range list {
		mustContain(t, "the history", body, `href="/console/journal/`+jsonInt(e.ID)+`"`)
	}
	mustContain(t, "the instances page", b.get("/console/instances").body, in.ID, "released")
}

func jsonInt(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// TestEveryChargingModeAndTrialFromTheConsole buys each charging mode and a trial with the orders
// page's buttons and checks the instance page offers what each allows.
func TestEveryChargingModeAndTrialFromTheConsole(t *testing.T) {
	srv, api := newServer(t, nil, nil)
	b := newBrowser(t, srv.URL())
	body := b.get("/console/orders").body
	mustContain(t, "the orders page", body, `id="buy-trial"`, `name="trial"`, "OFFI100000000000000005", `name="linearValue"`)
	for _, tt := range []struct {
		form url.Values
		want []string
	}{
		// The catalog sells one product of each mode but PERIOD: nothing to change to.
		{url.Values{"chargingMode": {"ONE_TIME"}}, []string{"upgrade", "freeze", "unsubscribe", "release", "query"}},
		{url.Values{"chargingMode": {"ON_DEMAND"}, "linearValue": {"5"}}, []string{"upgrade", "freeze", "unsubscribe", "release", "query"}},
		{url.Values{"chargingMode": {"ON_DEMAND_PKG"}}, []string{"upgrade", "freeze", "unsubscribe", "release", "query"}},
		{url.Values{"chargingMode": {"PERIOD"}, "productId": {"OFFI100000000000000005"}, "periodType": {"day"}, "periodNumber": {"3"}},
			[]string{"renew", "renewal-change", "change-check", "upgrade", "expire", "freeze", "unsubscribe", "release", "query"}},
	} {
		in := buyFromConsole(t, b, api, tt.form)
		if string(in.ChargingMode) != tt.form.Get("chargingMode") {
			t.Errorf("bought %v, got a %s instance", tt.form, in.ChargingMode)
		}
		wantOffered(t, string(in.ChargingMode)+" instance", b.get("/console/instances/"+in.ID).body, tt.want...)
	}

	trial := buyFromConsole(t, b, api, url.Values{"chargingMode": {"PERIOD"}, "trial": {"1"}})
	if !trial.Trial || trial.ExpireAt.Sub(trial.CreatedAt).Hours() != 7*24 {
		t.Errorf("a trial bought with the button: %+v", trial)
	}
	body = b.get("/console/instances/" + trial.ID).body
	mustContain(t, "a trial's page", body, `id="trial"`)
	wantOffered(t, "a trial", body, "convert", "change-check", "upgrade", "expire", "freeze", "unsubscribe", "release", "query")
	body = act(t, b, trial.ID, "convert", url.Values{"periodType": {"year"}, "periodNumber": {"1"}}).body
	mustContain(t, "after converting", body, "Convert the trial to a formal purchase: what happened", "refreshInstance", "2027-11-27")
	if strings.Contains(body, `id="trial"`) {
		t.Error("the converted instance is still shown as a trial")
	}
}

// sellerWith wraps the reference seller: while refuse is set, callbacks of the activity get the
// answer instead.
func sellerWith(activity string, refuse *atomic.Bool, status int, answer string) http.Handler {
	ref := seller.New(seller.Config{AccessKey: fixtures.DemoAccessKey})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(raw))
		var f struct {
			Activity string `json:"activity"`
		}
		json.Unmarshal(raw, &f)
		if f.Activity == activity && refuse.Load() {
			w.WriteHeader(status)
			w.Write([]byte(answer))
			return
		}
		ref.ServeHTTP(w, r)
	})
}

// TestDeliveriesPageResendsWhatFailed has a seller fail updateInstanceStatus: the freeze's delivery is
// listed as retrying with its attempt, and once the seller is fixed one click re-sends it.
func TestDeliveriesPageResendsWhatFailed(t *testing.T) {
	var down atomic.Bool
	srv, api := newServer(t, sellerWith("updateInstanceStatus", &down, http.StatusBadGateway, "upstream <b>down</b>"), nil)
	ctx := context.Background()
	p, err := api.Buy(ctx, controlapi.BuyRequest{})
	if err != nil {
		t.Fatal(err)
	}
	down.Store(true)
	b := newBrowser(t, srv.URL())
	b.get("/console/instances/" + p.Instance.ID)
	body := act(t, b, p.Instance.ID, "freeze", nil).body
	mustContain(t, "a freeze the seller failed", body, "updateInstanceStatus", `data-outcome="fail"`, `data-status="retrying"`, "Re-send now")

	body = b.get("/console/deliveries").body
	mustContain(t, "the deliveries page", body, `data-status="retrying"`, "updateInstanceStatus", "gives up", p.Instance.ID)
	if strings.Contains(body, "upstream <b>down</b>") {
		t.Error("the seller's answer is not escaped")
	}
	if strings.Contains(body, `data-delivery="1"`) {
		t.Error("the delivered newInstance is listed among the deliveries still owed")
	}
	list, err := api.Deliveries(ctx, controlapi.DeliveryQuery{Status: koomock.DeliveryRetrying})
	if err != nil || len(list) != 1 {
		t.Fatalf("retrying deliveries: %+v, %v", list, err)
	}
	d := list[0]

	down.Store(false)
	got := b.post("/console/actions/delivery-resend", url.Values{"deliveryId": {jsonInt(d.ID)}, "status": {"retrying"}})
	if got.status != http.StatusSeeOther || !strings.HasPrefix(got.location, "/console/deliveries?status=retrying&done=resend-delivery&x=") {
		t.Fatalf("re-send: HTTP %d to %q", got.status, got.location)
	}
	body = b.get(got.location).body
	mustContain(t, "after re-sending", body, "Re-send the delivery: what happened", "updateInstanceStatus", `data-outcome="pass"`, "No delivery here.")
	mustContain(t, "delivered deliveries", b.get("/console/deliveries?status=delivered").body, `data-delivery="`+jsonInt(d.ID)+`"`)

	// From the instance page, the re-send leads back to the instance.
	down.Store(true)
	act(t, b, p.Instance.ID, "unfreeze", nil)
	list, _ = api.Deliveries(ctx, controlapi.DeliveryQuery{Status: koomock.DeliveryRetrying})
	down.Store(false)
	got = b.post("/console/actions/delivery-resend", url.Values{"deliveryId": {jsonInt(list[0].ID)}, "instanceId": {p.Instance.ID}})
	if !strings.HasPrefix(got.location, "/console/instances/"+p.Instance.ID+"?done=resend-delivery&x=") {
		t.Errorf("re-send from the instance page led to %q", got.location)
	}
}

// TestRenewalChangeRefusedByTheSeller: when the seller refuses changeInstanceCheck, the page says no
// renewal was placed.
func TestRenewalChangeRefusedByTheSeller(t *testing.T) {
	refuse := &atomic.Bool{}
	refuse.Store(true)
	srv, api := newServer(t, sellerWith("changeInstanceCheck", refuse, http.StatusOK, `{"resultCode":"000005","resultMsg":"no <downgrades>"}`), nil)
	p, err := api.Buy(context.Background(), controlapi.BuyRequest{})
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, srv.URL())
	b.get("/console/instances/" + p.Instance.ID)
	body := act(t, b, p.Instance.ID, "renewal-change", nil).body
	mustContain(t, "a refused renewal change", body, "changeInstanceCheck", "did not allow the change", "no &lt;downgrades&gt;")
	if strings.Contains(body, "KooGallery placed order") {
		t.Error("a refused change placed an order")
	}
}

// TestRefusedInstanceActionsShowTheControlAPIMessage: an action the instance's state does not allow,
// sent anyway, shows the control API's refusal with its status and a way back to the instance.
func TestRefusedInstanceActionsShowTheControlAPIMessage(t *testing.T) {
	srv, api := newServer(t, nil, nil)
	p, err := api.Buy(context.Background(), controlapi.BuyRequest{ChargingMode: koomock.ChargingOneTime})
	if err != nil {
		t.Fatal(err)
	}
	id := p.Instance.ID
	b := newBrowser(t, srv.URL())
	b.get("/console/instances/" + id)
	tests := []struct {
		action string
		form   url.Values
		status int
		want   string
	}{
		{"act", url.Values{"instanceId": {id}, "op": {"unfreeze"}}, 409, "is active, not frozen"},
		{"act", url.Values{"instanceId": {id}, "op": {"renew"}}, 409, "only periodic instances are renewed"},
		{"act", url.Values{"instanceId": {id}, "op": {"cancel-renewal"}}, 409, "has no renewal to cancel"},
		{"act", url.Values{"instanceId": {id}, "op": {"upgrade"}, "productId": {"OFFI100000000000000001"}}, 400, "is sold PERIOD"},
		{"act", url.Values{"instanceId": {id}, "op": {"teleport"}}, 404, "no action &#34;teleport&#34;"},
		{"act", url.Values{"instanceId": {"NOPE"}, "op": {"release"}}, 404, "instance NOPE does not exist"},
		{"act", url.Values{"instanceId": {id}}, 400, "name the instance and the action"},
		{"act", url.Values{"instanceId": {id}, "op": {"renew"}, "periodNumber": {"x"}}, 400, "periodNumber must be a whole number"},
		{"query", url.Values{"instanceIds": {" "}}, 400, "name 1 to"},
		{"delivery-resend", url.Values{"deliveryId": {"1"}}, 409, "delivery 1 was already delivered"},
		{"delivery-resend", url.Values{"deliveryId": {"x"}}, 400, "deliveryId must be an ID"},
		{"buy", url.Values{"chargingMode": {"ONE_TIME"}, "trial": {"1"}}, 400, "trials are of periodic products"},
		{"buy", url.Values{"chargingMode": {"ONE_TIME"}, "productId": {"OFFI100000000000000001"}}, 400, "is sold PERIOD, not ONE_TIME"},
	}
	for _, tt := range tests {
		got := b.postFrom("/console/actions/"+tt.action, "/console/instances/"+id, tt.form)
		if got.status != tt.status || !strings.Contains(got.body, tt.want) {
			t.Errorf("%s %v: HTTP %d, want %d with %q:\n%s", tt.action, tt.form, got.status, tt.status, tt.want, got.body)
		}
		if !strings.Contains(got.body, `href="/console/instances/`+id+`"`) {
			t.Errorf("%s %v: the error page does not lead back to the instance", tt.action, tt.form)
		}
	}
	if d, _ := api.Instance(context.Background(), id); d.Instance.State != koomock.InstanceActive || len(d.Orders) != 1 {
		t.Errorf("refused actions changed the instance: %+v", d)
	}
}
