package runner

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"github.com/koomock/koomock/i18n"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path"
	"runtime"
	"testing"
	"time"

	"github.com/cucumber/godog"

	"github.com/koomock/koomock"
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

	// Profile decides which scenarios are required, optional or skipped; the zero value means
	// DefaultProfile.
	Profile Profile
	// Have reports which settings are configured, for scenarios that need one (@needs-SETTING);
	// nil treats every setting as configured.
	Have Have
	// OwnFeatures is a folder of the seller's own .feature files, played with koomock's step library
	// beside the embedded suite, or instead of it with OnlyOwn.
	OwnFeatures fs.FS
	OnlyOwn     bool
	// OwnFeaturesDir is where OwnFeatures is in the seller's repository, slash-separated and relative to
	// its root (the working directory in CI), for the file properties of the github format; without it,
	// annotations name no file.
	OwnFeaturesDir string
	// Step pauses before every step and reads Enter, s or q from StepInput (koomock verify --step). It
	// runs one scenario at a time and shows its own account of each step instead of godog's console
	// formats (file formats are still written).
	Step      bool
	StepInput io.Reader
	// StepKeys says StepInput is a terminal in single-key mode: each pause reads one key (Enter, s or
	// q) instead of a line.
	StepKeys bool
	// Progress, when set, receives a progress line kept up to date during the run (a terminal).
	Progress io.Writer
	// Readiness, when set, checks after the suite whether the seller is ready for production.
	Readiness *ReadinessOptions
	// Replayable says the koomock outlives the run (verify --mock-url), so the summary can suggest
	// koomock replay for each failed exchange.
	Replayable bool
	// Now is the clock of timings in reports; time.Now when nil.
	Now func() time.Time
	// Lang is the language of the summary, the reports and the verdicts' messages in them (koomock
	// verify --lang); English when nil. godog's own output stays English.
	Lang *i18n.Printer

	// SellerLoginURL is where a browser starts the seller's web-app login; without it the @login
	// scenarios skip. SellerCASLoginURL starts a CAS login (the runner adds ?tenant=TENANT_ID); without
	// it the @cas scenarios skip.
	SellerLoginURL    string
	SellerCASLoginURL string
	// BrowserTransport carries the browser's requests; http.DefaultTransport when nil.
	BrowserTransport http.RoundTripper

	// LicenseClient is the seller's license client the License 2.0 client scenarios run; without one
	// they skip. ClientWait bounds each run (DefaultClientWait when 0). AK and SK are handed to the
	// client to sign with (koomock's demo AK/SK when empty).
	LicenseClient LicenseClient
	ClientWait    time.Duration
	AK, SK        string
	// Deploy is the seller's package and auto-deploy template the @deploy scenarios upload and deploy
	// in a container; without one they skip.
	Deploy *DeployKit
	// Strict makes every advisory rule required. The koomock at MockURL must judge strictly too
	// (koomock serve --strict); Run refuses a koomock that does not.
	Strict bool
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
	settings, err := api.Settings(ctx)
	if controlapi.ErrorCode(err) == controlapi.CodeUnauthorized {
		return nil, fmt.Errorf("koomock at %s wants its admin token (--admin-token, KOOMOCK_ADMIN_TOKEN): %w", opts.MockURL, err)
	}
	if opts.Strict && err == nil && !settings.Strict {
		return nil, fmt.Errorf("koomock at %s judges advisory rules as warnings; start it with --strict too (koomock serve --strict, KOOMOCK_STRICT=true)", opts.MockURL)
	}
	// The steps settle the verdicts they give themselves (a call the seller never made) by the policy
	// koomock settles the exchanges' verdicts by.
	policy := koomock.Policy{Strict: opts.Strict || settings.Strict}
	if err := normalize(&opts); err != nil {
		return nil, err
	}
	// Tell koomock a run drives it, so that a POST /_mock/reset does not pull the state from under
	// the scenarios. Best effort: a koomock without runs (an older one) can still be driven.
	if lease, err := api.BeginRun(ctx, "koomock verify"); err == nil {
		defer lease.End(context.WithoutCancel(ctx))
	}
	res := newResult(opts.Seed, opts.Profile, opts.Now)
	res.lang = opts.Lang
	if opts.OwnFeatures != nil && opts.OwnFeaturesDir != "" {
		res.ownDir = path.Clean(opts.OwnFeaturesDir)
	}
	r := &run{api: api, opts: &opts, res: res, now: opts.Now, gate: &exclusiveGate{}, policy: policy}
	output := opts.Output
	if opts.Step {
		r.stepper = newStepper(opts.StepInput, opts.Output, opts.MockURL, opts.StepKeys)
		r.stepper.lang = opts.Lang
		defer r.stepper.close()
		// The stepper gives its own account of each step; godog's console output would repeat it.
		output = io.Discard
	} else if opts.Progress != nil {
		r.progress = newProgress(opts.Progress, res, opts.Now)
		output = r.progress.wrap(output)
	}
	name, release := registerRun(res)
	defer release()
	suite := godog.TestSuite{
		Name:                name,
		ScenarioInitializer: scenarioInitializer(r),
		TestSuiteInitializer: func(tc *godog.TestSuiteContext) {
			// After the scenarios and before godog's reports are written, so the HTML report has it.
			tc.AfterSuite(func() {
				if opts.Readiness != nil {
					res.Readiness = checkReadiness(ctx, api, *opts.Readiness, res.Exchanges())
				}
			})
		},
		Options: &godog.Options{
			FS:             opts.Features,
			Paths:          opts.Paths,
			Tags:           withoutFailures(opts.Tags),
			Format:         godogFormat(opts.Format),
			Output:         output,
			Concurrency:    opts.Concurrency,
			Randomize:      opts.Seed,
			Strict:         true,
			NoColors:       true,
			TestingT:       opts.TestingT,
			DefaultContext: ctx,
		},
	}
	status := suite.Run()
	if r.progress != nil {
		r.progress.finish()
	}
	res.finish(status)
	writeSummary(ctx, opts.Output, res, api, opts.Replayable)
	if status == ExitHarness && !res.Harness() {
		return res, fmt.Errorf("godog refused the run options (format %q, paths %v)", opts.Format, opts.Paths)
	}
	return res, nil
}

