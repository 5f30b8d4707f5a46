package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/protocol"
	"github.com/koomock/koomock/store"
)

func mustOpen(t *testing.T, path string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestOrdersSurviveReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "nested", "koomock.db")
	db := mustOpen(t, path)
	created := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	o := koomock.Order{ID: "CS1", LineID: "CS1-000001", Type: koomock.OrderNew, Status: koomock.OrderPending, CreatedAt: created}
	if err := db.CreateOrder(ctx, o); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateOrder(ctx, o); !errors.Is(err, store.ErrExists) {
		t.Fatalf("second create = %v, want ErrExists", err)
	}
	o.InstanceID, o.Status = "i-1", koomock.OrderDelivered
	if err := db.UpdateOrder(ctx, o); err != nil {
		t.Fatal(err)
	}
	db.Close()

	db = mustOpen(t, path) // migrations must not run twice
	got, err := db.Order(ctx, "CS1")
	if err != nil {
		t.Fatal(err)
	}
	if got.InstanceID != "i-1" || got.Status != koomock.OrderDelivered || !got.CreatedAt.Equal(created) {
		t.Errorf("reopened order = %+v", got)
	}
	if _, err := db.Order(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing order = %v, want ErrNotFound", err)
	}
	byInstance, err := db.OrdersOfInstance(ctx, "i-1")
	if err != nil || len(byInstance) != 1 {
		t.Errorf("OrdersOfInstance = %v, %v", byInstance, err)
	}
}

func TestJournalFiltersAndOrder(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, store.Memory)
	at := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	for i, act := range []protocol.Activity{"newInstance", "newInstance", "orderQuery"} {
		e := &koomock.Exchange{Direction: koomock.Outbound, Activity: act, OrderID: "CS1", StartedAt: at}
		if i == 1 {
			e.Judge(koomock.RuleIdempotent, koomock.Fail, "different instanceId")
		}
		if act == "orderQuery" {
			e.Direction = koomock.Inbound
		}
		if err := db.RecordExchanges(ctx, []*koomock.Exchange{e}); err != nil {
			t.Fatal(err)
		}
		if e.ID != int64(i+1) {
			t.Fatalf("exchange %d got ID %d", i, e.ID)
		}
	}
	tests := []struct {
		name string
		f    koomock.ExchangeFilter
		want []int64
	}{
		{"all, newest first", koomock.ExchangeFilter{}, []int64{3, 2, 1}},
		{"failed only", koomock.ExchangeFilter{FailedOnly: true}, []int64{2}},
		{"activity", koomock.ExchangeFilter{Activity: "newInstance"}, []int64{2, 1}},
		{"inbound", koomock.ExchangeFilter{Direction: koomock.Inbound}, []int64{3}},
		{"page back", koomock.ExchangeFilter{BeforeID: 3, Limit: 1}, []int64{2}},
		{"after", koomock.ExchangeFilter{AfterID: 1}, []int64{3, 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := db.Exchanges(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, e := range got {
				ids = append(ids, e.ID)
			}
			if len(ids) != len(tt.want) {
				t.Fatalf("ids = %v, want %v", ids, tt.want)
			}
			for i := range ids {
				if ids[i] != tt.want[i] {
					t.Fatalf("ids = %v, want %v", ids, tt.want)
				}
			}
		})
	}
	e, err := db.Exchange(ctx, 2)
	if err != nil || !e.Failed() || e.Verdicts[0].Rule != koomock.RuleIdempotent {
		t.Errorf("Exchange(2) = %+v, %v", e, err)
	}
}

func TestMemoryDatabasesArePrivate(t *testing.T) {
	ctx := context.Background()
	a, b := mustOpen(t, store.Memory), mustOpen(t, store.Memory)
	if err := a.CreateOrder(ctx, koomock.Order{ID: "CS1", CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Order(ctx, "CS1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("an order written to one in-memory database is in another: %v", err)
	}
}
