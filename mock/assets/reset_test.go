package assets

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/ids"
	"github.com/koomock/koomock/store"
)

// TestReset: a reset removes the stored packages and keeps the directory.
func TestReset(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, store.Memory)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := &Service{Store: db, Now: time.Now, IDs: ids.New(nil), SigningKey: []byte("k"), Settings: Settings{Dir: t.TempDir()}}
	if err := s.Open(ctx); err != nil {
		t.Fatal(err)
	}
	a, err := s.Create(ctx, controlapi.AssetRequest{Name: "n", DeployedType: koomock.DeploySoftwarePackage})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Upload(ctx, a.ID, "V1.0", controlapi.AssetUpload{PackageName: "p.zip", Body: strings.NewReader("bytes"), Size: -1}); err != nil {
		t.Fatal(err)
	}
	if err := s.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	if entries, err := os.ReadDir(s.Settings.Dir); err != nil || len(entries) != 0 {
		t.Errorf("after a reset the directory holds %v (%v)", entries, err)
	}
}
