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

// TestKill9LosesNothingAcknowledged kills koomock with SIGKILL while four clients buy orders and a
// fifth calls an open API, then starts it again on the same database: it starts (the database lock
// died with the process), every purchase koomock had answered is there, order and delivered
// callback's journal entry alike, and every answered open-API call is in the journal.
// Rerun by hand: go test ./cmd/koomock -run TestKill9LosesNothingAcknowledged -count=5 -v
func TestKill9LosesNothingAcknowledged(t *testing.T) {
	sellerURL := referenceSeller(t, nil)
	db := filepath.Join(t.TempDir(), "koomock.db")
	first := startProcess(t, "--db", db, "--seller-url", sellerURL)

	type acked struct {
		order    string
		exchange int64
	}
	const clients, killAfter = 4, 40
	var (
		mu       sync.Mutex
		got      []acked
		answered int // inbound calls answered: unsigned order queries, refused 401 and journaled
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
	t.Logf("killed after %d purchases and %d order queries were answered", len(got), answered)
	journaled, err := again.api.Exchanges(ctx, koomock.ExchangeFilter{Activity: "orderQuery", Limit: controlapi.MaxExchanges})
	if err != nil {
		t.Fatal(err)
	}
	if answered > controlapi.MaxExchanges {
		answered = controlapi.MaxExchanges // what one page can show
	}
	if len(journaled) < answered {
		t.Errorf("%d order queries were answered before the kill, but only %d are in the journal", answered, len(journaled))
	}
	if len(got) < killAfter {
		t.Fatalf("only %d purchases were acknowledged before the kill", len(got))
	}
}
