package koomocktc_test

import (
	"context"
	"fmt"
	"log"
	"net/http/httptest"

	"github.com/testcontainers/testcontainers-go"

	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/examples/seller"
	"github.com/koomock/koomock/koomocktc"
	"github.com/koomock/koomock/runner"
)

// A seller's test: its service on the host, koomock in a container calling it. (In a test, use
// testcontainers.SkipIfProviderIsNotHealthy(t) first and testcontainers.CleanupContainer(t, ctr).)
func ExampleRun() {
	ctx := context.Background()
	mySeller := seller.New(seller.Config{AccessKey: "my-key"})

	// The seller, where the container reaches it (the docker0 address on Linux, not 0.0.0.0).
	ln, err := koomocktc.HostListener(ctx)
	if err != nil {
		log.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(mySeller)
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	defer srv.Close()
	sellerURL, err := koomocktc.HostURL(srv.URL + "/produce") // http://host.docker.internal:PORT/produce
	if err != nil {
		log.Fatal(err)
	}

	ctr, err := koomocktc.Run(ctx, koomocktc.WithSellerURL(sellerURL), koomocktc.WithAccessKey("my-key"))
	defer testcontainers.TerminateContainer(ctr) // first, before checking err
	if err != nil {
		log.Fatal(err)
	}

	// One purchase: koomock sends the seller newInstance and judges the answer.
	p, err := ctr.Client().Buy(ctx, controlapi.BuyRequest{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("instance", p.Instance.ID)

	// Or the whole conformance suite (with TestingT: t, each scenario is a subtest).
	res, err := runner.Run(ctx, runner.Options{MockURL: ctr.URL, Token: ctr.AdminToken})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("exit code", res.Status)
}
