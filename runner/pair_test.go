package runner_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/koomock/koomock/examples/licenseclient"
	"github.com/koomock/koomock/examples/seller"
	"github.com/koomock/koomock/examples/seller/sellertest"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/mock"
	"github.com/koomock/koomock/runner"
)

// pair is koomock and a seller, in-process, wired both ways: koomock calls the seller's production
// URL and kit syncs; the seller calls koomock's order query and usage push, and its login sends
// browsers to koomock.
type pair struct {
	mock *mock.Server
	opts runner.Options
}

// referenceProfile is everything the reference seller implements: every product, charging mode and
// optional capability, so every scenario of the suite runs.
const referenceProfile = "all,period,onetime,ondemand,package,trial,async,upgrade,changeCheck,bodySign,orderNotify"

// startPair starts a seller (the reference seller, or a broken variant) and koomock pointed at it,
// with the joint-operation settings on, and returns runner options that reach both under the
// reference profile. The seller's listener comes first, because koomock needs its URL; the seller is
// built once koomock listens, because it needs koomock's. A variant's own timeout wins over timeout.
func startPair(t testing.TB, v *sellertest.Variant, timeout time.Duration) pair {
	t.Helper()
	if v != nil && v.Timeout != 0 {
		timeout = v.Timeout
	}
	var handler func(seller.Config) http.Handler
	if v != nil {
		handler = v.Handler
	}
	return startPairWith(t, handler, mock.Config{Market: mock.MarketConfig{CallbackTimeout: timeout}})
}

// startPairWith is startPair for any seller handler (nil: the reference seller), with koomock's
// CallbackTimeout and Strict taken from base.
func startPairWith(t testing.TB, handler func(seller.Config) http.Handler, base mock.Config) pair {
	t.Helper()
	timeout := base.Market.CallbackTimeout
	ss := httptest.NewUnstartedServer(nil)
	t.Cleanup(ss.Close)
	url := "http://" + ss.Listener.Addr().String()
	logger := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelError}))
	srv, err := mock.New(context.Background(), mock.Config{Addr: "127.0.0.1:0", Logger: logger,
		Strict: base.Strict, Joint: mock.JointConfig{KitKey: fixtures.DemoKitKey, LoginCallbackURL: url + seller.CallbackPath}, Market: mock.MarketConfig{SellerURL: url + seller.ProducePath, CallbackTimeout: timeout}})

	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	cfg := seller.Config{AccessKey: fixtures.DemoAccessKey, MarketplaceURL: srv.URL(), AK: fixtures.DemoAK, SK: fixtures.DemoSK,
		Joint: seller.DemoJoint(srv.URL)}
	var h http.Handler = seller.New(cfg)
	if handler != nil {
		h = handler(cfg)
	}
	ss.Config.Handler = h
	ss.Start()
	profile, err := runner.ParseProfile(referenceProfile)
	if err != nil {
		t.Fatal(err)
	}
	return pair{mock: srv, opts: runner.Options{MockURL: srv.URL(), Profile: profile, SellerLoginURL: url + seller.LoginPath,
		SellerCASLoginURL: url + seller.CASLoginPath, LicenseClient: referenceLicenseClient(licenseclient.Main)}}
}
