package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/store"
)

// TestTenantAndAppReadsSeeEveryWrite: the tenants and apps remembered for the identity provider's
// lookups never outlive a write: an update, a deletion and a reset are each seen by the next read.
func TestTenantAndAppReadsSeeEveryWrite(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, store.Memory)
	tenant := koomock.Tenant{ID: "t-1", Code: "acme", Name: "Acme"}
	if err := db.CreateTenant(ctx, tenant); err != nil {
		t.Fatal(err)
	}
	app := koomock.App{TenantID: "t-1", AppID: "a-1", ClientID: "c-1", LoginCallbackURL: "https://acme.example/cb"}
	if err := db.PutApp(ctx, app); err != nil {
		t.Fatal(err)
	}
	for range 2 { // the second read is served from what the first remembered
		if got, err := db.TenantByCode(ctx, "acme"); err != nil || got.Name != "Acme" {
			t.Fatalf("tenant by code: %+v, %v", got, err)
		}
		if got, err := db.AppByClient(ctx, "c-1"); err != nil || got.AppID != "a-1" {
			t.Fatalf("app: %+v, %v", got, err)
		}
	}
	tenant.Name = "Acme Ltd"
	if err := db.UpdateTenant(ctx, tenant); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.TenantByCode(ctx, "acme"); got.Name != "Acme Ltd" {
		t.Errorf("after an update, by code: %q", got.Name)
	}
	if got, _ := db.Tenant(ctx, "t-1"); got.Name != "Acme Ltd" {
		t.Errorf("after an update, by ID: %q", got.Name)
	}
	app.LoginCallbackURL = "https://acme.example/new"
	if err := db.PutApp(ctx, app); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.AppByClient(ctx, "c-1"); got.LoginCallbackURL != app.LoginCallbackURL {
		t.Errorf("after a put, app: %+v", got)
	}
	if err := db.DeleteApp(ctx, "c-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AppByClient(ctx, "c-1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("after a delete, app: %v", err)
	}
	if err := db.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := db.TenantByCode(ctx, "acme"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("after a reset, tenant: %v", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := db.Tenant(cancelled, "t-1"); !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled read: %v", err)
	}
}