// normalize fills in the options' defaults and rejects what godog would choke on.
func normalize(opts *Options) error {
	if err := CheckTags(opts.Tags); err != nil {
		return err
	}
	if opts.Format == "" {
		opts.Format = "progress"
	}
	if err := CheckFormat(opts.Format); err != nil {
		return err
	}
	switch {
	case opts.OnlyOwn && opts.OwnFeatures == nil:
		return errors.New("only the seller's own features were asked for, but no folder of them was given (--features DIR)")
	case opts.OwnFeatures != nil:
		if err := CheckFeatures(opts.OwnFeatures, "the own features folder"); err != nil {
			return err
		}
		embedded := opts.Features
		if embedded == nil {
			embedded = features.FS
		}
		opts.Features, opts.Paths = suiteFS(embedded, opts.OwnFeatures, opts.OnlyOwn)
	case opts.Features == nil:
		opts.Features = features.FS
	}
	if len(opts.Paths) == 0 {
		opts.Paths = []string{"."}
	}
	if opts.Output == nil {
		opts.Output = os.Stdout
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = runtime.NumCPU()
	}
	if opts.Step {
		opts.Concurrency = 1
		if opts.StepInput == nil {
			return errors.New("stepping through needs an input to read Enter, s or q from")
		}
	}
	if opts.Seed == 0 {
		opts.Seed = randomSeed()
	}
	if opts.Profile.Product == "" {
		p, err := ParseProfile("")
		if err != nil {
			return err
		}
		opts.Profile = p
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return nil
}

// randomSeed is positive, because godog treats -1 as "pick one" and 0 as "don't shuffle".
func randomSeed() int64 {
	var b [8]byte
	rand.Read(b[:])
	return int64(binary.BigEndian.Uint64(b[:])>>2) + 1
}
