package delivery_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/clock"
	"github.com/koomock/koomock/mock/delivery"
	"github.com/koomock/koomock/mock/faults"
	"github.com/koomock/koomock/mock/journal"
	"github.com/koomock/koomock/mock/notify"
	"github.com/koomock/koomock/mock/schedule"
	"github.com/koomock/koomock/openapi"
	"github.com/koomock/koomock/store"
)

var t0 = time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)

// seller answers with the codes queued in answers (then the last one forever), counting calls.
type seller struct {
	mu      sync.Mutex
	answers []string
	calls   int
}

func (s *seller) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	io.ReadAll(r.Body)
	s.mu.Lock()
	s.calls++
	code := s.answers[0]
	if len(s.answers) > 1 {
		s.answers = s.answers[1:]
	}
	s.mu.Unlock()
	fmt.Fprintf(w, `{"resultCode":%q,"resultMsg":"m"}`, code)
}

func (s *seller) set(codes ...string) {
	s.mu.Lock()
	s.answers = codes
	s.mu.Unlock()
}

func (s *seller) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls
}

type rig struct {
	db      *store.DB
	clk     *clock.Clock
	sched   *schedule.Scheduler
	faults  *faults.Registry
	courier *delivery.Courier
	url     string
	settled []koomock.DeliveryStatus
}

