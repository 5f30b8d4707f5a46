package notify_test

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/mock/notify"
	"github.com/koomock/koomock/openapi"
	"github.com/koomock/koomock/protocol"
)

const key = "test-access-key-123"

var fixedNow = time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)

type memJournal struct {
	mu  sync.Mutex
	all []*koomock.Exchange
}

func (j *memJournal) Record(_ context.Context, e *koomock.Exchange) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	e.ID = int64(len(j.all) + 1)
	j.all = append(j.all, e)
	return nil
}

func newNotifier(t *testing.T) (*notify.Notifier, *memJournal) {
	t.Helper()
	spec, err := openapi.Load(nil, openapi.SellerFile)
	if err != nil {
		t.Fatal(err)
	}
	j := &memJournal{}
	return &notify.Notifier{
		Timeout: 200 * time.Millisecond,
		Now:     func() time.Time { return fixedNow },
		Wall:    func() time.Time { return fixedNow },
		Nonce:   func() string { return "ABCDEF0123456789" },
		Spec:    spec,
		Journal: j,
	}, j
}

func newInstance(url string) notify.Callback {
	return notify.Callback{
		Activity: "newInstance", URL: url, Key: key, OrderID: "CS1",
		Body:  map[string]any{"activity": "newInstance", "orderId": "CS1", "orderLineId": "CS1-000001", "businessId": "b-1"},
		Allow: []protocol.ResultCode{protocol.ResultProcessing},
	}
}

// seller answers every request with the given status and body, recording what it received.
type seller struct {
	mu       sync.Mutex
	requests []*http.Request
	bodies   [][]byte
	status   int
	body     string
	header   http.Header
}

func (s *seller) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.requests = append(s.requests, r)
	s.bodies = append(s.bodies, b)
	s.mu.Unlock()
	for k, v := range s.header {
		w.Header()[k] = v
	}
	w.WriteHeader(s.status)
	io.WriteString(w, s.body)
}

func TestRequestIsSignedCanonicalBytes(t *testing.T) {
	n, j := newNotifier(t)
	s := &seller{status: 200, body: `{"resultCode":"000000","resultMsg":"success.","instanceId":"i-1"}`}
	srv := httptest.NewServer(s)
	defer srv.Close()

	e, err := n.Send(context.Background(), newInstance(srv.URL+"/produce?region=cn"))
	if err != nil {
		t.Fatal(err)
	}
	if e.Failed() {
		t.Fatalf("a correct answer failed: %+v", e.Verdicts)
	}
	r, body := s.requests[0], s.bodies[0]
	if got := r.Header.Get("Content-Type"); got != "application/json;charset=utf8" {
		t.Errorf("Content-Type = %q", got)
	}
	want := `{"activity":"newInstance","businessId":"b-1","orderId":"CS1","orderLineId":"CS1-000001"}`
	if string(body) != want {
		t.Errorf("body = %s, want canonical %s", body, want)
	}
	if r.URL.Query().Get("region") != "cn" {
		t.Errorf("the seller URL's own query was lost: %s", r.URL)
	}
	if err := protocol.VerifyV2(key, r.URL.Query(), body, fixedNow); err != nil {
		t.Errorf("the seller cannot verify koomock's signature: %v", err)
	}
	if len(j.all) != 1 || j.all[0] != e || e.Signing.Signature != r.URL.Query().Get("signature") {
		t.Errorf("journal = %+v", j.all)
	}
	if strings.Contains(e.Signing.StringToSign, key) {
		t.Error("the signing trace reveals the access key")
	}
}

