// Package koomocktc starts koomock in a Docker container for a seller's Go tests, with
// testcontainers-go (v0.45):
//
//	seller := httptest.NewUnstartedServer(mySellerHandler)
//	seller.Listener, _ = koomocktc.HostListener(ctx) // where the container can reach it
//	seller.Start()
//	defer seller.Close()
//	sellerURL, _ := koomocktc.HostURL(seller.URL + "/produce") // http://host.docker.internal:PORT/produce
//
//	ctr, err := koomocktc.Run(ctx, koomocktc.WithSellerURL(sellerURL))
//	testcontainers.CleanupContainer(t, ctr) // first, before checking err
//	if err != nil {
//		t.Fatal(err)
//	}
//	p, err := ctr.Client().Buy(ctx, controlapi.BuyRequest{}) // koomock sends the seller newInstance
//
// Run waits until koomock answers /healthz, and returns the base URL to reach it from the test, the
// access key its callbacks are signed with (give the seller the same one), the AK/SK the seller signs
// its open-API calls with, the admin token of its control API, and a control API client carrying
// that token. The conformance suite runs against it
// with runner.Run(ctx, runner.Options{MockURL: ctr.URL, Token: ctr.AdminToken}).
//
// Reaching a seller on the host: Run maps host.docker.internal to the host's gateway (Docker's
// --add-host=host.docker.internal:host-gateway), so koomock calls http://host.docker.internal:PORT.
// A server on the host must listen where that address arrives: HostListener listens on the Docker
// bridge's gateway address on Linux (not on every interface), and on loopback where the engine runs in
// a VM that forwards to it (Docker Desktop). A seller in a container of its own shares a network
// with koomock instead (network.WithNetwork) and is called by its alias.
//
// The image: WithImage's, or DefaultImage when the engine has it (`make docker-build` in a koomock
// checkout tags it), or else one Run builds from the koomock module it was compiled from, as `make
// docker-build` does (there is no public registry image yet); Go and Docker are all it needs. Run
// reaches the container's port on localhost when the engine is on a local socket, also on a machine
// with a /.dockerenv, without TESTCONTAINERS_HOST_OVERRIDE. Set TESTCONTAINERS_RYUK_DISABLED=true
// where the resource reaper cannot be pulled, and clean up with testcontainers.CleanupContainer.
package koomocktc
