package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/store"
)

func TestTenantsSurviveReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "koomock.db")
	db := mustOpen(t, path)
	at := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	ten := koomock.Tenant{ID: "t1", Code: "acme", Name: "Acme", CreatedAt: at}
	if err := db.CreateTenant(ctx, ten); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateTenant(ctx, koomock.Tenant{ID: "t2", Code: "acme", CreatedAt: at}); !errors.Is(err, store.ErrExists) {
		t.Errorf("second tenant with the same code: %v", err)
	}
	if err := db.PutApp(ctx, koomock.App{TenantID: "t1", AppID: "app", ClientID: "c1", ClientSecret: "s"}); err != nil {
		t.Fatal(err)
	}
	if err := db.PutApp(ctx, koomock.App{TenantID: "t2", AppID: "app", ClientID: "c1"}); !errors.Is(err, store.ErrExists) {
		t.Errorf("client of another tenant: %v", err)
	}
	db.PutOrg(ctx, koomock.Org{TenantID: "t1", Code: "10", Name: "HQ"})
	db.PutUser(ctx, koomock.User{TenantID: "t1", UserName: "u", Name: "U", Authorized: true})
	code := koomock.Grant{Kind: koomock.GrantCode, Token: "code1", TenantID: "t1", UserName: "u", ExpiresAt: at.Add(5 * time.Minute)}
	if err := db.PutGrant(ctx, code); err != nil {
		t.Fatal(err)
	}
	db.Close()

	db = mustOpen(t, path)
	if got, err := db.TenantByCode(ctx, "acme"); err != nil || got.ID != "t1" || !got.CreatedAt.Equal(at) {
		t.Errorf("tenant after reopen: %+v, %v", got, err)
	}
	if a, err := db.AppByClient(ctx, "c1"); err != nil || a.ClientSecret != "s" {
		t.Errorf("app after reopen: %+v, %v", a, err)
	}
	if us, err := db.UsersNamed(ctx, "u"); err != nil || len(us) != 1 || !us[0].Authorized {
		t.Errorf("users after reopen: %+v, %v", us, err)
	}
	if _, err := db.Grant(ctx, koomock.GrantCode, "code1"); err != nil {
		t.Errorf("code after reopen: %v", err)
	}
	if err := db.DeleteTenant(ctx, "t1"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AppByClient(ctx, "c1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("app of a deleted tenant: %v", err)
	}
}

func TestRedeemOnceAndRevokeFamily(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, store.Memory)
	exp := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	db.PutGrant(ctx, koomock.Grant{Kind: koomock.GrantCode, Token: "c", TenantID: "t", ExpiresAt: exp})
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := db.RedeemGrant(ctx, koomock.GrantCode, "c"); err == nil {
				mu.Lock()
				wins++
				mu.Unlock()
			} else if !errors.Is(err, store.ErrUsed) {
				t.Errorf("redeem: %v", err)
			}
		}()
	}
	wg.Wait()
	if wins != 1 {
		t.Fatalf("%d redemptions won, want exactly 1", wins)
	}
	db.PutGrant(ctx, koomock.Grant{Kind: koomock.GrantAccess, Token: "a", TenantID: "t", Family: "c", ExpiresAt: exp})
	db.PutGrant(ctx, koomock.Grant{Kind: koomock.GrantRefresh, Token: "r", TenantID: "t", Family: "c", ExpiresAt: exp})
	db.PutGrant(ctx, koomock.Grant{Kind: koomock.GrantAccess, Token: "other", TenantID: "t", Family: "c2", ExpiresAt: exp})
	if n, err := db.RevokeFamily(ctx, "c"); err != nil || n != 2 {
		t.Fatalf("revoked %d, %v", n, err)
	}
	if g, _ := db.Grant(ctx, koomock.GrantAccess, "other"); g.Revoked {
		t.Error("revoked a token of another family")
	}
	if g, _ := db.Grant(ctx, koomock.GrantRefresh, "r"); !g.Revoked {
		t.Error("refresh token of the family not revoked")
	}
}
