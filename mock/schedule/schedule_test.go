package schedule_test

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/koomock/koomock/clock"
	"github.com/koomock/koomock/mock/schedule"
	"github.com/koomock/koomock/store"
)

var t0 = time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)

type run struct {
	key string
	at  time.Time
}

func openDB(t *testing.T, path string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func setup(t *testing.T, db *store.DB) (*schedule.Scheduler, *clock.Clock, *[]run) {
	t.Helper()
	clk := clock.NewVirtual(t0)
	s := schedule.New(db, clk, nil)
	var runs []run
	// "retry" reschedules itself every 10 minutes up to attempt 3, as a callback retry would.
	s.Handle("retry", func(ctx context.Context, j store.Job) error {
		runs = append(runs, run{j.Key, clk.Now()})
		if j.Attempt < 3 {
			_, err := s.Schedule(ctx, "retry", j.Key, clk.Now().Add(10*time.Minute), j.Attempt+1, nil)
			return err
		}
		return nil
	})
	s.Handle("once", func(ctx context.Context, j store.Job) error {
		var p struct{ Name string }
		json.Unmarshal(j.Payload, &p)
		runs = append(runs, run{p.Name, clk.Now()})
		return errors.New("handlers may fail; the job is still done")
	})
	return s, clk, &runs
}

func TestAdvanceRunsJobsInOrderAtTheirTime(t *testing.T) {
	ctx := context.Background()
	s, clk, runs := setup(t, openDB(t, store.Memory))
	s.Schedule(ctx, "once", "", t0.Add(time.Hour), 1, map[string]string{"Name": "expire"})
	s.Schedule(ctx, "retry", "r1", t0.Add(5*time.Minute), 1, nil)
	s.Schedule(ctx, "once", "", t0.Add(2*time.Hour), 1, map[string]string{"Name": "late"})

	now, err := s.Advance(ctx, 90*time.Minute)
	if err != nil || !now.Equal(t0.Add(90*time.Minute)) || !clk.Now().Equal(now) {
		t.Fatalf("Advance = %v, %v (clock %v)", now, err, clk.Now())
	}
	want := []run{{"r1", t0.Add(5 * time.Minute)}, {"r1", t0.Add(15 * time.Minute)}, {"r1", t0.Add(25 * time.Minute)}, {"expire", t0.Add(time.Hour)}}
	if len(*runs) != len(want) {
		t.Fatalf("runs %v, want %v", *runs, want)
	}
	for i := range want {
		if (*runs)[i].key != want[i].key || !(*runs)[i].at.Equal(want[i].at) {
			t.Errorf("run %d = %v, want %v", i, (*runs)[i], want[i])
		}
	}
	if n, _ := s.RunDue(ctx); n != 0 {
		t.Errorf("RunDue ran %d jobs not yet due", n)
	}
}

func TestRescheduleByKeyReplaces(t *testing.T) {
	ctx := context.Background()
	s, _, runs := setup(t, openDB(t, store.Memory))
	s.Schedule(ctx, "once", "expire:i-1", t0.Add(time.Hour), 1, map[string]string{"Name": "first"})
	s.Schedule(ctx, "once", "expire:i-1", t0.Add(3*time.Hour), 1, map[string]string{"Name": "moved"})
	s.Advance(ctx, 2*time.Hour)
	if len(*runs) != 0 {
		t.Fatalf("the replaced job ran: %v", *runs)
	}
	s.Cancel(ctx, "expire:i-1")
	s.Advance(ctx, 2*time.Hour)
	if len(*runs) != 0 {
		t.Fatalf("the cancelled job ran: %v", *runs)
	}
}

func TestJobsSurviveRestart(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "k.db")
	db := openDB(t, path)
	s, _, _ := setup(t, db)
	s.Schedule(ctx, "once", "", t0.Add(time.Hour), 1, map[string]string{"Name": "after restart"})
	// The first run lets go of the database, as a stopped koomock does: one holder at a time.
	db.Close()
	s2, _, runs := setup(t, openDB(t, path))
	if _, err := s2.Advance(ctx, time.Hour); err != nil {
		t.Fatal(err)
	}
	if len(*runs) != 1 || (*runs)[0].key != "after restart" {
		t.Errorf("runs after restart: %v", *runs)
	}
}

func TestAdvanceNeedsVirtualTime(t *testing.T) {
	s, clk, _ := setup(t, openDB(t, store.Memory))
	clk.Resume()
	if _, err := s.Advance(context.Background(), time.Hour); !errors.Is(err, clock.ErrNotVirtual) {
		t.Errorf("Advance on real time = %v", err)
	}
}

// TestRealTimeLoop runs a due job through the background loop on real time. The job is due in the
// past, so nothing waits on a timer; the test waits on the handler's signal.
func TestRealTimeLoop(t *testing.T) {
	db, err := store.Open(context.Background(), store.Memory)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := schedule.New(db, clock.New(nil), nil)
	done := make(chan string, 1)
	s.Handle("once", func(ctx context.Context, j store.Job) error { done <- j.Key; return nil })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go s.Run(ctx)
	s.Schedule(ctx, "once", "k", time.Now().Add(-time.Second), 1, nil)
	if got := <-done; got != "k" {
		t.Errorf("ran %q", got)
	}
}
