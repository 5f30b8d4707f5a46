package apig_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/signer"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/request"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/clock"
	"github.com/koomock/koomock/mock/apig"
	"github.com/koomock/koomock/mock/inbound"
	"github.com/koomock/koomock/mock/journal"
	"github.com/koomock/koomock/protocol"
)

const ak, sk = "KOOMOCKTESTAK000001", "koomock-test-secret-key"

type memJournal struct {
	mu  sync.Mutex
	all []*koomock.Exchange
}

func (j *memJournal) RecordExchanges(_ context.Context, list []*koomock.Exchange) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, e := range list {
		e.ID = int64(len(j.all) + 1)
		j.all = append(j.all, e)
	}
	return nil
}

func (j *memJournal) last() *koomock.Exchange {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.all[len(j.all)-1]
}

type fixture struct {
	srv     *httptest.Server
	clk     *clock.Clock
	journal *memJournal
	rec     *inbound.Recorder
}

func newFixture(t *testing.T) *fixture { return newFixtureExplain(t, false) }

func newFixtureExplain(t *testing.T, explain bool) *fixture {
	t.Helper()
	f := &fixture{clk: clock.NewVirtual(time.Now().UTC().Truncate(time.Second)), journal: &memJournal{}}
	jr := journal.New(f.journal, nil, nil)
	t.Cleanup(jr.Close)
	f.rec = inbound.NewRecorder(jr, f.clk.Now, nil)
	gw := &apig.Gateway{
		Credentials: func(id string) (string, bool) { return sk, id == ak },
		Now:         f.clk.Now,
		RequestID:   func() string { return "req-1" },
		AK:          ak, SK: sk, Explain: explain,
	}
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"resultCode":"MKT.0000"}`)
	})
	f.srv = httptest.NewServer(f.rec.Middleware("orderQuery", nil)(gw.Authenticate(ok)))
	t.Cleanup(f.srv.Close)
	return f
}

// call sends a GET signed by koomock's own client signer; edit may spoil it after signing.
func (f *fixture) call(t *testing.T, edit func(*http.Request)) (*http.Response, apig.Error) {
	t.Helper()
	r, _ := http.NewRequest("GET", f.srv.URL+"/api/mkp-openapi-public/global/v1/order/query?orderId=CS1", nil)
	protocol.SignAPIGRequest(r, nil, ak, sk, f.clk.Now())
	if edit != nil {
		edit(r)
	}
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var e apig.Error
	if resp.StatusCode != 200 {
		json.NewDecoder(resp.Body).Decode(&e)
	}
	return resp, e
}

func TestOfficialSDKRequestOverHTTP(t *testing.T) {
	f := newFixture(t)
	b := request.NewHttpRequestBuilder().WithEndpoint(f.srv.URL).WithPath("/api/mkp-openapi-public/global/v1/order/query").
		WithMethod("GET").AddQueryParam("orderId", reflect.ValueOf("CS2211181819B4LVS")).
		AddHeaderParam("X-Sdk-Date", f.clk.Now().Format(protocol.SdkDateFormat))
	req := b.Build()
	extra, err := signer.Sign(req, ak, sk)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range extra {
		req.AddHeaderParam(k, v)
	}
	httpReq, err := req.ConvertRequest()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(httpReq)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("HTTP %d for a request signed by the official SDK", resp.StatusCode)
	}
	if v, _ := f.journal.last().Verdict(koomock.RuleAPIGSignature); v.Outcome != koomock.Pass {
		t.Errorf("verdict %+v", v)
	}
}

func TestBadSignatureGetsTheGatewaysAnswer(t *testing.T) {
	f := newFixture(t)
	resp, e := f.call(t, func(r *http.Request) { r.Header.Set("X-Sdk-Date", "20200101T000000Z") })
	if resp.StatusCode != 401 || e.Code != "APIG.0301" || e.Message != apig.MsgAuthFailed || e.RequestID != "req-1" {
		t.Fatalf("HTTP %d %+v", resp.StatusCode, e)
	}
	v, _ := f.journal.last().Verdict(koomock.RuleAPIGSignature)
	if v.Outcome != koomock.Fail || !strings.Contains(v.Message, "15 minutes") {
		t.Errorf("the journal does not say why: %+v", v)
	}
}

func TestLockoutAfterFiveFailures(t *testing.T) {
	f := newFixture(t)
	spoil := func(r *http.Request) {
		r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "Signature=", "Signature=0", 1))
	}
	for i := range apig.MaxFailures {
		if resp, _ := f.call(t, spoil); resp.StatusCode != 401 {
			t.Fatalf("failure %d: HTTP %d", i+1, resp.StatusCode)
		}
	}
	resp, _ := f.call(t, nil)
	if resp.StatusCode != 401 {
		t.Fatalf("a correct call during the lockout: HTTP %d", resp.StatusCode)
	}
	if v, _ := f.journal.last().Verdict(koomock.RuleAPIGSignature); !strings.Contains(v.Message, "locked") {
		t.Errorf("lockout not explained in the journal: %+v", v)
	}
	f.clk.Advance(apig.LockFor)
	if resp, _ := f.call(t, nil); resp.StatusCode != 200 {
		t.Fatalf("after the lockout: HTTP %d", resp.StatusCode)
	}
	// Four failures and a success do not lock.
	for range apig.MaxFailures - 1 {
		f.call(t, spoil)
	}
	f.call(t, nil)
	f.call(t, spoil)
	if resp, _ := f.call(t, nil); resp.StatusCode != 200 {
		t.Errorf("locked without five consecutive failures: HTTP %d", resp.StatusCode)
	}
}

// TestExplainedRefusal: the caller gets the gateway's answer plus, with Explain, koomock's diagnosis in
// headers; the journal always carries the diagnosis; neither ever carries the SK.
func TestExplainedRefusal(t *testing.T) {
	for _, explain := range []bool{false, true} {
		f := newFixtureExplain(t, explain)
		resp, e := f.call(t, func(r *http.Request) {
			a := r.Header.Get("Authorization")
			i := strings.Index(a, "Signature=") + len("Signature=")
			r.Header.Set("Authorization", a[:i]+strings.ToUpper(a[i:]))
		})
		if resp.StatusCode != 401 || e.Code != apig.CodeAuthFailed {
			t.Fatalf("HTTP %d %+v", resp.StatusCode, e)
		}
		got := resp.Header.Get(apig.HeaderMistake)
		if explain && (got != "upper-case-hex" || !strings.Contains(resp.Header.Get("X-Koomock-Expected-Canonical-Request"), "/order/query/")) {
			t.Errorf("explained headers: %v", resp.Header)
		}
		if !explain && got != "" {
			t.Errorf("diagnosis headers without --explain: %v", resp.Header)
		}
		x := f.journal.last()
		if len(x.Diagnoses) != 1 || x.Diagnoses[0].Mistake != "upper-case-hex" {
			t.Errorf("journal diagnoses: %+v", x.Diagnoses)
		}
		for k, v := range resp.Header {
			if strings.Contains(strings.Join(v, ""), sk) {
				t.Errorf("header %s reveals the SK", k)
			}
		}
	}
}