func TestAnswersAreJudged(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		header http.Header
		rule   koomock.Rule
		msg    string
	}{
		{"not JSON", 200, "OK", nil, koomock.RuleJSON, "not one JSON object"},
		{"HTML error page", 200, "<html><body>502 Bad Gateway</body></html>", nil, koomock.RuleJSON, "HTML"},
		{"empty body", 200, "", nil, koomock.RuleJSON, "empty"},
		{"HTTP 500", 500, `{"resultCode":"000005"}`, nil, koomock.RuleHTTPStatus, "HTTP 500"},
		{"redirect", 302, "", http.Header{"Location": {"https://elsewhere/"}}, koomock.RuleHTTPStatus, "does not follow redirects"},
		{"unknown result code", 200, `{"resultCode":"999999","instanceId":"i"}`, nil, koomock.RuleResultCode, "999999"},
		{"resultCode as number", 200, `{"resultCode":0,"instanceId":"i"}`, nil, koomock.RuleSchema, "/resultCode"},
		{"resultMsg too long", 200, `{"resultCode":"000000","resultMsg":"` + strings.Repeat("x", 300) + `","instanceId":"i"}`, nil, koomock.RuleSchema, "/resultMsg"},
		{"refused a correct call", 200, `{"resultCode":"000001","resultMsg":"token is invalid"}`, nil, koomock.RuleSucceeded, "check the seller's verifier"},
		{"huge body", 200, `{"resultCode":"000000","pad":"` + strings.Repeat("x", notify.MaxAnswerBytes) + `"}`, nil, koomock.RuleJSON, "larger than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, _ := newNotifier(t)
			srv := httptest.NewServer(&seller{status: tt.status, body: tt.body, header: tt.header})
			defer srv.Close()
			e, err := n.Send(context.Background(), newInstance(srv.URL))
			if err != nil {
				t.Fatal(err)
			}
			assertFailed(t, e, tt.rule, tt.msg)
		})
	}
}

func assertFailed(t *testing.T, e *koomock.Exchange, rule koomock.Rule, msg string) {
	t.Helper()
	for _, v := range e.Failures() {
		if v.Rule == rule && strings.Contains(v.Message+v.Pointer, msg) {
			return
		}
	}
	t.Errorf("no failed %s verdict mentioning %q; verdicts: %+v", rule, msg, e.Verdicts)
}

func TestTransportFailures(t *testing.T) {
	t.Run("timeout", func(t *testing.T) {
		n, _ := newNotifier(t)
		// The slow seller holds the request until koomock gives up; no sleeping involved. It reads the
		// body first: net/http only notices a client hanging up once the body is consumed.
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.ReadAll(r.Body)
			<-r.Context().Done()
		}))
		defer srv.Close()
		e, err := n.Send(context.Background(), newInstance(srv.URL))
		if err != nil {
			t.Fatal(err)
		}
		assertFailed(t, e, koomock.RuleDeadline, "no answer within 200ms")
	})
	t.Run("connection closed", func(t *testing.T) {
		n, _ := newNotifier(t)
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
		}))
		defer srv.Close()
		e, err := n.Send(context.Background(), newInstance(srv.URL))
		if err != nil {
			t.Fatal(err)
		}
		assertFailed(t, e, koomock.RuleTransport, "could not be reached")
	})
	t.Run("nothing listening", func(t *testing.T) {
		n, _ := newNotifier(t)
		l, _ := net.Listen("tcp", "127.0.0.1:0")
		addr := l.Addr().String()
		l.Close()
		e, err := n.Send(context.Background(), newInstance("http://"+addr+"/produce"))
		if err != nil {
			t.Fatal(err)
		}
		assertFailed(t, e, koomock.RuleTransport, "refused")
	})
	t.Run("bad URL is koomock's error", func(t *testing.T) {
		n, _ := newNotifier(t)
		if _, err := n.Send(context.Background(), newInstance("ftp://x")); err == nil {
			t.Error("no error for an ftp URL")
		}
	})
}

