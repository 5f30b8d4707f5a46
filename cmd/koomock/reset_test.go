package main

import (
	"context"
	"net/http"
	"sync"
	"testing"

	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/examples/seller"
)

// TestResetIsRefusedWhileVerifyRuns: the seller, called back in the middle of a verify run, asks
// koomock to reset, and is refused with 409; once the run is over the reset goes through.
func TestResetIsRefusedWhileVerifyRuns(t *testing.T) {
	var once sync.Once
	var during error
	api := serveWithSeller(t, func(cfg seller.Config) http.Handler {
		ref := seller.New(cfg)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			once.Do(func() {
				_, during = (&controlapi.Client{BaseURL: cfg.MarketplaceURL}).Reset(r.Context())
			})
			ref.ServeHTTP(w, r)
		})
	})
	if code, out, errOut := cli(t, nil, "verify", "--mock-url", api.BaseURL, "--tags", "@newInstance && ~@probe"); code != exitOK {
		t.Fatalf("verify: exit %d\n%s\n%s", code, out, errOut)
	}
	once.Do(func() { t.Fatal("the seller was never called") })
	if controlapi.ErrorCode(during) != controlapi.CodeConflict {
		t.Errorf("reset during the run: %v; want a conflict", during)
	}
	if runs, err := api.Runs(context.Background()); err != nil || len(runs) != 0 {
		t.Errorf("runs after verify: %+v, %v", runs, err)
	}
	if _, err := api.Reset(context.Background()); err != nil {
		t.Errorf("reset after the run: %v", err)
	}
}
