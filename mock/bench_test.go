package mock_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"syscall"
	"testing"
	"time"

	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/mock"
	"github.com/koomock/koomock/mock/mocktest"
	"github.com/koomock/koomock/protocol"
)

// BenchmarkOrderQuery measures requests per second of the order query through everything koomock
// puts in front of it (journal, API Gateway AK/SK, validation against marketplace.yaml, the lookup),
// and of a bare net/http handler answering a fixed body, in the same run, over loopback. Both clients
// sign every request as Huawei's SDK does, so the difference is koomock's.
func BenchmarkOrderQuery(b *testing.B) {
	srv := mocktest.New(b, mocktest.Options{NoSeller: true, RealClock: true, Config: func(c *mock.Config) {
		c.Logger = slog.New(slog.DiscardHandler)
	}}).Server
	fixed := []byte(`{"resultCode":"MKT.0000","resultMsg":"success"}`)
	bare := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(fixed)
	}))
	b.Cleanup(bare.Close)
	for _, target := range []struct{ name, base string }{{"koomock", srv.URL()}, {"bare-net-http", bare.URL}} {
		b.Run(target.name, func(b *testing.B) {
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
			url := target.base + protocol.OrderQueryPath + "?orderId=MOCKPERIODYEARNEW&orderLineId=MOCKPERIODYEARNEW-000001"
			b.SetParallelism(8) // 16 connections on 2 cores, as the targets are stated (docs/benchmarks.md)
			cpu0 := cpuTime()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					req, _ := http.NewRequest("GET", url, nil)
					protocol.SignAPIGRequest(req, nil, fixtures.DemoAK, fixtures.DemoSK, time.Now())
					resp, err := client.Do(req)
					if err != nil {
						b.Error(err)
						return
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 {
						b.Errorf("HTTP %d", resp.StatusCode)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
			// CPU time per request (client and server: both are this process) depends far less on what
			// else a shared machine runs than req/s does.
			b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N), "cpu-µs/req")
		})
	}
}

// cpuTime is the CPU time this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
