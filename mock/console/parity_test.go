package console_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/ids"
	"github.com/koomock/koomock/mock/console"
	"github.com/koomock/koomock/mock/feed"
)

// recorder remembers every control-API request it carries.
type recorder struct {
	mu   sync.Mutex
	sent []string // "METHOD /path"
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.sent = append(r.sent, req.Method+" "+req.URL.Path)
	r.mu.Unlock()
	return http.DefaultTransport.RoundTrip(req)
}

func (r *recorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.sent
	r.sent = nil
	return out
}

// matches reports whether a request "METHOD /path" is an instance of twin "METHOD /route/{pattern}".
func matches(twin, request string) bool {
	tm, tp, _ := strings.Cut(twin, " ")
	rm, rp, _ := strings.Cut(request, " ")
	// A route mounted as a sub-router's "/" answers with and without the trailing slash.
	tp, rp = strings.TrimSuffix(tp, "/"), strings.TrimSuffix(rp, "/")
	mux := chi.NewRouter()
	mux.Method(tm, tp, http.NotFoundHandler())
	return mux.Match(chi.NewRouteContext(), rm, rp)
}

// TestEveryActionHasItsControlAPITwin enumerates the console's actions and checks, for each, that its
// twin is a route of koomock's control API, and that performing the action calls exactly that
// operation and nothing else that changes state. A new action without a sample form here fails.
func TestEveryActionHasItsControlAPITwin(t *testing.T) {
	srv, api := jointServer(t)
	order, err := api.Buy(context.Background(), controlapi.BuyRequest{})
	if err != nil {
		t.Fatal(err)
	}
	tenant := paritySetup(t, api)
	samples := map[string]url.Values{
		"buy":    {"chargingMode": {"PERIOD"}, "periodType": {"month"}, "periodNumber": {"2"}},
		"resend": {"orderId": {order.Order.ID}},
		"act":    {"instanceId": {order.Instance.ID}, "op": {"freeze"}},
		"query":  {"instanceIds": {order.Instance.ID}},
		// The newInstance delivery was delivered: koomock refuses to re-send it, after the call.
		"delivery-resend":  {"deliveryId": {"1"}},
		"probe":            {"activity": {"newInstance"}, "probe": {"tampered-signature"}},
		"replay":           {"exchangeId": {fmt.Sprint(order.Exchange.ID)}},
		"clock":            {"mode": {"virtual"}},
		"advance":          {"by": {"1h"}},
		"fault-set":        {"name": {"oauth-token-error"}, "value": {"server_error"}, "remaining": {"1"}},
		"fault-clear":      {"id": {"1"}},
		"faults-clear":     {},
		"tenant-create":    {"name": {"Acme"}},
		"tenant-rename":    {"tenantId": {tenant}, "name": {"Acme 2"}},
		"tenant-delete":    {"tenantId": {"T-PARITY-DELETE"}},
		"tenant-resync":    {"tenantId": {tenant}},
		"app-update":       {"tenantId": {tenant}, "rotateSecret": {"true"}},
		"app-delete":       {"tenantId": {tenant}},
		"user-authorize":   {"tenantId": {tenant}, "userName": {"wangwu"}},
		"user-update":      {"tenantId": {tenant}, "userName": {"wangwu"}, "name": {"Wang Wu"}},
		"user-delete":      {"tenantId": {tenant}, "userName": {"zhaoliu"}},
		"user-deauthorize": {"tenantId": {tenant}, "userName": {"wangwu"}},
		"org-put":          {"tenantId": {tenant}, "orgCode": {"RND"}, "orgName": {"R&D"}},
		"org-delete":       {"tenantId": {tenant}, "orgCode": {"OLD"}},
		"reset":            {"confirm": {"yes"}},
	}
	for name, form := range caseAndLicenseSamples(t, api, order.Exchange.ID) {
		samples[name] = form
	}
	for name, form := range assetSamples(t, api) {
		samples[name] = form
	}

	routes := map[string]bool{}
	err = chi.Walk(srv.Handler().(chi.Routes), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		routes[method+" "+strings.ReplaceAll(route, "/*/", "/")] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	rec := &recorder{}
	c, err := console.New(console.Config{
		API:  &controlapi.Client{BaseURL: srv.URL(), HTTPClient: &http.Client{Transport: rec}},
		Feed: &feed.Broadcaster{}, IDs: ids.New(nil),
	})
	if err != nil {
		t.Fatal(err)
	}
	mux := chi.NewRouter()
	mux.Mount(console.Prefix, c.Routes())
	site := httptest.NewServer(mux)
	defer site.Close()
	b := newBrowser(t, site.URL)
	b.get("/console/orders")

	for _, a := range console.Actions() {
		t.Run(a.Name, func(t *testing.T) {
			if !routes[a.Twin] {
				t.Fatalf("twin %q is not a route of koomock (routes: %v)", a.Twin, routes)
			}
			form, ok := samples[a.Name]
			if !ok {
				t.Fatalf("no sample form for action %q: add one, so its twin is checked", a.Name)
			}
			rec.take()
			if got := b.post("/console/actions/"+a.Name, form); got.status != http.StatusSeeOther {
				t.Logf("koomock refused the sample: HTTP %d", got.status)
			}
			var changes []string
			for _, req := range rec.take() {
				if !strings.HasPrefix(req, http.MethodGet+" ") {
					changes = append(changes, req)
				}
			}
			if len(changes) != 1 || !matches(a.Twin, changes[0]) {
				t.Errorf("the action sent %v, want one call of %s", changes, a.Twin)
			}
		})
	}
}
