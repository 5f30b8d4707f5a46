package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/examples/seller"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/graceful"
	"github.com/koomock/koomock/mock"
	"github.com/koomock/koomock/runner"
)

// dialTimeout bounds the check that the seller is listening before the suite starts.
const dialTimeout = 3 * time.Second

// verifyCommand is `koomock verify`: its flags in named groups, and the steps from them to a run of
// the suite (check, start the target, build the runner's options, run).
type verifyCommand struct {
	seller  sellerFlags
	market  marketFlags
	license licenseFlags
	client  clientFlags
	deploy  deployFlags
	extras  verifyExtras
	joint   jointFlags
	target  targetFlags
	run     runFlags
}

// targetFlags say what verify drives: an in-process koomock (where it listens) or one already
// running, the admin token it takes, and where a browser starts the seller's logins.
type targetFlags struct {
	mockAddr, mockURL     string
	adminToken            *string
	loginURL, casLoginURL string
}

func (t *targetFlags) register(fs *flagSet) {
	fs.StringVar(&t.mockAddr, "mock-addr", "", "`address` the in-process koomock listens on (default a free loopback port): fix it, and point your seller's KooGallery base URL at it, so that your seller reaches koomock's order query and usage push")
	fs.StringVar(&t.mockURL, "mock-url", "", "drive an already running koomock at this `URL` instead of starting one (its seller settings apply)")
	t.adminToken = registerAdminToken(fs)
	fs.StringVar(&t.loginURL, "seller-login-url", "", "`URL` where a browser starts the seller's web-app login (the login scenarios skip without it)")
	fs.StringVar(&t.casLoginURL, "seller-cas-login-url", "", "`URL` where a browser starts the seller's CAS login; koomock adds ?tenant=TENANT_ID (the CAS scenarios skip without it)")
}

// runFlags choose the scenarios and how they run and report.
type runFlags struct {
	tags, format string
	concurrency  int
	seed         int64
	accept       listFlag
	lang         *langFlag
}

func (r *runFlags) register(fs *flagSet) {
	fs.StringVar(&r.tags, "tags", "", `run only scenarios matching this godog tag `+"`filter`"+` ("@saas && ~@slow")`)
	fs.StringVar(&r.format, "format", "", "output `formats`, comma-separated: pretty, progress, junit:FILE, cucumber:FILE, html:FILE, github[:FILE] (GitHub Actions annotations) (default: progress, plus github when GITHUB_ACTIONS=true; pretty adds godog's step-by-step view)")
	fs.IntVar(&r.concurrency, "concurrency", 0, "scenarios run at once (default: the number of CPUs)")
	fs.Int64Var(&r.seed, "seed", 0, "order scenarios with this seed to reproduce a run (default: random, printed)")
	r.lang = registerLang(fs)
	fs.Var(&r.accept, "accept", "result codes that count as refusing a probe, e.g. tampered-signature=000001,000005 (repeatable; probes: tampered-signature, missing-signature, stale-timestamp, missing-field, unknown-instance, too-many-ids)")
}

// newVerifyCommand registers verify's flags on fs.
func newVerifyCommand(fs *flagSet) *verifyCommand {
	c := &verifyCommand{}
	c.seller.register(fs)
	c.market.register(fs)
	c.license.register(fs)
	c.client.register(fs)
	c.deploy.register(fs)
	c.target.register(fs)
	c.run.register(fs)
	c.extras.register(fs)
	c.joint.register(fs, " (default: none, so kit and login scenarios skip; the bundled reference seller uses the demo key)")
	return c
}

// verifyTarget is what a run tests.
type verifyTarget int

const (
	// targetOwnSeller: the user's seller (--seller-url), behind an in-process koomock.
	targetOwnSeller verifyTarget = iota
	// targetBundled: the bundled reference seller and license client, behind an in-process koomock.
	targetBundled
	// targetRunning: a koomock already running (--mock-url), with its own seller settings.
	targetRunning
)

// what says what the flags make verify test.
func (c *verifyCommand) what() verifyTarget {
	switch {
	case c.target.mockURL != "":
		return targetRunning
	case c.seller.sellerURL == "":
		return targetBundled
	}
	return targetOwnSeller
}

func runVerify(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "verify", "verify [flags]")
	c := newVerifyCommand(fs)
	if err := fs.parse(args); err != nil {
		return usageError(e, "verify", err)
	}
	if fs.NArg() > 0 {
		return usageError(e, "verify", fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	}
	return c.verify(ctx, e, fs)
}

