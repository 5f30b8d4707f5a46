package console_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/koomock/koomock/controlapi"
)

// hostile answers every callback with HTML and script in resultMsg, instanceId and a header: the
// console must show all of it as text.
var hostile = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Evil", `<script>alert("header")</script>`)
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprint(w, `{"resultCode":"000000","resultMsg":"<script>alert(1)</script>","instanceId":"<img src=x onerror=alert(2)>"}`)
})

// live markup that must never reach a page: if any of these appears, the browser would run it.
var injected = []string{`<script>alert`, `<img src=x`, `<script>alert("header")`}

func assertEscaped(t *testing.T, what, body string) {
	t.Helper()
	for _, bad := range injected {
		if strings.Contains(body, bad) {
			t.Errorf("%s has the seller's markup unescaped: %q", what, bad)
		}
	}
}

func TestSellerAnswersRenderAsText(t *testing.T) {
	srv, api := newServer(t, hostile, nil)
	p, err := api.Buy(context.Background(), controlapi.BuyRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Instance == nil || !strings.HasPrefix(p.Instance.ID, "<img") {
		t.Fatalf("the hostile seller's instance was not recorded: %+v", p)
	}
	b := newBrowser(t, srv.URL())
	detail := b.get(fmt.Sprintf("/console/journal/%d", p.Exchange.ID))
	mustContain(t, "the exchange page", detail.body,
		`&lt;script&gt;alert(1)&lt;/script&gt;`,
		`&lt;img src=x onerror=alert(2)&gt;`,
		`X-Evil: &lt;script&gt;alert(&#34;header&#34;)&lt;/script&gt;`)
	for _, path := range []string{
		"/console/", "/console/orders", "/console/journal", "/console/orders/" + p.Order.ID,
		fmt.Sprintf("/console/journal/%d", p.Exchange.ID),
		"/console/journal?instance=" + url.QueryEscape(p.Instance.ID),
	} {
		got := b.get(path)
		if got.status != http.StatusOK {
			t.Errorf("%s: HTTP %d", path, got.status)
		}
		assertEscaped(t, path, got.body)
	}
	// The live journal sends rendered rows, which the page inserts as HTML: they are escaped too.
	stream := b.events("/console/journal/events?after=0")
	e, ok := stream.Next()
	if !ok || e.ID != fmt.Sprint(p.Exchange.ID) {
		t.Fatalf("live journal: %+v, %v", e, ok)
	}
	mustContain(t, "the live row", e.Data, `&lt;img src=x onerror=alert(2)&gt;`)
	assertEscaped(t, "the live row", e.Data)
}
