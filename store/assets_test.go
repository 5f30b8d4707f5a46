package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/store"
)

func TestAssets(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, store.Memory)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	at := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	a := koomock.Asset{ID: "a1", Name: "demo", DeployedType: koomock.DeploySoftwarePackage, CreatedAt: at}
	if err := db.CreateAsset(ctx, a); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateAsset(ctx, a); !errors.Is(err, store.ErrExists) {
		t.Fatalf("creating it again = %v, want ErrExists", err)
	}
	a.Versions = []koomock.AssetVersion{{Version: "V1.0", VersionID: "v1", Region: "cn-north-4",
		Package: &koomock.AssetPackage{Name: "app.zip", Size: 3, SHA256: "abc"}}}
	if err := db.PutAsset(ctx, a); err != nil {
		t.Fatal(err)
	}
	got, err := db.Asset(ctx, "a1")
	if err != nil || len(got.Versions) != 1 || got.Versions[0].Package.Name != "app.zip" {
		t.Fatalf("Asset = %+v, %v", got, err)
	}
	b := koomock.Asset{ID: "a2", Name: "img", DeployedType: koomock.DeployImage, CreatedAt: at.Add(time.Second)}
	if err := db.CreateAsset(ctx, b); err != nil {
		t.Fatal(err)
	}
	all, err := db.Assets(ctx)
	if err != nil || len(all) != 2 || all[0].ID != "a1" {
		t.Fatalf("Assets = %+v, %v", all, err)
	}
	if err := db.DeleteAsset(ctx, "a1"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Asset(ctx, "a1"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("deleted asset = %v, want ErrNotFound", err)
	}
	if err := db.PutAsset(ctx, a); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("replacing a deleted asset = %v, want ErrNotFound", err)
	}
}
