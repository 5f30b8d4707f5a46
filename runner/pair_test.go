package runner_test

import (
	"log/slog"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/koomock/koomock/examples/seller"
	"github.com/koomock/koomock/examples/seller/sellertest"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/mock"
	"github.com/koomock/koomock/runner"
)

// pair is koomock and a seller, in-process, wired both ways: koomock calls the seller's production
// URL and kit syncs, the seller's login sends browsers to koomock.
type pair struct {
	mock *mock.Server
	opts runner.Options
}

// startPair starts a seller (the reference seller, or a broken variant) and koomock pointed at it,
// with the joint-operation settings on, and returns runner options that reach both under the joint
// profile, so the kit and login features run with the basic interfaces.
func startPair(t testing.TB, v *sellertest.Variant, timeout time.Duration) pair {
	t.Helper()
	var mockURL atomic.Value
	mockURL.Store("")
	cfg := seller.Config{AccessKey: fixtures.DemoAccessKey, Joint: seller.DemoJoint(func() string { return mockURL.Load().(string) })}
	var h = seller.New(cfg).ServeHTTP
	if v != nil {
		h = v.Handler(cfg).ServeHTTP
	}
	ss := httptest.NewServer(handlerFunc(h))
	t.Cleanup(ss.Close)
	logger := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	srv, err := mock.New(mock.Config{Addr: "127.0.0.1:0", SellerURL: ss.URL + seller.ProducePath, CallbackTimeout: timeout, Logger: logger,
		Joint: mock.JointConfig{KitKey: fixtures.DemoKitKey, LoginCallbackURL: ss.URL + seller.CallbackPath}})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	mockURL.Store(srv.URL())
	profile, err := runner.ParseProfile("joint")
	if err != nil {
		t.Fatal(err)
	}
	return pair{mock: srv, opts: runner.Options{MockURL: srv.URL(), Profile: profile, SellerLoginURL: ss.URL + seller.LoginPath,
		SellerCASLoginURL: ss.URL + seller.CASLoginPath}}
}
