package console_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/examples/seller"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/mock"
	"github.com/koomock/koomock/mock/feed/feedtest"
	"github.com/koomock/koomock/mock/mocktest"
)

// newServer starts koomock on a virtual clock, pointed at sellerHandler (the reference seller when
// nil); mutate adjusts the config. It returns the server and a control-API client.
func newServer(t *testing.T, sellerHandler http.Handler, mutate func(*mock.Config)) (*mock.Server, *controlapi.Client) {
	t.Helper()
	if sellerHandler == nil {
		// The seller checks signatures against its own wall clock: koomock signs with wall time
		// whatever its virtual clock says (clock.Wall).
		sellerHandler = seller.New(seller.Config{AccessKey: fixtures.DemoAccessKey})
	}
	m := mocktest.New(t, mocktest.Options{Handler: sellerHandler, Seed: 8, Config: mutate})
	return m.Server, m.API
}

// browser is a minimal web browser for handler tests: it keeps cookies, does not follow redirects
// (tests look at them), and remembers the CSRF token of the last page it loaded.
type browser struct {
	t    *testing.T
	base string
	hc   *http.Client
	csrf string
}

func newBrowser(t *testing.T, base string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: base, hc: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// page is one answer as the browser got it.
type page struct {
	status   int
	header   http.Header
	body     string
	location string
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`)

func (b *browser) do(req *http.Request) page {
	b.t.Helper()
	resp, err := b.hc.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	p := page{status: resp.StatusCode, header: resp.Header, body: string(raw), location: resp.Header.Get("Location")}
	if m := csrfInput.FindStringSubmatch(p.body); m != nil {
		b.csrf = m[1]
	}
	return p
}

func (b *browser) get(path string) page {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.base+path, nil)
	return b.do(req)
}

// post submits a form the way a page of the console does: same-origin, with the page's CSRF token
// unless the form sets its own.
func (b *browser) post(path string, form url.Values) page {
	b.t.Helper()
	return b.postFrom(path, "", form)
}

// postFrom submits a form from the page at from, which the browser names as the Referer.
func (b *browser) postFrom(path, from string, form url.Values) page {
	b.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if !form.Has("csrf") {
		form.Set("csrf", b.csrf)
	}
	req, _ := http.NewRequest(http.MethodPost, b.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if from != "" {
		req.Header.Set("Referer", b.base+from)
	}
	return b.do(req)
}

// mustContain fails unless body contains every string.
func mustContain(t *testing.T, what, body string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("%s does not contain %q", what, w)
		}
	}
}

// events opens an event stream with the browser's cookies and returns its reader, once the server
// has subscribed (its first line arrived). The stream closes with the test.
func (b *browser) events(path string) *feedtest.Reader {
	b.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	b.t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, b.base+path, nil)
	resp, err := b.hc.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	b.t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/event-stream" {
		b.t.Fatalf("%s: HTTP %d %s", path, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	r := feedtest.NewReader(resp.Body)
	if _, ok := r.Line(); !ok {
		b.t.Fatalf("%s: the stream ended at once", path)
	}
	return r
}

// noInstanceSeller answers every callback 000000 with no instanceId: a seller failing newInstance.
var noInstanceSeller = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Write([]byte(`{"resultCode":"000000","resultMsg":"ok"}`))
})

// refusingSeller refuses every callback with 000001 (a correct signature taken for a wrong one) and
// signs its answer wrongly: both signature diagnoses on one exchange.
var refusingSeller = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Body-Sign", `sign_type="HMAC-SHA256", signature= "AAAA"`)
	w.Write([]byte(`{"resultCode":"000001","resultMsg":"token is invalid"}`))
})
