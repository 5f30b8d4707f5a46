package koomocktc_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/network"
	"github.com/testcontainers/testcontainers-go/wait"

	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/examples/seller"
	"github.com/koomock/koomock/examples/seller/sellertest"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/koomocktc"
	"github.com/koomock/koomock/protocol"
	"github.com/koomock/koomock/runner"
)

// hostSeller serves h on this host where a container reaches it, until the test ends, and returns
// the production interface URL as the container sees it.
func hostSeller(t *testing.T, h http.Handler) string {
	t.Helper()
	ln, err := koomocktc.HostListener(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	u, err := koomocktc.HostURL(srv.URL + seller.ProducePath)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// runKoomock starts the image under test with opts, cleaning it up when the test ends.
func runKoomock(t *testing.T, opts ...testcontainers.ContainerCustomizer) *koomocktc.Container {
	t.Helper()
	opts = append([]testcontainers.ContainerCustomizer{koomocktc.WithImage(image(t, koomockImage))}, opts...)
	ctr, err := koomocktc.Run(context.Background(), opts...)
	testcontainers.CleanupContainer(t, ctr)
	if err != nil {
		t.Fatal(err)
	}
	// The control API is published on this machine's loopback only.
	ins, err := ctr.Inspect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	published := 0
	for port, bindings := range ins.NetworkSettings.Ports {
		for _, b := range bindings {
			published++
			if !b.HostIP.IsLoopback() {
				t.Errorf("port %s published on %s, want loopback only", port, b.HostIP)
			}
		}
	}
	if published == 0 {
		t.Errorf("no port published: %+v", ins.NetworkSettings.Ports)
	}
	return ctr
}

// runSuite plays the embedded conformance suite through koomock in ctr.
func runSuite(t *testing.T, ctr *koomocktc.Container) (*runner.Result, string) {
	t.Helper()
	var out bytes.Buffer
	res, err := runner.Run(context.Background(), runner.Options{MockURL: ctr.URL, Token: ctr.AdminToken, Output: &out, Concurrency: 2})
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	return res, out.String()
}

// A Go test using the module starts koomock and talks to it: the control API answers with the
// settings Run gave, and a purchase reaches the seller on the host and comes back delivered.
func TestRunStartsKoomockAndTalksToIt(t *testing.T) {
	requireDocker(t)
	ctx := context.Background()
	sellerURL := hostSeller(t, seller.New(seller.Config{AccessKey: fixtures.DemoAccessKey}))
	ctr := runKoomock(t, koomocktc.WithSellerURL(sellerURL))

	if !strings.HasPrefix(ctr.PublicURL, "http://localhost:") || ctr.AccessKey != fixtures.DemoAccessKey || len(ctr.AdminToken) < 32 {
		t.Errorf("container: public URL %q, access key %q, admin token of %d chars", ctr.PublicURL, ctr.AccessKey, len(ctr.AdminToken))
	}
	api := ctr.Client()
	if api.Token != ctr.AdminToken {
		t.Errorf("the client does not carry the admin token")
	}
	// koomock in the container got the token: the control API wants it.
	if _, err := (&controlapi.Client{BaseURL: ctr.URL}).Settings(ctx); controlapi.ErrorCode(err) != controlapi.CodeUnauthorized {
		t.Errorf("the control API without the admin token: %v; want %s", err, controlapi.CodeUnauthorized)
	}
	set, err := api.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if set.PublicURL != ctr.PublicURL || set.SellerURL != sellerURL || set.AK != fixtures.DemoAK || ctr.AK != fixtures.DemoAK || ctr.SK != fixtures.DemoSK {
		t.Errorf("koomock's settings: public URL %q, seller URL %q, AK %q; want %q, %q and the demo AK/SK %q (container: %q)",
			set.PublicURL, set.SellerURL, set.AK, ctr.PublicURL, sellerURL, fixtures.DemoAK, ctr.AK)
	}
	// The default public URL is one the host reaches koomock by.
	if err := (&controlapi.Client{BaseURL: ctr.PublicURL}).Health(ctx); err != nil {
		t.Errorf("public URL %s does not reach koomock: %v", ctr.PublicURL, err)
	}
	p, err := api.Buy(ctx, controlapi.BuyRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Exchange == nil || p.Exchange.Failed() || p.Instance == nil {
		t.Fatalf("purchase through koomock in a container: %+v", p.Exchange)
	}
}

// The conformance suite passes with koomock in a container against the reference seller on the host,
// and fails, naming the rule, when the seller breaks one: the container path can fail too.
func TestSuiteAgainstTheHostSeller(t *testing.T) {
	requireDocker(t)
	var current atomic.Pointer[http.Handler]
	sellerURL := hostSeller(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { (*current.Load()).ServeHTTP(w, r) }))
	ctr := runKoomock(t, koomocktc.WithSellerURL(sellerURL))
	// The seller calls koomock back (order query, usage push) through the port mapped on the host.
	cfg := seller.Config{AccessKey: fixtures.DemoAccessKey, MarketplaceURL: ctr.URL, AK: fixtures.DemoAK, SK: fixtures.DemoSK}
	good := http.Handler(seller.New(cfg))
	current.Store(&good)

	res, out := runSuite(t, ctr)
	ran, failed := res.Scenarios()
	if res.Status != runner.ExitPassed || failed != 0 || ran < 8 {
		t.Fatalf("status %d, %d of %d scenarios failed:\n%s", res.Status, failed, ran, out)
	}

	v, ok := sellertest.Lookup("no-signature-check")
	if !ok {
		t.Fatal("no variant no-signature-check")
	}
	broken := v.Handler(cfg)
	current.Store(&broken)
	res, out = runSuite(t, ctr)
	if res.Status != runner.ExitFailed || !slices.Contains(res.BrokenRules(), v.Rule) {
		t.Fatalf("against the %s variant: status %d, broken rules %v; want %d and %s:\n%s", v.Name, res.Status, res.BrokenRules(), runner.ExitFailed, v.Rule, out)
	}
}

// The conformance suite passes with koomock and the reference seller each in a container of its own
// on a shared network, koomock calling the seller by its alias and signing with a key of the test's.
func TestSuiteWithTheSellerInItsOwnContainer(t *testing.T) {
	requireDocker(t)
	ctx := context.Background()
	const key = "a-key-of-the-sellers-own"
	nw, err := network.New(ctx)
	testcontainers.CleanupNetwork(t, nw)
	if err != nil {
		t.Fatal(err)
	}
	sellerCtr, err := testcontainers.Run(ctx, image(t, refsellerImage),
		network.WithNetwork([]string{"seller"}, nw),
		testcontainers.WithEnv(map[string]string{"REFSELLER_ACCESS_KEY": key, "REFSELLER_MARKETPLACE_URL": "http://koomock:8080",
			"REFSELLER_AK": "SELLERAKEXAMPLE", "REFSELLER_SK": "a-secret-key-of-the-sellers-own"}),
		testcontainers.WithWaitStrategy(wait.ForLog("refseller listening")))
	testcontainers.CleanupContainer(t, sellerCtr)
	if err != nil {
		t.Fatal(err)
	}
	ctr := runKoomock(t,
		koomocktc.WithSellerURL("http://seller:8081"+seller.ProducePath),
		koomocktc.WithAccessKey(key),
		koomocktc.WithPublicURL("http://koomock:8080"),
		koomocktc.WithAKSK("SELLERAKEXAMPLE", "a-secret-key-of-the-sellers-own"),
		network.WithNetwork([]string{"koomock"}, nw))

	set, err := ctr.Client().Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if set.PublicURL != "http://koomock:8080" {
		t.Errorf("public URL %q, want the alias the seller reaches koomock by", set.PublicURL)
	}
	if set.AK != "SELLERAKEXAMPLE" || set.SK != protocol.MaskSecret("a-secret-key-of-the-sellers-own") {
		t.Errorf("open-API credentials in koomock: AK %q, SK %q; want the test's, the SK masked", set.AK, set.SK)
	}
	res, out := runSuite(t, ctr)
	ran, failed := res.Scenarios()
	if res.Status != runner.ExitPassed || failed != 0 || ran < 8 {
		t.Fatalf("status %d, %d of %d scenarios failed:\n%s", res.Status, failed, ran, out)
	}
}
