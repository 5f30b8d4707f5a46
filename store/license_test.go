package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/store"
)

func TestLicenseWritesAreAtomicAndSurviveReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "koomock.db")
	db := mustOpen(t, path)
	at := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	a := koomock.LicenseCode{Code: "PLA", OrderID: "CS1", State: koomock.LicenseActive, CreatedAt: at, ExpireAt: at.AddDate(1, 0, 0)}
	b := a
	b.Code = "PLB"
	err := db.WriteLicense(ctx, store.LicenseWrite{
		Create: []koomock.LicenseCode{a, b},
		Events: []koomock.LicenseEvent{{Code: "PLA", Kind: koomock.LicenseEventIssued, At: at}, {Code: "PLB", Kind: koomock.LicenseEventIssued, At: at}},
	})
	if err != nil {
		t.Fatal(err)
	}

	// A write that fails half-way leaves nothing behind.
	c := a
	c.Code = "PLC"
	err = db.WriteLicense(ctx, store.LicenseWrite{
		Create: []koomock.LicenseCode{c, a},
		Events: []koomock.LicenseEvent{{Code: "PLC", Kind: koomock.LicenseEventIssued, At: at}},
	})
	if !errors.Is(err, store.ErrExists) {
		t.Fatalf("creating an existing code = %v, want ErrExists", err)
	}
	if _, err := db.LicenseCode(ctx, "PLC"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("PLC after the failed write: %v, want ErrNotFound", err)
	}
	ghost := a
	ghost.Code = "PLGHOST"
	if err := db.WriteLicense(ctx, store.LicenseWrite{Update: []koomock.LicenseCode{ghost}}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("updating a missing code = %v, want ErrNotFound", err)
	}

	a.Activated, a.ActivatedAt = true, at.Add(time.Hour)
	ev := []koomock.LicenseEvent{{Code: "PLA", Kind: koomock.LicenseEventActivated, At: a.ActivatedAt, API: "v1"}}
	w := store.LicenseWrite{Update: []koomock.LicenseCode{a}, Events: ev}
	if err := db.WriteLicense(ctx, w); err != nil {
		t.Fatal(err)
	}
	if w.Events[0].ID == 0 {
		t.Error("the event did not get its ID")
	}
	db.Close()

	db = mustOpen(t, path)
	codes, err := db.LicenseCodes(ctx)
	if err != nil || len(codes) != 2 || codes[0].Code != "PLA" || !codes[0].Activated || !codes[0].ActivatedAt.Equal(a.ActivatedAt) {
		t.Fatalf("codes after reopen = %+v, %v", codes, err)
	}
	events, err := db.LicenseEvents(ctx, "PLA", 10)
	if err != nil || len(events) != 2 || events[0].Kind != koomock.LicenseEventActivated || events[0].API != "v1" || events[0].ID != w.Events[0].ID {
		t.Errorf("history of PLA, newest first = %+v, %v", events, err)
	}
}
