package license_test

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/mock"
	"github.com/koomock/koomock/mock/mocktest"
	"github.com/koomock/koomock/protocol"
)

// benchCodes is how many activated codes the heartbeat benchmark spreads its calls over.
const benchCodes = 10_000

// startBenchServer starts koomock (in-memory store, real time) with n activated test codes. It stops
// at the end of the benchmark, or earlier through stop.
func startBenchServer(b *testing.B, n int) (srv *mock.Server, codes []string, stop func()) {
	b.Helper()
	m := mocktest.New(b, mocktest.Options{NoSeller: true, RealClock: true, Config: func(c *mock.Config) {
		c.DB, c.Logger = os.Getenv("BENCH_DB"), slog.New(slog.DiscardHandler)
	}})
	return m.Server, issueCodes(b, m.Server, n), m.Close
}

// issueCodes makes n test codes, activates them and queries each once (its first heartbeat is a
// one-time state change), 100 per call.
func issueCodes(b *testing.B, srv *mock.Server, n int) []string {
	b.Helper()
	api := &controlapi.Client{BaseURL: srv.URL()}
	var codes []string
	for len(codes) < n {
		out, err := api.TestCodes(context.Background(), controlapi.TestCodesRequest{Count: min(100, n-len(codes)), Validity: "3650d"})
		if err != nil {
			b.Fatal(err)
		}
		var batch []string
		for _, c := range out.Codes {
			batch = append(batch, c.Code)
		}
		body := []byte(`{"license_list":["` + strings.Join(batch, `","`) + `"]}`)
		for _, path := range []string{protocol.PathLicenseActivateV2, protocol.PathLicenseHeartbeatV2} {
			r, _ := http.NewRequest(http.MethodPost, srv.URL()+path, bytes.NewReader(body))
			r.Header.Set("Content-Type", "application/json")
			protocol.SignAPIGRequest(r, body, fixtures.DemoAK, fixtures.DemoSK, time.Now())
			resp, err := http.DefaultClient.Do(r)
			if err != nil {
				b.Fatal(err)
			}
			raw, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if !strings.Contains(string(raw), `"92020000"`) {
				b.Fatalf("%s: %s", path, raw)
			}
		}
		codes = append(codes, batch...)
	}
	return codes
}

// BenchmarkHeartbeat measures v1 heartbeats per second over 10,000 activated codes, through the whole
// chain (journal, AK/SK, validation, the index, the history write), against a bare net/http handler
// answering a fixed body in the same run. Both get the same client: signed requests over loopback,
// 32 at a time.
func BenchmarkHeartbeat(b *testing.B) {
	srv, codes, _ := startBenchServer(b, benchCodes)
	bare := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		io.WriteString(w, `{"error_code":"92020000","error_msg":"success","data":{"license_code":"PLKOOMOCKDEMO0001","status":"ALIVE","activate_time":"20261127080000","expire_time":"20361127080000"}}`)
	}))
	b.Cleanup(bare.Close)
	for _, target := range []struct{ name, url string }{{"koomock", srv.URL()}, {"bare-net-http", bare.URL}} {
		b.Run(target.name, func(b *testing.B) {
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
			var next atomic.Int64
			b.SetParallelism(8) // 16 connections on 2 cores, as the targets are stated (docs/benchmarks.md)
			start, cpu0 := time.Now(), cpuTime()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					code := codes[next.Add(1)%int64(len(codes))]
					body := []byte(`{"license":"` + code + `"}`)
					r, _ := http.NewRequest(http.MethodPost, target.url+protocol.PathLicenseHeartbeatV1, bytes.NewReader(body))
					r.Header.Set("Content-Type", "application/json")
					protocol.SignAPIGRequest(r, body, fixtures.DemoAK, fixtures.DemoSK, time.Now())
					resp, err := client.Do(r)
					if err != nil {
						b.Error(err)
						return
					}
					raw, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 || !bytes.Contains(raw, []byte(`"ALIVE"`)) {
						b.Errorf("HTTP %d %s", resp.StatusCode, raw)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
			// CPU time per request (client and server: both are this process) does not depend on what
			// else the machine runs, unlike req/s on a shared machine.
			b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N), "cpu-µs/req")
		})
	}
}

// BenchmarkMemoryPer10000Codes measures what 10,000 issued and activated codes cost: the Go heap
// (the in-memory index, among the rest) and the process's resident memory (which includes SQLite's
// pages, allocated outside the Go heap). Run it with -benchtime 1x.
func BenchmarkMemoryPer10000Codes(b *testing.B) {
	for b.Loop() {
		heap0, rss0 := memory()
		_, _, stop := startBenchServer(b, benchCodes)
		heap1, rss1 := memory()
		b.ReportMetric(float64(heap1-heap0)/(1<<20), "heap-MiB")
		if rss0 > 0 && rss1 > 0 {
			b.ReportMetric(float64(rss1-rss0)/(1<<20), "rss-MiB")
		}
		stop()
	}
}

// cpuTime returns the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// memory returns the live Go heap after a collection, and the resident set size (0 where /proc is
// missing).
func memory() (heap, rss int64) {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	f, err := os.Open("/proc/self/status")
	if err == nil {
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
				kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
				rss = kb << 10
			}
		}
	}
	return int64(m.HeapAlloc), rss
}
