package idp_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/clock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/mock"
	"github.com/koomock/koomock/mock/mocktest"
	"github.com/koomock/koomock/protocol"
	"github.com/koomock/koomock/runner/browser"
)

// callback records what the identity provider redirected the browser to.
type callback struct {
	mu    sync.Mutex
	query []url.Values
	srv   *httptest.Server
}

func (c *callback) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock()
	c.query = append(c.query, r.URL.Query())
	c.mu.Unlock()
	io.WriteString(w, "callback reached")
}

func (c *callback) last(t *testing.T) url.Values {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.query) == 0 {
		t.Fatal("the browser never reached the callback")
	}
	return c.query[len(c.query)-1]
}

// kitSeller answers every kit sync with 000000 and keeps the requests.
type kitSeller struct {
	mu     sync.Mutex
	paths  []string
	bodies []map[string]any
	header []http.Header
	raw    [][]byte
}

func (s *kitSeller) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	var m map[string]any
	json.Unmarshal(b, &m)
	s.mu.Lock()
	s.paths, s.bodies, s.header, s.raw = append(s.paths, r.URL.Path), append(s.bodies, m), append(s.header, r.Header.Clone()), append(s.raw, b)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	io.WriteString(w, `{"resultCode":"000000","resultMsg":"Success"}`)
}

type env struct {
	srv   *mock.Server
	api   *controlapi.Client
	clk   *clock.Clock
	cb    *callback
	kit   *kitSeller
	ctx   context.Context
	cbURL string
}

// newEnv starts koomock on a virtual clock with the demo tenant's callback at a recording server and
// a seller that accepts every kit sync.
func newEnv(t *testing.T, mutate func(*mock.Config)) *env { return newEnvTB(t, mutate) }

// newEnvB is newEnv for benchmarks.
func newEnvB(b *testing.B) *env { return newEnvTB(b, nil) }

func newEnvTB(t testing.TB, mutate func(*mock.Config)) *env {
	t.Helper()
	e := &env{cb: &callback{}, kit: &kitSeller{}, ctx: context.Background()}
	e.cb.srv = httptest.NewServer(e.cb)
	t.Cleanup(e.cb.srv.Close)
	e.cbURL = e.cb.srv.URL + "/login/callback"
	m := mocktest.New(t, mocktest.Options{Handler: e.kit, Seed: 4, Config: func(c *mock.Config) {
		c.Joint = mock.JointConfig{KitKey: fixtures.DemoKitKey, LoginCallbackURL: e.cbURL}
		if mutate != nil {
			mutate(c)
		}
	}})
	e.srv, e.clk, e.api = m.Server, m.Clock, m.API
	return e
}

// login opens rawURL in a fresh browser, fills in the login form, and returns where it ended.
func (e *env) login(t *testing.T, b *browser.Browser, rawURL, user, password string) *browser.Page {
	t.Helper()
	page, err := b.Open(e.ctx, rawURL)
	if err != nil {
		t.Fatalf("open %s: %v", rawURL, err)
	}
	form, err := page.Form()
	if err != nil {
		t.Fatalf("%s (HTTP %d): %v\n%s", page.URL, page.Status, err, page.Body)
	}
	page, err = b.Submit(e.ctx, form, map[string]string{"username": user, "password": password})
	if err != nil {
		t.Fatalf("submit the login form: %v", err)
	}
	return page
}

// journal returns the inbound exchanges of an activity, newest first.
func (e *env) journal(t *testing.T, activity protocol.Activity) []koomock.Exchange {
	t.Helper()
	list, err := e.api.Exchanges(e.ctx, koomock.ExchangeFilter{Direction: koomock.Inbound, Activity: activity, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func verdict(e koomock.Exchange, rule koomock.Rule) koomock.Outcome {
	v, _ := e.Verdict(rule)
	return v.Outcome
}

func get(t *testing.T, rawURL, bearer string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, rawURL, nil)
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSpace(string(b))
}

// secretOf decrypts the clientSecret of the applicationSync the seller received for a tenant.
func (k *kitSeller) secretOf(t *testing.T, tenantID string) (clientID, secret string) {
	t.Helper()
	priv, err := protocol.ParseRSAPrivateKeyPEM(fixtures.DemoSellerPrivateKeyPEM)
	if err != nil {
		t.Fatal(err)
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	for i, p := range k.paths {
		if strings.HasSuffix(p, "/applicationSync") && k.bodies[i]["tenantId"] == tenantID {
			s, err := protocol.DecryptClientSecret(priv, k.bodies[i]["clientSecret"].(string), protocol.OAEPSHA256)
			if err != nil {
				t.Fatal(err)
			}
			return k.bodies[i]["clientId"].(string), s
		}
	}
	t.Fatalf("no applicationSync for tenant %s", tenantID)
	return "", ""
}