// verify checks the flags, starts koomock (and the bundled seller) unless one runs already, and
// runs the suite; the result is the run's exit code.
func (c *verifyCommand) verify(ctx context.Context, e *env, fs *flagSet) int {
	refusals, err := parseAccept(c.run.accept)
	if err != nil {
		return usageError(e, "verify", err)
	}
	if err := runner.CheckTags(c.run.tags); err != nil {
		return usageError(e, "verify", err)
	}
	if c.what() == targetRunning && (c.seller.sellerURL != "" || c.seller.accessKey != "" || c.joint != (jointFlags{}) || c.license.url != "" || c.license.key != "") {
		return usageError(e, "verify", errors.New("--mock-url drives a koomock that has its own seller settings; drop --seller-url, --access-key, --license-url, --license-key and the kit and key flags"))
	}
	joint, err := c.joint.config()
	if err != nil {
		return usageError(e, "verify", err)
	}
	if c.run.format == "" {
		// progress on a terminal too: the summary then shows each failure once, grouped by rule;
		// --format pretty adds godog's step-by-step view.
		c.run.format = "progress"
		// On GitHub Actions, failures become annotations on the run and the seller's feature files.
		if e.getenv("GITHUB_ACTIONS") == "true" {
			c.run.format += ",github"
		}
	}
	if err := runner.CheckFormat(c.run.format); err != nil {
		return usageError(e, "verify", err)
	}
	client, pool, err := c.extras.sellerClient()
	if err != nil {
		return usageError(e, "verify", err)
	}
	opts, err := c.extras.options(fs, c.what(), pool)
	if err != nil {
		return usageError(e, "verify", err)
	}
	if opts.Deploy, err = c.deploy.kit(); err != nil {
		return usageError(e, "verify", err)
	}
	if c.seller.sellerURL != "" {
		if err := checkSellerTLS(ctx, c.seller.sellerURL, pool); err != nil {
			fmt.Fprintf(e.stderr, "koomock verify: %v\n", err)
			return exitUsage
		}
	}
	opts.MockURL = c.target.mockURL
	opts.SellerLoginURL, opts.SellerCASLoginURL = c.target.loginURL, c.target.casLoginURL
	if c.what() != targetRunning {
		t, code := c.start(ctx, e, client, joint)
		if code != exitOK {
			return code
		}
		defer t.stop()
		opts.MockURL = t.koomockURL
		if t.bundled != "" {
			opts.SellerLoginURL, opts.SellerCASLoginURL = t.bundled+seller.LoginPath, t.bundled+seller.CASLoginPath
		}
	}
	c.runOptions(&opts, e, refusals)
	// Stepping through on a terminal takes single keys: Enter, s or q, no Enter after them.
	if f, ok := e.stdin.(*os.File); ok && opts.Step {
		restore, keys := singleKeys(f)
		defer restore()
		opts.StepKeys = keys
	}
	res, err := runner.Run(ctx, opts)
	if err != nil {
		fmt.Fprintf(e.stderr, "koomock verify: %v\n", err)
		return exitUsage
	}
	return res.Status
}

// runOptions fills in the runner's options the flags set directly.
func (c *verifyCommand) runOptions(opts *runner.Options, e *env, refusals map[string][]string) {
	opts.Token = *c.target.adminToken
	opts.Tags = c.run.tags
	opts.Format = c.run.format
	opts.Output = e.stdout
	opts.Concurrency = c.run.concurrency
	opts.Seed = c.run.seed
	opts.Refusals = refusals
	opts.StepInput = e.stdin
	opts.Replayable = c.what() == targetRunning
	opts.Strict = c.seller.strict
	opts.Lang = c.run.lang.printer(e)
	opts.OwnFeaturesDir = repoPath(c.extras.features, e.getenv("GITHUB_WORKSPACE"))
	// Without a seller of the user's, the bundled reference license client plays the seller's software.
	opts.LicenseClient = c.client.client(c.what() == targetBundled)
	opts.ClientWait = c.client.waitFor()
	opts.AK, opts.SK = c.seller.ak, c.seller.sk
	if isTerminal(e.stderr) && !opts.Step {
		opts.Progress = e.stderr
	}
}

// startedTarget is an in-process koomock verify started, with the bundled seller when there is one.
type startedTarget struct {
	// stop stops koomock and the bundled seller.
	stop func()
	// koomockURL is where koomock listens.
	koomockURL string
	// bundled is the bundled seller's base URL; "" for a seller of the user's.
	bundled string
}

