package idp_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/runner/browser"
)

// BenchmarkTokenEndpoint measures koomock's token endpoint (refresh_token grant: client
// authentication, journal, validation against marketplace.yaml, SQLite reads and writes) against a
// bare net/http handler that parses the same form and writes a fixed token, in the same run, both over
// loopback HTTP with parallel clients. Results are in docs/benchmarks.md.
func BenchmarkTokenEndpoint(b *testing.B) {
	e := newEnvB(b)
	conf := oauthConfig(e, e.srv.URL(), fixtures.DemoClientID, fixtures.DemoClientSecret, oauth2.AuthStyleInParams)
	br := browser.New(nil)
	page, err := br.Open(e.ctx, conf.AuthCodeURL("s"))
	if err != nil {
		b.Fatal(err)
	}
	form, err := page.Form()
	if err != nil {
		b.Fatal(err)
	}
	if _, err := br.Submit(e.ctx, form, map[string]string{"username": fixtures.DemoUser, "password": fixtures.DemoPassword}); err != nil {
		b.Fatal(err)
	}
	e.cb.mu.Lock()
	code := e.cb.query[len(e.cb.query)-1].Get("code")
	e.cb.mu.Unlock()
	tok, err := conf.Exchange(e.ctx, code)
	if err != nil {
		b.Fatal(err)
	}
	body := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.RefreshToken},
		"client_id": {fixtures.DemoClientID}, "client_secret": {fixtures.DemoClientSecret}}.Encode()

	bare := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		if r.PostForm.Get("grant_type") == "" {
			http.Error(w, "bad", 400)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"access_token":"x","token_type":"Bearer","expires_in":7200,"scope":"get_user_info","refresh_token":"y"}`)
	}))
	defer bare.Close()

	for _, target := range []struct{ name, url string }{
		{"koomock", e.srv.URL() + "/api/v1/oauth2/token"},
		{"bare-net-http", bare.URL + "/api/v1/oauth2/token"},
	} {
		b.Run(target.name, func(b *testing.B) {
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
			b.SetParallelism(8) // 16 connections on 2 cores, as the targets are stated (docs/benchmarks.md)
			cpu0 := cpuTime()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					resp, err := client.Post(target.url, "application/x-www-form-urlencoded", strings.NewReader(body))
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