func TestProbes(t *testing.T) {
	tests := []struct {
		probe    controlapi.Probe
		answer   string
		refusals []string
		wantFail bool
	}{
		{controlapi.TamperedSignature, `{"resultCode":"000001"}`, nil, false},
		{controlapi.TamperedSignature, `{"resultCode":"000000","instanceId":"i"}`, nil, true},
		{controlapi.TamperedSignature, `{"resultCode":"000005"}`, nil, true},
		{controlapi.TamperedSignature, `{"resultCode":"000005"}`, []string{"000001", "000005"}, false},
		{controlapi.StaleTimestamp, `{"resultCode":"000002"}`, nil, false},
		{controlapi.MissingField("orderId"), `{"resultCode":"000002"}`, nil, false},
		{controlapi.MissingSignature, `{"resultCode":"000001"}`, nil, false},
	}
	for _, tt := range tests {
		t.Run(string(tt.probe)+"→"+tt.answer, func(t *testing.T) {
			n, _ := newNotifier(t)
			s := &seller{status: 200, body: tt.answer}
			srv := httptest.NewServer(s)
			defer srv.Close()
			d := newInstance(srv.URL)
			d.Probe, d.Refusals = tt.probe, tt.refusals
			e, err := n.Send(context.Background(), d)
			if err != nil {
				t.Fatal(err)
			}
			rule := koomock.RuleRefused
			if _, ok := tt.probe.Field(); ok {
				rule = koomock.RuleMissingField
			}
			v, ok := e.Verdict(rule)
			if !ok || (v.Outcome == koomock.Fail) != tt.wantFail {
				t.Errorf("refusal verdict = %+v, want failed=%v", v, tt.wantFail)
			}
			// The probe must really carry its fault: the seller's verifier sees exactly that problem.
			r, body := s.requests[0], s.bodies[0]
			err = protocol.VerifyV2(key, r.URL.Query(), body, fixedNow)
			switch tt.probe {
			case controlapi.TamperedSignature:
				if err != protocol.ErrSignatureMismatch {
					t.Errorf("tampered request verifies as %v", err)
				}
			case controlapi.MissingSignature:
				if err != protocol.ErrNoSignature {
					t.Errorf("unsigned request verifies as %v", err)
				}
			case controlapi.StaleTimestamp:
				if err == nil || !strings.Contains(err.Error(), "60 s window") {
					t.Errorf("stale request verifies as %v", err)
				}
			default:
				if err != nil || strings.Contains(string(body), `"orderId"`) {
					t.Errorf("missing-field request: verify=%v body=%s", err, body)
				}
			}
		})
	}
}

func TestReproduceGivesRunnableCurl(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not installed")
	}
	n, _ := newNotifier(t)
	s := &seller{status: 200, body: `{"resultCode":"000000","instanceId":"i"}`}
	srv := httptest.NewServer(s)
	defer srv.Close()
	cmd, err := n.Reproduce(context.Background(), newInstance(srv.URL+"/produce"))
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("sh", "-c", cmd).CombinedOutput()
	if err != nil {
		t.Fatalf("%s\n%s: %v", cmd, out, err)
	}
	if len(s.requests) != 1 {
		t.Fatalf("curl did not reach the seller:\n%s", out)
	}
	if err := protocol.VerifyV2(key, s.requests[0].URL.Query(), s.bodies[0], fixedNow); err != nil {
		t.Errorf("the curl request does not verify: %v\n%s", err, cmd)
	}
}

func TestUnreachableFaultDoesNotContactTheSeller(t *testing.T) {
	n, j := newNotifier(t)
	s := &seller{status: 200, body: `{"resultCode":"000000","instanceId":"i"}`}
	srv := httptest.NewServer(s)
	defer srv.Close()
	d := newInstance(srv.URL)
	d.Unreachable = "fault seller-unreachable is on"
	e, err := n.Send(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.requests) != 0 {
		t.Fatal("the seller was contacted")
	}
	assertFailed(t, e, koomock.RuleTransport, "seller-unreachable")
	if len(j.all) != 1 || e.Request.URL == "" || e.Signing == nil {
		t.Errorf("the attempt was not journaled with its request: %+v", e)
	}
}

// TestRefusalOfACorrectCallbackIsDiagnosed: a seller answering 000001 to a correctly signed callback
// gets a diagnosis with the signed values and likely causes, never the key.
func TestRefusalOfACorrectCallbackIsDiagnosed(t *testing.T) {
	n, _ := newNotifier(t)
	srv := httptest.NewServer(&seller{status: 200, body: `{"resultCode":"000001","resultMsg":"token is invalid"}`})
	defer srv.Close()
	e, err := n.Send(context.Background(), newInstance(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Diagnoses) != 1 || len(e.Diagnoses[0].Causes) < 5 || e.Diagnoses[0].Expected[0].Value != e.Request.Body {
		t.Fatalf("diagnoses: %+v", e.Diagnoses)
	}
	b, _ := json.Marshal(e)
	if strings.Contains(string(b), key) {
		t.Error("the exchange reveals the access key")
	}
}

func TestResultCodesNarrowTheAccepted(t *testing.T) {
	n, _ := newNotifier(t)
	// 000103 is a code of spec saas-v2 §4, but not one a license callback may be answered with.
	srv := httptest.NewServer(&seller{status: 200, body: `{"resultCode":"000103","resultMsg":"bought"}`})
	defer srv.Close()
	d := newInstance(srv.URL)
	d.ResultCodes = protocol.LicenseCallbackResults
	e, err := n.Send(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	assertFailed(t, e, koomock.RuleResultCode, "000000, 000001, 000002, 000003, 000004, 000005")
}