// start starts koomock in-process, pointed at the seller (the bundled reference seller when no URL
// is given), and reports a problem on stderr with its exit code.
func (c *verifyCommand) start(ctx context.Context, e *env, client *http.Client, joint mock.JointConfig) (startedTarget, int) {
	var t startedTarget
	key := c.seller.accessKey
	if key == "" {
		key = fixtures.DemoAccessKey
	}
	sellerURL := c.seller.sellerURL
	var ln net.Listener
	if sellerURL == "" {
		var err error
		// The bundled seller implements the kit syncs and the login with koomock's demo settings.
		if ln, t.bundled, err = listenBundledSeller(&joint); err != nil {
			fmt.Fprintf(e.stderr, "koomock verify: start the reference seller: %v\n", err)
			return t, exitUsage
		}
		sellerURL = t.bundled + seller.ProducePath
	} else if err := checkReachable(sellerURL); err != nil {
		fmt.Fprintf(e.stderr, "koomock verify: %v\n", err)
		return t, exitUsage
	}
	closeSeller := func() {
		if ln != nil {
			ln.Close()
		}
	}
	if c.license.url != "" {
		if err := checkReachable(c.license.url); err != nil {
			closeSeller()
			fmt.Fprintf(e.stderr, "koomock verify: license URL: %v\n", err)
			return t, exitUsage
		}
	}
	srv, err := mock.New(ctx, c.config(sellerURL, key, client, joint))
	if err == nil {
		err = srv.Open()
		if err != nil {
			srv.Close()
		}
	}
	if err != nil {
		closeSeller()
		fmt.Fprintf(e.stderr, "koomock verify: %v\n", err)
		return t, exitUsage
	}
	stops := []func(){func() { srv.Close() }}
	if ln != nil {
		stops = append(stops, serveReferenceSeller(ln, referenceSellerConfig(key, c.seller, joint, srv)))
		fmt.Fprintf(e.stderr, "koomock verify: no --seller-url, so testing the bundled reference seller at %s\n", sellerURL)
	}
	t.stop = func() {
		for i := len(stops) - 1; i >= 0; i-- {
			stops[i]()
		}
	}
	t.koomockURL = srv.URL()
	return t, exitOK
}

// config is the in-process koomock's configuration: the seller at sellerURL, signed with key.
func (c *verifyCommand) config(sellerURL, key string, client *http.Client, joint mock.JointConfig) mock.Config {
	addr := c.target.mockAddr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	cfg := mock.Config{
		Addr: addr, Strict: c.seller.strict, Version: buildVersion(),
		HTTPClient: client, Joint: joint, License: c.license.settings(), Market: c.seller.market(),
	}
	cfg.Market.SellerURL, cfg.Market.AccessKey = sellerURL, key
	c.market.apply(&cfg.Market)
	return cfg
}

// referenceSellerConfig configures the bundled reference seller to koomock's settings: the access key,
// the AK/SK and koomock's URL for the open APIs, and the kit key, OAEP digest and identity provider of
// the joint settings.
func referenceSellerConfig(key string, sf sellerFlags, joint mock.JointConfig, srv *mock.Server) seller.Config {
	sj := seller.DemoJoint(srv.PublicURL)
	if joint.KitKey != "" {
		sj.KitKey = joint.KitKey
	}
	sj.InnerHMAC = joint.KitInnerHMAC
	if joint.OAEPHash != "" {
		sj.OAEP = joint.OAEPHash
	}
	if joint.AppID != "" {
		sj.AppID = joint.AppID
	}
	ak, sk := sf.ak, sf.sk
	if ak == "" {
		ak, sk = fixtures.DemoAK, fixtures.DemoSK
	}
	return seller.Config{AccessKey: key, MarketplaceURL: srv.URL(), AK: ak, SK: sk, Joint: sj}
}

// serveReferenceSeller serves the bundled reference seller on ln and returns how to stop it.
func serveReferenceSeller(ln net.Listener, cfg seller.Config) func() {
	var unused graceful.Unused
	srv := &http.Server{Handler: seller.New(cfg), ReadHeaderTimeout: 10 * time.Second, ConnState: unused.Track}
	go srv.Serve(ln)
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		unused.Shutdown(ctx, srv)
	}
}

// checkReachable fails fast, with one clear line, when nothing listens at the seller URL: a run of
// scenarios all failing on "connection refused" would say nothing about the seller's rules.
func checkReachable(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("seller URL %q is not an absolute http:// or https:// URL", raw)
	}
	host := u.Host
	if u.Port() == "" {
		host = net.JoinHostPort(u.Hostname(), map[string]string{"http": "80", "https": "443"}[u.Scheme])
	}
	conn, err := net.DialTimeout("tcp", host, dialTimeout)
	if err != nil {
		return fmt.Errorf("the seller at %s is unreachable: %v", raw, err)
	}
	conn.Close()
	return nil
}

// parseAccept reads --accept values: PROBE=CODE[,CODE...].
func parseAccept(values []string) (map[string][]string, error) {
	kinds := map[string]bool{}
	for _, p := range []controlapi.Probe{controlapi.TamperedSignature, controlapi.MissingSignature, controlapi.StaleTimestamp, controlapi.MissingField("x"),
		controlapi.UnknownInstance, controlapi.TooManyIDs} {
		kinds[p.Kind()] = true
	}
	out := map[string][]string{}
	for _, v := range values {
		kind, codes, ok := strings.Cut(v, "=")
		if !ok || !kinds[kind] || codes == "" {
			return nil, fmt.Errorf("--accept %q: want PROBE=CODE[,CODE...] with PROBE one of tampered-signature, missing-signature, stale-timestamp, missing-field, unknown-instance, too-many-ids", v)
		}
		for c := range strings.SplitSeq(codes, ",") {
			if len(c) != 6 || strings.Trim(c, "0123456789") != "" {
				return nil, fmt.Errorf("--accept %q: %q is not a six-digit result code", v, c)
			}
			out[kind] = append(out[kind], c)
		}
	}
	return out, nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
