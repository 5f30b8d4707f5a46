package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/store"
)

func TestDeliveries(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, store.Memory)
	a := &koomock.Delivery{Kind: "k", Activity: "refreshInstance", InstanceID: "i-1", Status: koomock.DeliveryPending, Body: map[string]any{"scene": "RENEWAL"}}
	b := &koomock.Delivery{Kind: "k", Activity: "releaseInstance", InstanceID: "i-2", Status: koomock.DeliveryPending}
	for _, d := range []*koomock.Delivery{a, b} {
		if err := db.PutDelivery(ctx, d); err != nil || d.ID == 0 {
			t.Fatalf("put: %v, id %d", err, d.ID)
		}
	}
	a.Status, a.Attempts = koomock.DeliveryFailed, 7
	if err := db.PutDelivery(ctx, a); err != nil {
		t.Fatal(err)
	}
	failed, err := db.Deliveries(ctx, store.DeliveryFilter{Status: koomock.DeliveryFailed})
	if err != nil || len(failed) != 1 || failed[0].ID != a.ID || failed[0].Attempts != 7 || failed[0].Body["scene"] != "RENEWAL" {
		t.Fatalf("failed deliveries: %+v, %v", failed, err)
	}
	all, _ := db.Deliveries(ctx, store.DeliveryFilter{})
	if len(all) != 2 || all[0].ID != b.ID {
		t.Errorf("all, newest first: %+v", all)
	}
	if _, err := db.Delivery(ctx, 999); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing delivery: %v", err)
	}
}

func TestUsageIsIdempotentByMeteringSN(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, store.Memory)
	first := []koomock.UsageRecord{{MeteringSN: "sn-1", InstanceID: "i", Value: 2}, {MeteringSN: "sn-2", InstanceID: "i", Value: 3}}
	if dup, err := db.AddUsage(ctx, first); err != nil || len(dup) != 0 {
		t.Fatalf("first push: %v %v", dup, err)
	}
	again := []koomock.UsageRecord{{MeteringSN: "sn-2", InstanceID: "i", Value: 300}, {MeteringSN: "sn-3", InstanceID: "i", Value: 1}}
	dup, err := db.AddUsage(ctx, again)
	if err != nil || len(dup) != 1 || dup[0] != "sn-2" {
		t.Fatalf("second push: dup %v, %v", dup, err)
	}
	got, _ := db.Usage(ctx, "i")
	sum := 0.0
	for _, r := range got {
		sum += r.Value
	}
	if len(got) != 3 || sum != 6 {
		t.Errorf("usage %+v (sum %v), want 3 records summing to 6", got, sum)
	}
}

func TestCasesAndProductStates(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, store.Memory)
	c := &koomock.DebugCase{Name: "buy", Activity: "newInstance", ProductID: "P1", Body: map[string]any{"testFlag": "1"}}
	if err := db.PutCase(ctx, c); err != nil {
		t.Fatal(err)
	}
	c.FailedDays = 2
	db.PutCase(ctx, c)
	got, err := db.Case(ctx, c.ID)
	if err != nil || got.FailedDays != 2 || got.Body["testFlag"] != "1" {
		t.Fatalf("case: %+v %v", got, err)
	}
	if err := db.DeleteCase(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteCase(ctx, c.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("second delete: %v", err)
	}
	p, err := db.ProductState(ctx, "P1")
	if err != nil || p.Frozen || p.ProductID != "P1" {
		t.Fatalf("never-frozen product: %+v %v", p, err)
	}
	db.PutProductState(ctx, koomock.ProductState{ProductID: "P1", Frozen: true, Reason: "dial tests"})
	if p, _ = db.ProductState(ctx, "P1"); !p.Frozen {
		t.Errorf("frozen product reads %+v", p)
	}
}
