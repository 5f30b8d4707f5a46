package main

import (
	"bufio"
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/examples/licenseclient"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/protocol"
)

// processArgsVar carries koomock's arguments to the test binary re-run as koomock. It is not a
// KOOMOCK_* name: koomock reads those as settings.
const processArgsVar = "GO_KOOMOCK_PROCESS_ARGS"

// TestHelperProcessKoomock is not a test: startProcess runs the test binary with it to get a real
// koomock process, which the kill test can kill -9.
func TestHelperProcessKoomock(t *testing.T) {
	args := os.Getenv(processArgsVar)
	if args == "" {
		t.Skip("run by startProcess only")
	}
	os.Args = append([]string{"koomock"}, strings.Split(args, "\x1f")...)
	main() // exits the process
}

// koomockProcess is koomock serve in a process of its own.
type koomockProcess struct {
	cmd *exec.Cmd
	api *controlapi.Client
}

// startProcess starts koomock serve with args in its own process and returns once it listens.
func startProcess(t *testing.T, args ...string) *koomockProcess {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcessKoomock$")
	cmd.Env = append(os.Environ(), processArgsVar+"="+strings.Join(append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), "\x1f"))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr syncBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	listening := regexp.MustCompile(`listening on +(http://\S+)`)
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if m := listening.FindStringSubmatch(sc.Text()); m != nil {
			go func() { // keep draining, so the banner's reader never blocks the process
				for sc.Scan() {
				}
			}()
			return &koomockProcess{cmd: cmd, api: &controlapi.Client{BaseURL: m[1]}}
		}
	}
	cmd.Wait()
	t.Fatalf("koomock serve ended without listening:\n%s", stderr.String())
	return nil
}

// TestKill9LosesNothingAcknowledged kills koomock with SIGKILL while four clients buy orders, a
// fifth calls an open API and eight License clients send signed heartbeats, then starts it again on
// the same database: it starts (the database lock died with the process), every purchase koomock had
// answered is there, order and delivered callback's journal entry alike, and every answered
// open-API call and heartbeat is in the journal.
// Rerun by hand: go test ./cmd/koomock -run TestKill9LosesNothingAcknowledged -count=5 -v
func TestKill9LosesNothingAcknowledged(t *testing.T) {
	sellerURL := referenceSeller(t, nil)
	db := filepath.Join(t.TempDir(), "koomock.db")
	first := startProcess(t, "--db", db, "--seller-url", sellerURL)

	type acked struct {
		order    string
		exchange int64
	}
	const clients, heartbeaters, killAfter = 4, 8, 40
	var (
		mu       sync.Mutex
		got      []acked
		answered int // inbound calls answered: unsigned order queries, refused 401 and journaled
		beats    int // signed heartbeats answered with the code's status
		killed   = make(chan struct{})
		once     sync.Once
		wg       sync.WaitGroup
	)
	// One more client calls an open API, each call journaled as an inbound exchange before its answer.
	wg.Go(func() {
		for {
			select {
			case <-killed:
				return
			default:
			}
			resp, err := http.Get(first.api.BaseURL + protocol.OrderQueryPath + "?orderId=CS1")
			if err != nil {
				return
			}
			resp.Body.Close()
			if resp.StatusCode == http.StatusUnauthorized {
				mu.Lock()
				answered++
				mu.Unlock()
			}
		}
	})
	// Eight License clients, each with an activated test code, heartbeat as fast as they are answered.
	codes, err := first.api.TestCodes(context.Background(), controlapi.TestCodesRequest{Count: heartbeaters})
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range codes.Codes {
		lc := licenseclient.New(licenseclient.Config{BaseURL: first.api.BaseURL, AK: fixtures.DemoAK, SK: fixtures.DemoSK, Code: code.Code})
		if err := lc.Activate(context.Background()); err != nil {
			t.Fatalf("activate %s: %v", code.Code, err)
		}
		wg.Go(func() {
			for {
				select {
				case <-killed:
					return
				default:
				}
				if _, err := lc.Heartbeat(context.Background()); err != nil {
					return // killed under this call, or refused: either way not counted
				}
				mu.Lock()
				beats++
				mu.Unlock()
			}
		})
	}
	for range clients {
		wg.Go(func() {
			for {
				select {
				case <-killed:
					return
				default:
				}
				p, err := first.api.Buy(context.Background(), controlapi.BuyRequest{})
				if err != nil {
					return // killed under this call: it was never answered
				}
				if p.Exchange == nil {
					t.Error("a purchase answered without its newInstance exchange")
					return
				}
				mu.Lock()
				got = append(got, acked{p.Order.ID, p.Exchange.ID})
				n := len(got)
				mu.Unlock()
				// Killed while the other clients' purchases are under way, counted rather than timed.
				if n == killAfter {
					once.Do(func() {
						first.cmd.Process.Kill()
						close(killed)
					})
				}
			}
		})
	}
	wg.Wait()
	first.cmd.Wait()

	again := startProcess(t, "--db", db, "--seller-url", sellerURL)
	ctx := context.Background()
	mu.Lock()
	defer mu.Unlock()
	for _, a := range got {
		if _, err := again.api.Order(ctx, a.order); err != nil {
			t.Errorf("order %s, acknowledged before the kill, is lost: %v", a.order, err)
		}
		if _, err := again.api.Exchange(ctx, a.exchange); err != nil {
			t.Errorf("the newInstance callback of order %s (exchange %d), acknowledged before the kill, is lost: %v", a.order, a.exchange, err)
		}
	}
	t.Logf("killed after %d purchases, %d order queries and %d heartbeats were answered", len(got), answered, beats)
	if n := countExchanges(t, again.api, protocol.LicenseAPIHeartbeat); n < beats {
		t.Errorf("%d heartbeats were answered before the kill, but only %d are in the journal", beats, n)
	}
	if n := countExchanges(t, again.api, protocol.SaaSAPIOrderQuery); n < answered {
		t.Errorf("%d order queries were answered before the kill, but only %d are in the journal", answered, n)
	}
	if len(got) < killAfter {
		t.Fatalf("only %d purchases were acknowledged before the kill", len(got))
	}
}

// countExchanges counts the journal's exchanges of one activity, a page at a time from the newest.
func countExchanges(t *testing.T, api *controlapi.Client, activity protocol.Activity) int {
	t.Helper()
	n, before := 0, int64(0)
	for {
		page, err := api.Exchanges(context.Background(), koomock.ExchangeFilter{Activity: activity, BeforeID: before, Limit: controlapi.MaxExchanges})
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			return n
		}
		n += len(page)
		before = page[len(page)-1].ID
		for _, e := range page {
			before = min(before, e.ID)
		}
	}
}
