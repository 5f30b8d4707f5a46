// Command refseller serves the reference seller on its own, for running it beside koomock as a
// separate process or container:
//
//	refseller --addr 0.0.0.0:8081 --access-key "$KEY" --marketplace-url http://koomock:8080
//
// --marketplace-url is where the seller calls KooGallery back (the order query, the usage push), with
// --ak and --sk (the demo AK/SK by default); without it the seller provisions from the callbacks alone.
// Flags can also be set as REFSELLER_ADDR, REFSELLER_ACCESS_KEY, REFSELLER_MARKETPLACE_URL,
// REFSELLER_AK and REFSELLER_SK. It prints one line once it
// listens ("refseller listening on ..."), logs one line per callback, and stops on SIGINT/SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/koomock/koomock/examples/seller"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/graceful"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.LookupEnv, os.Stdout, os.Stderr, nil)
	stop()
	os.Exit(code)
}

// run serves until ctx is done and returns the exit code: 0 after a clean stop, 2 on a usage or
// listen error. ready, when not nil, receives the listen address.
func run(ctx context.Context, args []string, lookupEnv func(string) (string, bool), stdout, stderr io.Writer, ready chan<- string) int {
	fs := flag.NewFlagSet("refseller", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8081", "`address` to listen on [REFSELLER_ADDR]")
	key := fs.String("access-key", fixtures.DemoAccessKey, "the access `key` bound to the basic interfaces [REFSELLER_ACCESS_KEY]")
	marketplace := fs.String("marketplace-url", "", "KooGallery's (koomock's) base `URL` for the order query and usage push [REFSELLER_MARKETPLACE_URL]")
	ak := fs.String("ak", fixtures.DemoAK, "the access key `ID` that signs open-API calls [REFSELLER_AK]")
	sk := fs.String("sk", fixtures.DemoSK, "the `secret` of --ak [REFSELLER_SK]")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	for name, env := range map[string]string{"addr": "REFSELLER_ADDR", "access-key": "REFSELLER_ACCESS_KEY",
		"marketplace-url": "REFSELLER_MARKETPLACE_URL", "ak": "REFSELLER_AK", "sk": "REFSELLER_SK"} {
		if v, ok := lookupEnv(env); ok && !given[name] {
			fs.Set(name, v)
		}
	}
	if *key == "" {
		fmt.Fprintln(stderr, "refseller: the access key is empty")
		return 2
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "refseller: %v\n", err)
		return 2
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	cfg := seller.Config{AccessKey: *key, MarketplaceURL: *marketplace, AK: *ak, SK: *sk, Logger: logger}
	var unused graceful.Unused
	srv := &http.Server{Handler: seller.New(cfg), ReadHeaderTimeout: 10 * time.Second, ConnState: unused.Track}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	fmt.Fprintf(stdout, "refseller listening on %s, production interface at %s\n", ln.Addr(), seller.ProducePath)
	if ready != nil {
		ready <- ln.Addr().String()
	}
	select {
	case <-ctx.Done():
	case err := <-done:
		fmt.Fprintf(stderr, "refseller: %v\n", err)
		return 2
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := unused.Shutdown(shutdown, srv); err != nil {
		fmt.Fprintf(stderr, "refseller: shut down: %v\n", err)
		return 2
	}
	return 0
}
