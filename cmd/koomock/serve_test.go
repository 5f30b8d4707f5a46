package main

import (
	"bufio"
	"context"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/examples/seller"
)

// startServe runs `koomock serve` in-process until the returned stop is called, and returns its
// control API client and its output. It reads the output as it is written, until the whole banner
// is out, so nothing waits on a timer.
func startServe(t *testing.T, args ...string) (*controlapi.Client, *syncBuffer, func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	out := &syncBuffer{}
	done := make(chan int, 1)
	go func() {
		code, _, errOut := cliCtx(ctx, t, nil, &syncBuffer{}, pw, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
		if code != exitOK {
			t.Logf("serve stderr:\n%s", errOut)
		}
		pw.Close()
		done <- code
	}()
	re := regexp.MustCompile(`control API +(http://\S+)/_mock/`)
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		base := ""
		for sc.Scan() {
			out.Write(append(sc.Bytes(), '\n'))
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				base = m[1]
			}
			// The banner's last line: once it is read, the whole banner is in out.
			if base != "" && strings.Contains(sc.Text(), "read the journal:") {
				found <- base
			}
		}
		close(found)
	}()
	base, ok := <-found
	if !ok {
		t.Fatalf("serve exited with %d before listening:\n%s", <-done, out.String())
	}
	stop := func() int {
		cancel()
		return <-done
	}
	return &controlapi.Client{BaseURL: base}, out, stop
}

func TestServeKeepsOrdersAcrossRestarts(t *testing.T) {
	sellerURL := referenceSeller(t, nil)
	db := filepath.Join(t.TempDir(), "koomock.db")
	ctx := context.Background()

	api, out, stop := startServe(t, "--db", db, "--seller-url", sellerURL)
	if !strings.Contains(out.String(), "koomock-demo-access-key") {
		t.Errorf("the banner does not show the demo key to paste into the seller:\n%s", out)
	}
	p, err := api.Buy(ctx, controlapi.BuyRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Exchange == nil || p.Exchange.Failed() || p.Instance == nil {
		t.Fatalf("purchase against the reference seller: %+v", p)
	}
	if code := stop(); code != exitOK {
		t.Fatalf("serve exited with %d", code)
	}

	api, _, stop = startServe(t, "--db", db, "--seller-url", sellerURL)
	defer stop()
	again, err := api.Order(ctx, p.Order.ID)
	if err != nil {
		t.Fatalf("order lost across restart: %v", err)
	}
	if again.Order.Status != koomock.OrderDelivered || again.Instance == nil || again.Instance.ID != p.Instance.ID {
		t.Errorf("after restart: %+v", again)
	}
	journal, err := api.Exchanges(ctx, koomock.ExchangeFilter{OrderID: p.Order.ID})
	if err != nil || len(journal) != 1 || journal[0].ID != p.Exchange.ID {
		t.Errorf("journal after restart: %+v, %v", journal, err)
	}
}

func TestServeMasksAUsersOwnKey(t *testing.T) {
	_, out, stop := startServe(t, "--db", ":memory:", "--access-key", "my-very-secret-key", "--seller-url", "http://127.0.0.1:1"+seller.ProducePath)
	defer stop()
	if strings.Contains(out.String(), "my-very-secret-key") || !strings.Contains(out.String(), "<key:18 chars>") {
		t.Errorf("banner shows the user's key or no mask:\n%s", out)
	}
}

func TestServeUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"serve", "--seller-url", "not a url", "--db", ":memory:"},
		{"serve", "--log-level", "loud", "--db", ":memory:"},
		{"serve", "--addr", "256.0.0.1:99999", "--db", ":memory:"},
		{"serve", "extra"},
	} {
		if code, _, errOut := cli(t, nil, args...); code != exitUsage || strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
			t.Errorf("%v: exit %d, stderr %q; want one line and exit 2", args, code, errOut)
		}
	}
}
