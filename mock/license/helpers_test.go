package license_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"testing"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/clock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/mock"
	"github.com/koomock/koomock/mock/feed/feedtest"
	"github.com/koomock/koomock/mock/mocktest"
	"github.com/koomock/koomock/protocol"
)

type mockConfig = mock.Config

// start is when every test's virtual clock starts.
var start = mocktest.Start

const licenseKey = "license-key-for-tests"

// env is a koomock with a recording license seller.
type env struct {
	t      *testing.T
	m      *mocktest.Env
	srv    *mock.Server
	clk    *clock.Clock
	api    *controlapi.Client
	seller *recorder
}

// newEnv starts koomock on virtual time with a recording seller at the license URL; edit may change
// the configuration.
func newEnv(t *testing.T, edit func(*mock.Config)) *env {
	t.Helper()
	rec := &recorder{answer: func(string, map[string]any) string { return "000000" }}
	m := mocktest.New(t, mocktest.Options{Handler: rec, Config: func(c *mock.Config) {
		c.License.Key = licenseKey
		if edit != nil {
			edit(c)
		}
	}})
	return &env{t: t, m: m, srv: m.Server, clk: m.Clock, api: m.API, seller: rec}
}

// close stops koomock once.
func (e *env) close() { e.m.Close() }

// testCode makes a fresh test code, received and valid for 30 days.
func (e *env) testCode() koomock.LicenseCode {
	e.t.Helper()
	out, err := e.api.TestCodes(context.Background(), controlapi.TestCodesRequest{})
	if err != nil {
		e.t.Fatal(err)
	}
	return out.Codes[0]
}

// answer is a license API answer as the client sees it.
type answer struct {
	status int
	env    protocol.LicenseEnvelope
	raw    string
}

// call posts body to path, signed with the demo AK/SK at real time (software signs with its own clock,
// whatever koomock's virtual time); edit may spoil the request after signing.
func (e *env) call(path, body string, edit func(*http.Request)) answer {
	e.t.Helper()
	r, err := http.NewRequest(http.MethodPost, e.srv.URL()+path, bytes.NewReader([]byte(body)))
	if err != nil {
		e.t.Fatal(err)
	}
	r.Header.Set("Content-Type", "application/json")
	protocol.SignAPIGRequest(r, []byte(body), fixtures.DemoAK, fixtures.DemoSK, e.clk.Wall())
	if edit != nil {
		edit(r)
	}
	return e.do(r)
}

func (e *env) do(r *http.Request) answer {
	e.t.Helper()
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	a := answer{status: resp.StatusCode, raw: string(raw)}
	json.Unmarshal(raw, &a.env)
	return a
}

// expect fails unless the answer has the status and error code.
func (a answer) expect(t *testing.T, status int, code protocol.LicenseErrorCode) answer {
	t.Helper()
	if a.status != status || a.env.ErrorCode != code || a.env.ErrorMsg != code.Message() {
		t.Fatalf("HTTP %d %s, want HTTP %d %s %q", a.status, a.raw, status, code, code.Message())
	}
	return a
}

func (e *env) advance(by string) {
	e.t.Helper()
	if _, err := e.api.Advance(context.Background(), by); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) detail(code string) controlapi.LicenseCodeDetail {
	e.t.Helper()
	d, err := e.api.LicenseCode(context.Background(), code)
	if err != nil {
		e.t.Fatal(err)
	}
	return d
}

// journal returns the inbound exchanges about a code, newest first.
func (e *env) journal(code string) []koomock.Exchange {
	e.t.Helper()
	list, err := e.api.Exchanges(context.Background(), koomock.ExchangeFilter{Direction: koomock.Inbound, InstanceID: code})
	if err != nil {
		e.t.Fatal(err)
	}
	return list
}

// recorder is a license seller that records every callback and answers with answer's result code.
type recorder struct {
	mu       sync.Mutex
	answer   func(activity string, body map[string]any) string
	requests []*http.Request
	bodies   []map[string]any
	raw      [][]byte
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	raw, _ := io.ReadAll(req.Body)
	var body map[string]any
	json.Unmarshal(raw, &body)
	r.mu.Lock()
	r.requests, r.bodies, r.raw = append(r.requests, req), append(r.bodies, body), append(r.raw, raw)
	answer := r.answer
	r.mu.Unlock()
	activity, _ := body["activity"].(string)
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]string{"resultCode": answer(activity, body), "resultMsg": "ok"})
}

func (r *recorder) setAnswer(f func(activity string, body map[string]any) string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.answer = f
}

// received returns the callbacks so far, as "activity status/scene" strings and bodies.
func (r *recorder) received() ([]string, []map[string]any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var names []string
	for _, b := range r.bodies {
		name, _ := b["activity"].(string)
		for _, k := range []string{"status", "scene"} {
			if v, ok := b[k].(string); ok {
				name += " " + v
			}
		}
		names = append(names, name)
	}
	return names, append([]map[string]any(nil), r.bodies...)
}

func protocolProbe(activity protocol.Activity, probe string) controlapi.LicenseProbe {
	return controlapi.LicenseProbe{Activity: activity, Probe: probe}
}

// nextExchange opens the live journal for the exchanges matching f and returns a function that waits
// for the next one to be committed: a test that must see an exchange the server records only once it
// notices something (a client that gave up) waits on it instead of racing the server.
func (e *env) nextExchange(f koomock.ExchangeFilter) func() bool {
	e.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	e.t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, e.srv.URL()+"/_mock/events?"+controlapi.FilterValues(f).Encode(), nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { resp.Body.Close() })
	stream := feedtest.NewReader(resp.Body)
	if _, ok := stream.Line(); !ok {
		e.t.Fatal("the event stream ended at once")
	}
	return func() bool {
		_, ok := stream.Next()
		return ok
	}
}
