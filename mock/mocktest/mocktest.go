// Package mocktest is the one test environment of koomock's own tests: a server listening on
// loopback, on a virtual clock with seeded IDs, pointed at a seller (the reference seller, a broken
// variant of it, a test's own handler, or none), with a control-API client, all stopped by
// t.Cleanup. Tests of the flows under mock/ and of the runner start koomock through New; none calls
// mock.New itself (internal/archtest checks).
package mocktest

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/koomock/koomock/clock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/examples/seller"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/ids"
	"github.com/koomock/koomock/mock"
)

// Start is when a test environment's virtual clock starts, unless Options.Start says otherwise.
var Start = time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)

// Options choose the environment; the zero value is koomock on a virtual clock from Start with IDs
// seeded by 0, calling back the reference seller with the demo keys.
type Options struct {
	// Seller builds the seller from the reference seller's configuration (ReferenceSeller):
	// sellertest.Variant.Handler fits. Nil: the reference seller.
	Seller func(seller.Config) http.Handler
	// Handler is a seller of the test's own (a recorder, say), used instead of Seller.
	Handler http.Handler
	// NoSeller starts no seller: the market has no seller URL.
	NoSeller bool
	// SellerPath follows the seller's base URL in the market's seller URL (seller.ProducePath).
	SellerPath string
	// Joint points joint operation at the seller (the demo kit key, the seller's login callback) and
	// gives the reference seller the demo joint-operation settings.
	Joint bool
	// RealClock runs koomock on real time instead of a virtual clock.
	RealClock bool
	// Start is where the virtual clock starts (Start when zero).
	Start time.Time
	// Seed seeds the IDs (order IDs, nonces, tokens).
	Seed byte
	// LogLevel is the least level logged to the test's output (slog.LevelWarn when nil).
	LogLevel slog.Leveler
	// Config adjusts the configuration last, before the server is built.
	Config func(*mock.Config)
}

// Env is a running koomock and what a test drives it with.
type Env struct {
	// Server is koomock, listening.
	Server *mock.Server
	// Clock is its clock: virtual unless Options.RealClock.
	Clock *clock.Clock
	// API is a control-API client with the configured admin token.
	API *controlapi.Client
	// URL is koomock's base URL.
	URL string
	// SellerBase is the seller's base URL ("" with NoSeller); the market calls it + SellerPath.
	SellerBase string
	// Config is the configuration the server was built from, as given (before defaults).
	Config mock.Config

	closeOnce sync.Once
}

// New starts the environment; t.Cleanup stops the server, then the seller. A failure to start
// fails the test.
func New(t testing.TB, o Options) *Env {
	t.Helper()
	e := &Env{}
	if o.RealClock {
		e.Clock = clock.New(nil)
	} else {
		start := o.Start
		if start.IsZero() {
			start = Start
		}
		e.Clock = clock.NewVirtual(start)
	}
	level := o.LogLevel
	if level == nil {
		level = slog.LevelWarn
	}
	cfg := mock.Config{
		Addr: "127.0.0.1:0", Clock: e.Clock, IDs: ids.New(rand.NewChaCha8([32]byte{o.Seed})),
		Logger: slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: level})),
	}
	var ss *httptest.Server
	if !o.NoSeller {
		// The seller's URL goes into koomock's configuration and koomock's into the seller's: the
		// listener comes first, the handler once koomock runs.
		ss = httptest.NewUnstartedServer(nil)
		t.Cleanup(ss.Close)
		e.SellerBase = "http://" + ss.Listener.Addr().String()
		path := o.SellerPath
		if path == "" {
			path = seller.ProducePath
		}
		cfg.Market.SellerURL = e.SellerBase + path
		if o.Joint {
			cfg.Joint = mock.JointConfig{KitKey: fixtures.DemoKitKey, LoginCallbackURL: e.SellerBase + seller.CallbackPath}
		}
	}
	if o.Config != nil {
		o.Config(&cfg)
	}
	e.Config, e.Clock = cfg, cfg.Clock // Config may bring a clock it shares with the seller
	srv, err := mock.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Open(); err != nil {
		srv.Close()
		t.Fatal(err)
	}
	e.Server, e.URL = srv, srv.URL()
	t.Cleanup(e.Close)
	e.API = &controlapi.Client{BaseURL: e.URL, Token: cfg.AdminToken}
	if ss != nil {
		ss.Config.Handler = o.Handler
		if o.Handler == nil {
			sc := ReferenceSeller(e.URL, o.Joint)
			ss.Config.Handler = seller.New(sc)
			if o.Seller != nil {
				ss.Config.Handler = o.Seller(sc)
			}
		}
		ss.Start()
	}
	return e
}

// ReferenceSeller is the reference seller's configuration for a koomock at koomockURL: the demo
// access key and AK/SK, koomock as its marketplace, and with joint the demo joint-operation settings
// (koomock as the login URL).
func ReferenceSeller(koomockURL string, joint bool) seller.Config {
	c := seller.Config{AccessKey: fixtures.DemoAccessKey, MarketplaceURL: koomockURL, AK: fixtures.DemoAK, SK: fixtures.DemoSK}
	if joint {
		c.Joint = seller.DemoJoint(func() string { return koomockURL })
	}
	return c
}

// Close stops the server once; t.Cleanup calls it too, so a test may stop koomock early.
func (e *Env) Close() {
	e.closeOnce.Do(func() { e.Server.Close() })
}
