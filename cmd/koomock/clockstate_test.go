package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/koomock/koomock/controlapi"
)

// TestVirtualClockSurvivesARestart: the clock is state. A koomock restarted on the same database
// resumes the virtual clock where it stood (its jobs were scheduled on it) and says so in the banner.
func TestVirtualClockSurvivesARestart(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "koomock.db")
	api, _, stop := startServe(t, "--db", db, "--seller-url", referenceSeller(t, nil))
	at := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	if _, err := api.SetClock(ctx, controlapi.ClockRequest{Mode: "virtual", Now: at}); err != nil {
		t.Fatal(err)
	}
	if _, err := api.Advance(ctx, "40d"); err != nil {
		t.Fatal(err)
	}
	want := at.Add(40 * 24 * time.Hour)
	if code := stop(); code != exitOK {
		t.Fatalf("serve exited %d", code)
	}
	api, out, stop := startServe(t, "--db", db, "--seller-url", referenceSeller(t, nil))
	defer stop()
	st, err := api.Clock(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !st.Virtual || !st.Now.Equal(want) {
		t.Fatalf("after a restart the clock is %+v, want virtual at %s", st, want)
	}
	if !strings.Contains(out.String(), "virtual clock at "+want.Format(time.RFC3339)) {
		t.Errorf("the banner does not say where the clock resumed:\n%s", out)
	}
}
