package faults_test

import (
	"bytes"
	"context"
	"encoding/json"
	"github.com/go-chi/chi/v5"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/mock/faults"
	"github.com/koomock/koomock/store"
)

func newRegistry(t *testing.T, db *store.DB) *faults.Registry {
	t.Helper()
	r, err := faults.Load(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	r.Declare(faults.Declaration{Name: "seller-unreachable", Description: "callbacks fail as if nothing listened", Targets: []string{"newInstance", "refreshInstance"}})
	r.Declare(faults.Declaration{Name: "gateway-latency", Description: "answer late", Value: "a duration"})
	return r
}

func TestTakeCountsAndTargets(t *testing.T) {
	ctx := context.Background()
	db, _ := store.Open(ctx, store.Memory)
	defer db.Close()
	r := newRegistry(t, db)
	if _, err := r.Set(ctx, koomock.Fault{Name: "nope"}); err == nil {
		t.Fatal("an undeclared fault was accepted")
	}
	if _, err := r.Set(ctx, koomock.Fault{Name: "seller-unreachable", Target: "upgradeInstance"}); err == nil {
		t.Fatal("a target the fault does not offer was accepted")
	}
	f, err := r.Set(ctx, koomock.Fault{Name: "seller-unreachable", Target: "refreshInstance", Remaining: 2})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := r.Take(ctx, "seller-unreachable", "newInstance"); ok {
		t.Error("fired for another target")
	}
	for i := range 2 {
		if got, ok := r.Take(ctx, "seller-unreachable", "refreshInstance"); !ok || got.ID != f.ID {
			t.Fatalf("firing %d: %+v %v", i+1, got, ok)
		}
	}
	if _, ok := r.Take(ctx, "seller-unreachable", "refreshInstance"); ok {
		t.Error("fired a third time")
	}
	// Until cleared, and surviving a reload from the store.
	g, _ := r.Set(ctx, koomock.Fault{Name: "gateway-latency", Value: "3s"})
	r2 := newRegistry(t, db)
	for range 5 {
		if got, ok := r2.Take(ctx, "gateway-latency", "licenseHeartbeat"); !ok || got.Value != "3s" {
			t.Fatalf("after reload: %+v %v", got, ok)
		}
	}
	if err := r2.Clear(ctx, g.ID); err != nil {
		t.Fatal(err)
	}
	if _, ok := r2.Take(ctx, "gateway-latency", ""); ok {
		t.Error("fired after Clear")
	}
}

func TestControlRoutes(t *testing.T) {
	db, _ := store.Open(context.Background(), store.Memory)
	defer db.Close()
	mux := chi.NewRouter()
	newRegistry(t, db).ControlRoutes(mux)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	post := func(body string) int {
		resp, err := http.Post(srv.URL+"/faults", "application/json", bytes.NewBufferString(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := post(`{"name":"gateway-latency","value":"2s"}`); got != 201 {
		t.Errorf("set: HTTP %d", got)
	}
	if got := post(`{"name":"gremlins"}`); got != 400 {
		t.Errorf("unknown fault: HTTP %d", got)
	}
	resp, _ := http.Get(srv.URL + "/faults")
	var l controlapi.FaultList
	json.NewDecoder(resp.Body).Decode(&l)
	resp.Body.Close()
	if len(l.Active) != 1 || len(l.Offered) != 2 || l.Offered[0].Name != "gateway-latency" {
		t.Errorf("list: %+v", l)
	}
	req, _ := http.NewRequest("DELETE", srv.URL+"/faults/999", nil)
	resp, _ = http.DefaultClient.Do(req)
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Errorf("clear a missing fault: HTTP %d", resp.StatusCode)
	}
}
