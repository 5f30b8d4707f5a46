// This file is docs/quickstart.md's Go test as printed there, but for three substitutions that
// TestQuickstartGoTestIsPrinted (cmd/koomock) allows and checks: the package name, requireDocker for
// SkipIfProviderIsNotHealthy (it also skips under -short), and the image this run built from the
// checkout for koomock:latest, which may be older than the code under test.

package koomocktc_test

import (
	"context"
	"testing"

	"github.com/testcontainers/testcontainers-go"

	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/koomocktc"
)

func TestFirstBuy(t *testing.T) {
	requireDocker(t)
	ctx := context.Background()
	ctr, err := koomocktc.Run(ctx, koomocktc.WithImage(image(t, koomockImage)))
	testcontainers.CleanupContainer(t, ctr)
	if err != nil {
		t.Fatal(err)
	}
	p, err := ctr.Client().Buy(ctx, controlapi.BuyRequest{PeriodType: "year"})
	if err != nil {
		t.Fatal(err)
	}
	if p.Exchange.Failed() {
		t.Fatalf("newInstance failed: %+v", p.Exchange.Failures())
	}
	t.Logf("instance %s", p.Instance.ID)
}