func newRig(t *testing.T, path string, clk *clock.Clock, url string) *rig {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	spec, err := openapi.Load(nil, openapi.SellerFile)
	if err != nil {
		t.Fatal(err)
	}
	f, err := faults.Load(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	r := &rig{db: db, clk: clk, sched: schedule.New(db, clk, nil), faults: f, url: url}
	jr := journal.New(db, nil, nil)
	t.Cleanup(jr.Close)
	n := &notify.Notifier{Timeout: time.Second, Now: clk.Now, Wall: clk.Wall, Nonce: func() string { return "N" }, Spec: spec, Journal: jr}
	r.courier = &delivery.Courier{Store: db, Notifier: n, Scheduler: r.sched, Faults: f, Now: clk.Now, Targets: []string{"releaseInstance"}}
	if err := r.courier.Open(ctx); err != nil {
		t.Fatal(err)
	}
	r.courier.Register("test", delivery.Kind{
		Build: func(_ context.Context, d *koomock.Delivery) (notify.Callback, error) {
			return notify.Callback{Activity: d.Activity, URL: r.url, Key: "k", Body: d.Body, InstanceID: d.InstanceID}, nil
		},
		Settle: func(_ context.Context, d *koomock.Delivery, _ *koomock.Exchange) error {
			r.settled = append(r.settled, d.Status)
			return nil
		},
	})
	return r
}

func (r *rig) start(t *testing.T, p delivery.Policy) *koomock.Delivery {
	t.Helper()
	d := &koomock.Delivery{Activity: "releaseInstance", InstanceID: "i-1",
		Body: map[string]any{"activity": "releaseInstance", "instanceId": "i-1"}}
	if _, err := r.courier.Start(context.Background(), "test", d, p); err != nil {
		t.Fatal(err)
	}
	return d
}

func (r *rig) get(t *testing.T, id int64) koomock.Delivery {
	t.Helper()
	d, err := r.db.Delivery(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

var hourly = delivery.Policy{Every: 10 * time.Minute, For: time.Hour}

func TestRetriesOnScheduleThenGivesUp(t *testing.T) {
	s := &seller{answers: []string{"000005"}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	r := newRig(t, store.Memory, clock.NewVirtual(t0), srv.URL)
	d := r.start(t, hourly)
	if got := r.get(t, d.ID); got.Status != koomock.DeliveryRetrying || !got.NextAttemptAt.Equal(t0.Add(10*time.Minute)) {
		t.Fatalf("after a failed first attempt: %+v", got)
	}
	if _, err := r.sched.Advance(context.Background(), 2*time.Hour); err != nil {
		t.Fatal(err)
	}
	got := r.get(t, d.ID)
	// Attempts at 0, 10, ..., 60 minutes: seven, then KooGallery gives up.
	if got.Status != koomock.DeliveryFailed || got.Attempts != 7 || len(got.Exchanges) != 7 || s.count() != 7 {
		t.Fatalf("after the window: status %s, %d attempts, %d exchanges, %d calls", got.Status, got.Attempts, len(got.Exchanges), s.count())
	}
	last, _ := r.db.Exchange(context.Background(), got.Exchanges[6])
	if !last.StartedAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("last attempt at %v, want %v", last.StartedAt, t0.Add(time.Hour))
	}
	if got.LastError == "" || r.settled[len(r.settled)-1] != koomock.DeliveryFailed {
		t.Errorf("last error %q, settled %v", got.LastError, r.settled)
	}
	// The seller fixed its service: the re-trigger delivers it.
	s.set("000000")
	d2, e, err := r.courier.Resend(context.Background(), d.ID)
	if err != nil || d2.Status != koomock.DeliveryDelivered || e == nil || d2.Attempts != 8 {
		t.Fatalf("resend: %+v %v", d2, err)
	}
	if _, _, err := r.courier.Resend(context.Background(), d.ID); err == nil {
		t.Error("a delivered delivery was sent again")
	}
}

func TestDeliveredAfterRetriesCancelsNothingLeft(t *testing.T) {
	s := &seller{answers: []string{"000005", "000005", "000000"}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	r := newRig(t, store.Memory, clock.NewVirtual(t0), srv.URL)
	d := r.start(t, hourly)
	r.sched.Advance(context.Background(), 3*time.Hour)
	got := r.get(t, d.ID)
	if got.Status != koomock.DeliveryDelivered || got.Attempts != 3 || !got.DeliveredAt.Equal(t0.Add(20*time.Minute)) {
		t.Fatalf("%+v", got)
	}
	if jobs, _ := r.db.Jobs(context.Background(), "", 10); len(jobs) != 0 {
		t.Errorf("jobs left: %+v", jobs)
	}
}

func TestNoAnswerAndNon200AreFailures(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(503)
		io.WriteString(w, `{"resultCode":"000000"}`)
	}))
	defer srv.Close()
	r := newRig(t, store.Memory, clock.NewVirtual(t0), srv.URL)
	if got := r.get(t, r.start(t, hourly).ID); got.Status != koomock.DeliveryRetrying {
		t.Errorf("HTTP 503 with 000000 counted as delivered: %+v", got)
	}
	r.url = "http://127.0.0.1:1/nothing"
	if got := r.get(t, r.start(t, delivery.Policy{}).ID); got.Status != koomock.DeliveryFailed || got.LastError == "" {
		t.Errorf("unreachable seller, no retry policy: %+v", got)
	}
}

func TestFaults(t *testing.T) {
	ctx := context.Background()
	s := &seller{answers: []string{"000000"}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	r := newRig(t, store.Memory, clock.NewVirtual(t0), srv.URL)

	r.faults.Set(ctx, koomock.Fault{Name: delivery.FaultUnreachable, Target: "releaseInstance", Remaining: 2})
	d := r.start(t, hourly)
	if s.count() != 0 || r.get(t, d.ID).Status != koomock.DeliveryRetrying {
		t.Fatalf("seller-unreachable: %d calls, %+v", s.count(), r.get(t, d.ID))
	}
	r.sched.Advance(ctx, 30*time.Minute)
	if got := r.get(t, d.ID); got.Status != koomock.DeliveryDelivered || got.Attempts != 3 || s.count() != 1 {
		t.Fatalf("after the fault ran out: %+v, %d calls", got, s.count())
	}

	r.faults.Set(ctx, koomock.Fault{Name: delivery.FaultDuplicate, Remaining: 1})
	d = r.start(t, hourly)
	got := r.get(t, d.ID)
	if len(got.Exchanges) != 2 || s.count() != 3 {
		t.Fatalf("duplicate: %+v, %d calls", got, s.count())
	}
	second, _ := r.db.Exchange(ctx, got.Exchanges[1])
	if v, _ := second.Verdict(koomock.RuleDuplicate); v.Outcome != koomock.Pass {
		t.Errorf("duplicate verdict: %+v", second.Verdicts)
	}

	s.set("000000", "000005")
	r.faults.Set(ctx, koomock.Fault{Name: delivery.FaultDuplicate, Remaining: 1})
	d = r.start(t, delivery.Policy{})
	got = r.get(t, d.ID)
	second, _ = r.db.Exchange(ctx, got.Exchanges[1])
	if v, _ := second.Verdict(koomock.RuleDuplicate); v.Outcome != koomock.Fail || got.Status != koomock.DeliveryFailed {
		t.Errorf("a seller refusing the duplicate: %s %+v", got.Status, second.Verdicts)
	}

	s.set("000001")
	r.faults.Set(ctx, koomock.Fault{Name: delivery.FaultTamper, Remaining: 1})
	d = r.start(t, delivery.Policy{})
	got = r.get(t, d.ID)
	e, _ := r.db.Exchange(ctx, got.Exchanges[0])
	if e.Probe != "tampered-signature" || got.Status != koomock.DeliveryFailed {
		t.Errorf("tampered delivery: probe %q, status %s", e.Probe, got.Status)
	}
	if v, _ := e.Verdict(koomock.RuleRefused); v.Outcome != koomock.Pass {
		t.Errorf("the seller's refusal of a tampered callback is correct behaviour: %+v", e.Verdicts)
	}
}

// TestRetriesSurviveARestart: a retry scheduled before koomock stopped runs after it starts again.
func TestRetriesSurviveARestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "k.db")
	s := &seller{answers: []string{"000005", "000000"}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	clk := clock.NewVirtual(t0)
	first := newRig(t, path, clk, srv.URL)
	d := first.start(t, hourly)
	first.db.Close()

	again := newRig(t, path, clk, srv.URL)
	if _, err := again.sched.Advance(context.Background(), 15*time.Minute); err != nil {
		t.Fatal(err)
	}
	if got := again.get(t, d.ID); got.Status != koomock.DeliveryDelivered || got.Attempts != 2 {
		t.Fatalf("after the restart: %+v", got)
	}
}

func TestUnknownKind(t *testing.T) {
	r := newRig(t, store.Memory, clock.NewVirtual(t0), "http://127.0.0.1:1")
	if _, err := r.courier.Start(context.Background(), "nope", &koomock.Delivery{}, hourly); err == nil {
		t.Error("an unregistered kind was started")
	}
}
