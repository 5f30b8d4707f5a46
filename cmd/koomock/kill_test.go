//go:build unix

package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/protocol"
)

// TestKillMinus9LosesNoAnsweredCall is the journal's promise, on a real process: koomock serve,
// under 16 connections of signed order queries, is killed with SIGKILL; restarted on the same
// database, its journal holds every call that had been answered (and possibly a few more that were
// committed but whose answer the kill cut off). Rerun by hand: go test -run KillMinus9 -v ./cmd/koomock
func TestKillMinus9LosesNoAnsweredCall(t *testing.T) {
	if testing.Short() {
		t.Skip("builds koomock and kills it")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "koomock")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	db := filepath.Join(dir, "koomock.db")
	start := func() (*exec.Cmd, string) {
		t.Helper()
		cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", db, "--seller-url", "http://127.0.0.1:1/produce")
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		re := regexp.MustCompile(`listening on +(http://\S+)`)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				go io.Copy(io.Discard, out)
				return cmd, m[1]
			}
		}
		t.Fatalf("koomock serve printed no listen address")
		return nil, ""
	}
	cmd, base := start()

	// 16 clients send signed order queries until the kill; each counts the calls it got an answer to.
	var answered atomic.Int64
	var wg sync.WaitGroup
	var once sync.Once
	killed, enough := make(chan struct{}), make(chan struct{})
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}, Timeout: 10 * time.Second}
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-killed:
					return
				default:
				}
				r, _ := http.NewRequest(http.MethodGet, base+protocol.OrderQueryPath+"?orderId=MOCKPERIODYEARNEW", nil)
				protocol.SignAPIGRequest(r, nil, fixtures.DemoAK, fixtures.DemoSK, time.Now())
				resp, err := client.Do(r)
				if err != nil {
					return // the kill
				}
				_, err = io.ReadAll(resp.Body)
				resp.Body.Close()
				if err == nil && resp.StatusCode == http.StatusOK && answered.Add(1) >= 300 {
					once.Do(func() { close(enough) })
				}
			}
		}()
	}
	// Kill once a good number of calls were answered, while the clients keep calling.
	select {
	case <-enough:
	case <-time.After(time.Minute):
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	close(killed)
	wg.Wait()
	got := answered.Load()
	if got < 300 {
		t.Fatalf("only %d calls answered in a minute", got)
	}

	_, base = start()
	api := &controlapi.Client{BaseURL: base}
	var journaled int
	f := koomock.ExchangeFilter{Direction: koomock.Inbound, Activity: "orderQuery", Limit: controlapi.MaxExchanges}
	for {
		list, err := api.Exchanges(context.Background(), f)
		if err != nil {
			t.Fatal(err)
		}
		journaled += len(list)
		if len(list) < controlapi.MaxExchanges {
			break
		}
		f.BeforeID = list[len(list)-1].ID
	}
	t.Logf("%d calls answered before kill -9, %d in the journal after the restart", got, journaled)
	if int64(journaled) < got {
		t.Errorf("the journal lost %d answered calls", got-int64(journaled))
	}
}
