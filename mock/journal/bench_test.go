package journal_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/mock/journal"
	"github.com/koomock/koomock/store"
)

// BenchmarkJournal100k commits 100,000 heartbeat-sized exchanges through the journal, then reports the
// process's resident memory growth and how long listing the newest page (50, as the console shows)
// takes. Run it with -benchtime 1x; BENCH_DB=file uses a file database (serve's default) instead of
// memory.
func BenchmarkJournal100k(b *testing.B) {
	for b.Loop() {
		ctx := context.Background()
		path := store.Memory
		if os.Getenv("BENCH_DB") == "file" {
			path = filepath.Join(b.TempDir(), "koomock.db")
		}
		rss0 := rss()
		db, err := store.Open(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		j := journal.New(db, nil, nil)
		body := `{"license":"PLKOOMOCK000000000001"}`
		answer := `{"error_code":"92020000","error_msg":"success","data":{"license_code":"PLKOOMOCK000000000001","status":"ALIVE"}}`
		const n = 100_000
		errs := make(chan error, 16)
		for w := range 16 {
			go func() {
				for i := w; i < n; i += 16 {
					e := &koomock.Exchange{Direction: koomock.Inbound, Activity: "licenseHeartbeat", StartedAt: time.Now(),
						Request:  koomock.HTTPMessage{Method: "POST", URL: "/api/mkp-openapi-public/global/v1/license/heartbeat", Body: body},
						Response: &koomock.HTTPMessage{Status: 200, Body: answer},
						Verdicts: []koomock.Verdict{{Rule: koomock.RuleAPIGSignature, Outcome: koomock.Pass, Message: "signed " + strconv.Itoa(i)}}}
					if err := j.Record(ctx, e); err != nil {
						errs <- err
						return
					}
				}
				errs <- nil
			}()
		}
		for range 16 {
			if err := <-errs; err != nil {
				b.Fatal(err)
			}
		}
		runtime.GC()
		b.ReportMetric(float64(rss()-rss0)/(1<<20), "rss-MiB")
		start := time.Now()
		const pages = 100
		for range pages {
			list, err := db.Exchanges(ctx, koomock.ExchangeFilter{Limit: 50})
			if err != nil || len(list) != 50 {
				b.Fatalf("newest page: %d, %v", len(list), err)
			}
		}
		b.ReportMetric(float64(time.Since(start).Microseconds())/pages/1000, "newest-page-ms")
		j.Close()
		db.Close()
	}
}

// rss is the process's resident set size in bytes (0 where /proc is missing).
func rss() int64 {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			var kb int64
			fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), &kb)
			return kb << 10
		}
	}
	return 0
}
