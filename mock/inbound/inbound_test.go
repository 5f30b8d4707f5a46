package inbound_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/mock/inbound"
	"github.com/koomock/koomock/mock/journal"
	"github.com/koomock/koomock/openapi"
)

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

func (j *memJournal) snapshot() []*koomock.Exchange {
	j.mu.Lock()
	defer j.mu.Unlock()
	return append([]*koomock.Exchange(nil), j.all...)
}

var now = time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)

func TestRecordsCallsWithVerdictsAndMasksSecrets(t *testing.T) {
	j := &memJournal{}
	var published []int64
	var pmu sync.Mutex
	jr := journal.New(j, nil, func(e *koomock.Exchange) {
		pmu.Lock()
		published = append(published, e.ID)
		pmu.Unlock()
	})
	defer jr.Close()
	rec := inbound.NewRecorder(jr, func() time.Time { return now }, nil)
	h := rec.Middleware("oauthToken", nil)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		again, _ := io.ReadAll(r.Body)
		if string(again) != string(inbound.Body(r.Context())) {
			t.Errorf("handler sees a different body")
		}
		inbound.Judge(r.Context(), koomock.Verdict{Rule: "test.rule", Outcome: koomock.Fail, Message: "broken"})
		inbound.Correlate(r.Context(), "CS1", "i-1")
		w.WriteHeader(400)
		io.WriteString(w, `{"error":"invalid_grant"}`)
	}))
	srv := httptest.NewServer(h)
	defer srv.Close()
	form := url.Values{"grant_type": {"authorization_code"}, "client_secret": {"s3cr3t"}, "code": {"c1"}}
	req, _ := http.NewRequest("POST", srv.URL+"/api/v1/oauth2/token?x=1", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth("client", "s3cr3t")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	// No flush: the call was answered only once its exchange was committed.
	all := j.snapshot()
	if len(all) != 1 {
		t.Fatalf("%d exchanges recorded", len(all))
	}
	e := all[0]
	if e.Direction != koomock.Inbound || e.Activity != "oauthToken" || e.OrderID != "CS1" || e.InstanceID != "i-1" ||
		e.Response.Status != 400 || e.Request.URL != "/api/v1/oauth2/token?x=1" || !e.StartedAt.Equal(now) || !e.Failed() {
		t.Errorf("exchange %+v", e)
	}
	if strings.Contains(e.Request.Body, "s3cr3t") || strings.Contains(e.Request.Header.Get("Authorization"), "Y2xpZW50") || !strings.Contains(e.Request.Body, "code=c1") {
		t.Errorf("secrets not masked: body %q, auth %q", e.Request.Body, e.Request.Header.Get("Authorization"))
	}
	if len(published) != 1 || published[0] != 1 {
		t.Errorf("published %v", published)
	}
}

// TestAnswersWaitForTheJournal: a call is answered only after its exchange is committed, so an
// answered call is in the journal even if koomock dies right after answering.
func TestAnswersWaitForTheJournal(t *testing.T) {
	j := &gatedJournal{memJournal: &memJournal{}, open: make(chan struct{})}
	jr := journal.New(j, nil, nil)
	defer jr.Close()
	rec := inbound.NewRecorder(jr, func() time.Time { return now }, nil)
	srv := httptest.NewServer(rec.Middleware("heartbeat", nil)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"error_code":"0"}`)
	})))
	defer srv.Close()
	answered := make(chan []*koomock.Exchange)
	go func() {
		resp, err := http.Get(srv.URL)
		if err == nil {
			resp.Body.Close()
		}
		answered <- j.snapshot()
	}()
	select {
	case <-answered:
		t.Fatal("the call was answered before its exchange was committed")
	case <-j.reached():
	}
	close(j.open)
	if got := <-answered; len(got) != 1 || got[0].Response.Body != `{"error_code":"0"}` {
		t.Fatalf("journal when the answer arrived: %+v", got)
	}
}

// gatedJournal holds every commit until open is closed, and says when the first commit began.
type gatedJournal struct {
	*memJournal
	open  chan struct{}
	once  sync.Once
	began chan struct{}
	mu    sync.Mutex
}

func (g *gatedJournal) reached() chan struct{} {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.began == nil {
		g.began = make(chan struct{})
	}
	return g.began
}

func (g *gatedJournal) RecordExchanges(ctx context.Context, list []*koomock.Exchange) error {
	g.once.Do(func() { close(g.reached()) })
	<-g.open
	return g.memJournal.RecordExchanges(ctx, list)
}

func TestValidateRejectsInTheFlowsFormat(t *testing.T) {
	spec, err := openapi.Load(fstest.MapFS{"t.yaml": {Data: []byte(`openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /q:
    get:
      parameters: [{name: orderId, in: query, required: true, schema: {type: string, maxLength: 4}}]
      responses: {"200": {description: ok}}
`)}}, "t.yaml")
	if err != nil {
		t.Fatal(err)
	}
	j := &memJournal{}
	jr := journal.New(j, nil, nil)
	defer jr.Close()
	rec := inbound.NewRecorder(jr, func() time.Time { return now }, nil)
	reached := false
	h := rec.Middleware("orderQuery", nil)(inbound.Validate(spec, func(w http.ResponseWriter, r *http.Request, v []openapi.Violation) {
		w.WriteHeader(400)
		io.WriteString(w, `{"resultCode":"MKT.0100"}`)
	})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { reached = true })))
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, _ := http.Get(srv.URL + "/q?orderId=TOOLONG")
	resp.Body.Close()
	e := j.snapshot()[0]
	v, _ := e.Verdict(koomock.RuleRequestSchema)
	if reached || resp.StatusCode != 400 || v.Outcome != koomock.Fail || v.Pointer != "/orderId" || !strings.Contains(v.Message, "query") {
		t.Errorf("reached=%v status=%d verdict=%+v", reached, resp.StatusCode, v)
	}
	resp, _ = http.Get(srv.URL + "/q?orderId=CS1")
	resp.Body.Close()
	if !reached || resp.StatusCode != 200 {
		t.Errorf("a valid request did not reach the handler")
	}
}
