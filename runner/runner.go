package runner

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"runtime"
	"testing"

	"github.com/cucumber/godog"

	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/features"
)

// Exit codes of a run, as `koomock verify` returns them.
const (
	ExitPassed  = 0 // every scenario passed
	ExitFailed  = 1 // the seller broke at least one rule
	ExitHarness = 2 // usage, configuration or harness error: nothing can be said about the seller
)

// Options configure a run.
type Options struct {
	// MockURL is the base URL of the koomock server whose control API the steps drive.
	MockURL string
	// HTTPClient reaches the control API; http.DefaultClient when nil.
	HTTPClient *http.Client
	// Token is the control API's admin token, if it requires one.
	Token string
	// Features holds the feature files; the embedded suite when nil.
	Features fs.FS
	// Paths are the feature files or folders inside Features; "." when empty.
	Paths []string
	// Tags filters scenarios, in godog's syntax ("@saas && ~@slow").
	Tags string
	// Format is godog's format list ("pretty", "progress,junit:report.xml"); "progress" when empty.
	Format string
	// Output receives godog's output and the summary; os.Stdout when nil.
	Output io.Writer
	// Concurrency is how many scenarios run at once; the number of CPUs when 0.
	Concurrency int
	// Seed orders the scenarios; a random seed, reported in the result, when 0.
	Seed int64
	// Refusals overrides, per probe kind (tampered-signature, stale-timestamp, missing-signature,
	// missing-field), the result codes that count as refusing it.
	Refusals map[string][]string
	// TestingT runs each scenario as a subtest when set (under go test).
	TestingT *testing.T

	// SellerLoginURL is where a browser starts the seller's web-app login; without it the @login
	// scenarios skip. SellerCASLoginURL starts a CAS login (the runner adds ?tenant=TENANT_ID); without
	// it the @cas scenarios skip.
	SellerLoginURL    string
	SellerCASLoginURL string
	// BrowserTransport carries the browser's requests; http.DefaultTransport when nil.
	BrowserTransport http.RoundTripper
}

// Run plays the suite and returns what happened. The error is for runs that could not start (bad
// options, unreachable koomock); the seller's failures are in the result.
func Run(ctx context.Context, opts Options) (*Result, error) {
	if opts.MockURL == "" {
		return nil, errors.New("runner: no koomock URL to drive")
	}
	api := &controlapi.Client{BaseURL: opts.MockURL, HTTPClient: opts.HTTPClient, Token: opts.Token}
	if err := api.Health(ctx); err != nil {
		return nil, fmt.Errorf("koomock at %s is not reachable: %w", opts.MockURL, err)
	}
	if opts.Features == nil {
		opts.Features = features.FS
	}
	if len(opts.Paths) == 0 {
		opts.Paths = []string{"."}
	}
	if opts.Format == "" {
		opts.Format = "progress"
	}
	if opts.Output == nil {
		opts.Output = os.Stdout
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = runtime.NumCPU()
	}
	if opts.Seed == 0 {
		opts.Seed = randomSeed()
	}
	if err := CheckTags(opts.Tags); err != nil {
		return nil, err
	}
	res := newResult(opts.Seed)
	suite := godog.TestSuite{
		Name:                "koomock",
		ScenarioInitializer: scenarioInitializer(api, &opts, res),
		Options: &godog.Options{
			FS:             opts.Features,
			Paths:          opts.Paths,
			Tags:           opts.Tags,
			Format:         opts.Format,
			Output:         opts.Output,
			Concurrency:    opts.Concurrency,
			Randomize:      opts.Seed,
			Strict:         true,
			NoColors:       true,
			TestingT:       opts.TestingT,
			DefaultContext: ctx,
		},
	}
	status := suite.Run()
	res.finish(status)
	writeSummary(ctx, opts.Output, res, api)
	if status == ExitHarness && !res.Harness() {
		return res, fmt.Errorf("godog refused the run options (format %q, paths %v)", opts.Format, opts.Paths)
	}
	return res, nil
}

// randomSeed is positive, because godog treats -1 as "pick one" and 0 as "don't shuffle".
func randomSeed() int64 {
	var b [8]byte
	rand.Read(b[:])
	return int64(binary.BigEndian.Uint64(b[:])>>2) + 1
}
