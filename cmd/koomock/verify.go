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

func runVerify(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "verify", "verify [flags]")
	var sf sellerFlags
	sf.register(fs)
	var market marketFlags
	market.register(fs)
	var lf licenseFlags
	lf.register(fs)
	var cf clientFlags
	cf.register(fs)
	addr := fs.String("mock-addr", "", "`address` the in-process koomock listens on (default a free loopback port): fix it, and point your seller's KooGallery base URL at it, so that your seller reaches koomock's order query and usage push")
	mockURL := fs.String("mock-url", "", "drive an already running koomock at this `URL` instead of starting one (its seller settings apply)")
	tags := fs.String("tags", "", `run only scenarios matching this godog tag `+"`filter`"+` ("@saas && ~@slow")`)
	format := fs.String("format", "", "output `formats`, comma-separated: pretty, progress, junit:FILE, cucumber:FILE, html:FILE, github[:FILE] (GitHub Actions annotations) (default: progress, plus github when GITHUB_ACTIONS=true; pretty adds godog's step-by-step view)")
	concurrency := fs.Int("concurrency", 0, "scenarios run at once (default: the number of CPUs)")
	seed := fs.Int64("seed", 0, "order scenarios with this seed to reproduce a run (default: random, printed)")
	adminToken := registerAdminToken(fs)
	lang := registerLang(fs)
	var accept listFlag
	fs.Var(&accept, "accept", "result codes that count as refusing a probe, e.g. tampered-signature=000001,000005 (repeatable; probes: tampered-signature, missing-signature, stale-timestamp, missing-field, unknown-instance, too-many-ids)")
	var x verifyExtras
	x.register(fs)
	var jf jointFlags
	jf.register(fs, " (default: none, so kit and login scenarios skip; the bundled reference seller uses the demo key)")
	loginURL := fs.String("seller-login-url", "", "`URL` where a browser starts the seller's web-app login (the login scenarios skip without it)")
	casLoginURL := fs.String("seller-cas-login-url", "", "`URL` where a browser starts the seller's CAS login; koomock adds ?tenant=TENANT_ID (the CAS scenarios skip without it)")
	if err := fs.parse(args); err != nil {
		return usageError(e, "verify", err)
	}
	if fs.NArg() > 0 {
		return usageError(e, "verify", fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	}
	refusals, err := parseAccept(accept)
	if err != nil {
		return usageError(e, "verify", err)
	}
	if err := runner.CheckTags(*tags); err != nil {
		return usageError(e, "verify", err)
	}
	if *mockURL != "" && (sf.sellerURL != "" || sf.accessKey != "" || jf != (jointFlags{}) || lf.url != "" || lf.key != "") {
		return usageError(e, "verify", errors.New("--mock-url drives a koomock that has its own seller settings; drop --seller-url, --access-key, --license-url, --license-key and the kit and key flags"))
	}
	joint, err := jf.config()
	if err != nil {
		return usageError(e, "verify", err)
	}
	if *format == "" {
		// progress on a terminal too: the summary then shows each failure once, grouped by rule;
		// --format pretty adds godog's step-by-step view.
		*format = "progress"
		// On GitHub Actions, failures become annotations on the run and the seller's feature files.
		if e.getenv("GITHUB_ACTIONS") == "true" {
			*format += ",github"
		}
	}
	if err := runner.CheckFormat(*format); err != nil {
		return usageError(e, "verify", err)
	}
	client, pool, err := x.sellerClient()
	if err != nil {
		return usageError(e, "verify", err)
	}
	opts, err := x.options(fs, sf.sellerURL == "" && *mockURL == "", *mockURL != "", pool)
	if err != nil {
		return usageError(e, "verify", err)
	}
	if sf.sellerURL != "" {
		if err := checkSellerTLS(ctx, sf.sellerURL, pool); err != nil {
			fmt.Fprintf(e.stderr, "koomock verify: %v\n", err)
			return exitUsage
		}
	}

	target := *mockURL
	opts.SellerLoginURL, opts.SellerCASLoginURL = *loginURL, *casLoginURL
	if target == "" {
		stop, url, bundled, code := startTarget(e, sf, market, *addr, client, joint, lf)
		if code != exitOK {
			return code
		}
		defer stop()
		target = url
		if bundled != "" {
			opts.SellerLoginURL, opts.SellerCASLoginURL = bundled+seller.LoginPath, bundled+seller.CASLoginPath
		}
	}
	opts.MockURL, opts.Token, opts.Tags, opts.Format, opts.Output = target, *adminToken, *tags, *format, e.stdout
	opts.Concurrency, opts.Seed, opts.Refusals, opts.StepInput = *concurrency, *seed, refusals, e.stdin
	opts.Replayable, opts.Strict, opts.Lang = *mockURL != "", sf.strict, lang.printer(e)
	opts.OwnFeaturesDir = repoPath(x.features, e.getenv("GITHUB_WORKSPACE"))
	// Without a seller of the user's, the bundled reference license client plays the seller's software.
	opts.LicenseClient, opts.ClientWait, opts.AK, opts.SK = cf.client(sf.sellerURL == "" && *mockURL == ""), cf.waitFor(), sf.ak, sf.sk
	if isTerminal(e.stderr) && !opts.Step {
		opts.Progress = e.stderr
	}
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

// startTarget starts koomock in-process, pointed at the seller (the bundled reference seller when no
// URL is given), and returns how to stop both, the koomock URL, and the bundled seller's base URL
// (empty for a seller of the user's). addr is where koomock listens ("" for a free loopback port).
func startTarget(e *env, sf sellerFlags, market marketFlags, addr string, client *http.Client, joint mock.JointConfig, lf licenseFlags) (stop func(), koomockURL, bundled string, code int) {
	key := sf.accessKey
	if key == "" {
		key = fixtures.DemoAccessKey
	}
	sellerURL := sf.sellerURL
	var ln net.Listener
	if sellerURL == "" {
		var err error
		// The bundled seller implements the kit syncs and the login with koomock's demo settings.
		if ln, bundled, err = listenBundledSeller(&joint); err != nil {
			fmt.Fprintf(e.stderr, "koomock verify: start the reference seller: %v\n", err)
			return nil, "", "", exitUsage
		}
		sellerURL = bundled + seller.ProducePath
	} else if err := checkReachable(sellerURL); err != nil {
		fmt.Fprintf(e.stderr, "koomock verify: %v\n", err)
		return nil, "", "", exitUsage
	}
	if lf.url != "" {
		if err := checkReachable(lf.url); err != nil {
			if ln != nil {
				ln.Close()
			}
			fmt.Fprintf(e.stderr, "koomock verify: license URL: %v\n", err)
			return nil, "", "", exitUsage
		}
	}
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	cfg := mock.Config{
		Addr:   addr,
		Strict: sf.strict, Version: buildVersion(),
		HTTPClient: client, Joint: joint, License: lf.settings(),
		Market: mock.MarketConfig{SellerURL: sellerURL, AccessKey: key, CallbackTimeout: time.Duration(sf.timeout), RequireBodySign: sf.requireBodySign, AK: sf.ak, SK: sf.sk},
	}
	market.apply(&cfg)
	srv, err := mock.New(context.Background(), cfg)
	if err == nil {
		err = srv.Open()
		if err != nil {
			srv.Close()
		}
	}
	if err != nil {
		if ln != nil {
			ln.Close()
		}
		fmt.Fprintf(e.stderr, "koomock verify: %v\n", err)
		return nil, "", "", exitUsage
	}
	stops := []func(){func() { srv.Close() }}
	if ln != nil {
		stops = append(stops, serveReferenceSeller(ln, referenceSellerConfig(key, sf, joint, srv)))
		fmt.Fprintf(e.stderr, "koomock verify: no --seller-url, so testing the bundled reference seller at %s\n", sellerURL)
	}
	stopAll := func() {
		for i := len(stops) - 1; i >= 0; i-- {
			stops[i]()
		}
	}
	return stopAll, srv.URL(), bundled, exitOK
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
