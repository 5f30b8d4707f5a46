package runner_test

import (
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/koomock/koomock/examples/licenseclient"
	"github.com/koomock/koomock/examples/seller"
	"github.com/koomock/koomock/examples/seller/sellertest"
	"github.com/koomock/koomock/mock"
	"github.com/koomock/koomock/mock/mocktest"
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
	m := mocktest.New(t, mocktest.Options{Seller: handler, Joint: true, RealClock: true, LogLevel: slog.LevelError,
		Config: func(c *mock.Config) { c.Strict, c.Market.CallbackTimeout = base.Strict, base.Market.CallbackTimeout }})
	srv, url := m.Server, m.SellerBase
	profile, err := runner.ParseProfile(referenceProfile)
	if err != nil {
		t.Fatal(err)
	}
	return pair{mock: srv, opts: runner.Options{MockURL: srv.URL(), Profile: profile, SellerLoginURL: url + seller.LoginPath,
		SellerCASLoginURL: url + seller.CASLoginPath, LicenseClient: referenceLicenseClient(licenseclient.Main)}}
}
