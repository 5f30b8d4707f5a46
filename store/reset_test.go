package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/koomock/koomock"
)

func TestResetEmptiesEveryTableAndKeepsCountingIDs(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, ":memory:")
	at := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	if err := db.CreateOrder(ctx, koomock.Order{ID: "CS1", LineID: "CS1-000001", Type: koomock.OrderNew, CreatedAt: at}); err != nil {
		t.Fatal(err)
	}
	first := &koomock.Exchange{StartedAt: at, Direction: koomock.Outbound, Activity: "newInstance"}
	if err := db.RecordExchanges(ctx, []*koomock.Exchange{first}); err != nil {
		t.Fatal(err)
	}
	if err := db.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	if orders, err := db.Orders(ctx, 0); err != nil || len(orders) != 0 {
		t.Errorf("orders after reset: %v, %v", orders, err)
	}
	if list, err := db.Exchanges(ctx, koomock.ExchangeFilter{}); err != nil || len(list) != 0 {
		t.Errorf("journal after reset: %v, %v", list, err)
	}
	next := &koomock.Exchange{StartedAt: at, Direction: koomock.Outbound, Activity: "newInstance"}
	if err := db.RecordExchanges(ctx, []*koomock.Exchange{next}); err != nil {
		t.Fatal(err)
	}
	if next.ID <= first.ID {
		t.Errorf("exchange IDs restarted: %d after %d", next.ID, first.ID)
	}
}
