package mocktest_test

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/examples/seller/sellertest"
	"github.com/koomock/koomock/mock"
	"github.com/koomock/koomock/mock/mocktest"
)

// TestTheReferenceSellerPasses: the default environment buys on a virtual clock at Start, and the
// reference seller's answer passes every rule.
func TestTheReferenceSellerPasses(t *testing.T) {
	e := mocktest.New(t, mocktest.Options{})
	p, err := e.API.Buy(context.Background(), controlapi.BuyRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Exchange == nil || p.Exchange.Failed() {
		t.Fatalf("the reference seller's newInstance: %+v", p.Exchange)
	}
	if want := mocktest.Start.Format("CS060102"); !strings.HasPrefix(p.Order.ID, want) || !e.Clock.Now().Equal(mocktest.Start) {
		t.Errorf("order %s at %s: not on the virtual clock from %s", p.Order.ID, e.Clock.Now(), mocktest.Start)
	}
}

// TestABrokenVariantIsCaught: a broken variant of the reference seller breaks its rule.
func TestABrokenVariantIsCaught(t *testing.T) {
	for _, v := range sellertest.Variants {
		if v.Name != "no-instance-id" {
			continue
		}
		e := mocktest.New(t, mocktest.Options{Seller: v.Handler})
		p, err := e.API.Buy(context.Background(), controlapi.BuyRequest{})
		if err != nil {
			t.Fatal(err)
		}
		if got, ok := p.Exchange.Verdict(v.Rule); !ok || got.Outcome != koomock.Fail {
			t.Errorf("%s: verdict %s %+v, want a failure", v.Name, v.Rule, got)
		}
		return
	}
	t.Fatal("no variant no-instance-id")
}

// TestATestsOwnSellerAndNone: a handler of the test's own receives the callbacks at SellerPath;
// without a seller the market has no seller URL; Close may come before the cleanup.
func TestATestsOwnSellerAndNone(t *testing.T) {
	var path atomic.Value
	own := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path.Store(r.URL.Path)
		w.WriteHeader(http.StatusInternalServerError)
	})
	e := mocktest.New(t, mocktest.Options{Handler: own, SellerPath: "/isv/produce", Config: func(c *mock.Config) {
		c.Market.CallbackTimeout = time.Second
	}})
	if _, err := e.API.Buy(context.Background(), controlapi.BuyRequest{}); err != nil {
		t.Fatal(err)
	}
	if got, _ := path.Load().(string); got != "/isv/produce" {
		t.Errorf("the seller was called at %q", got)
	}
	e.Close()
	e.Close()

	none := mocktest.New(t, mocktest.Options{NoSeller: true, RealClock: true})
	set, err := none.API.Settings(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if set.SellerURL != "" || none.SellerBase != "" {
		t.Errorf("no seller: settings name %q, base %q", set.SellerURL, none.SellerBase)
	}
}
