package mock_test

import (
	"context"
	"testing"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
)

// TestCallbacksAreSignedOnWallTime: after the virtual clock moved a year ahead, a seller checking the
// 60 s window against its own (real) clock still accepts koomock's callbacks, while the journal keeps
// the marketplace's virtual time.
func TestCallbacksAreSignedOnWallTime(t *testing.T) {
	_, api := newTestServer(t, nil)
	ctx := context.Background()
	p, err := api.Buy(ctx, controlapi.BuyRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := api.Advance(ctx, "400d"); err != nil {
		t.Fatal(err)
	}
	again, err := api.Resend(ctx, p.Order.ID)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := again.Exchange.Verdict(koomock.RuleSucceeded); v.Outcome != koomock.Pass {
		t.Fatalf("a seller on real time refused a callback sent after advancing the clock: %+v", again.Exchange.Verdicts)
	}
	if want := start.Add(400 * 24 * time.Hour); !again.Exchange.StartedAt.Equal(want) {
		t.Errorf("exchange started at %v, want the virtual %v", again.Exchange.StartedAt, want)
	}
}
