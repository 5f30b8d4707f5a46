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
	"sync/atomic"
	"time"

	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/examples/seller"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/mock"
	"github.com/koomock/koomock/runner"
)

// dialTimeout bounds the check that the seller is listening before the suite starts.
const dialTimeout = 3 * time.Second

func runVerify(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "verify", "verify [flags]")
	var sf sellerFlags
	sf.register(fs)
	mockURL := fs.String("mock-url", "", "drive an already running koomock at this `URL` instead of starting one (its seller settings apply)")
	tags := fs.String("tags", "", `run only scenarios matching this godog tag `+"`filter`"+` ("@saas && ~@slow")`)
	format := fs.String("format", "", "output `formats`, comma-separated: pretty, progress, junit:FILE, cucumber:FILE, html:FILE (default: pretty on a terminal, progress otherwise)")
	concurrency := fs.Int("concurrency", 0, "scenarios run at once (default: the number of CPUs)")
	seed := fs.Int64("seed", 0, "order scenarios with this seed to reproduce a run (default: random, printed)")
	adminToken := registerAdminToken(fs)
	var accept listFlag
	fs.Var(&accept, "accept", "result codes that count as refusing a probe, e.g. tampered-signature=000001,000005 (repeatable; probes: tampered-signature, missing-signature, stale-timestamp, missing-field)")
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
	if *mockURL != "" && (sf.sellerURL != "" || sf.accessKey != "" || jf != (jointFlags{})) {
		return usageError(e, "verify", errors.New("--mock-url drives a koomock that has its own seller settings; drop --seller-url, --access-key and the kit and key flags"))
	}
	joint, err := jf.config()
	if err != nil {
		return usageError(e, "verify", err)
	}
	if *format == "" {
		*format = "progress"
		if isTerminal(e.stdout) {
			*format = "pretty"
		}
	}
	if err := runner.CheckFormat(*format); err != nil {
		return usageError(e, "verify", err)
	}
	client, pool, err := x.sellerClient()
	if err != nil {
		return usageError(e, "verify", err)
	}
	opts, err := x.options(fs, sf.sellerURL == "" && *mockURL == "", pool)
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
		stop, url, bundled, code := startTarget(e, sf, client, joint)
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
	opts.Replayable = *mockURL != ""
	if isTerminal(e.stderr) && !opts.Step {
		opts.Progress = e.stderr
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
// (empty for a seller of the user's).
func startTarget(e *env, sf sellerFlags, client *http.Client, joint mock.JointConfig) (stop func(), koomockURL, bundled string, code int) {
	key := sf.accessKey
	if key == "" {
		key = fixtures.DemoAccessKey
	}
	sellerURL := sf.sellerURL
	var stops []func()
	stopAll := func() {
		for i := len(stops) - 1; i >= 0; i-- {
			stops[i]()
		}
	}
	var idpURL atomic.Value
	idpURL.Store("")
	if sellerURL == "" {
		base, stopSeller, err := startReferenceSeller(key, joint, func() string { return idpURL.Load().(string) })
		if err != nil {
			fmt.Fprintf(e.stderr, "koomock verify: start the reference seller: %v\n", err)
			return nil, "", "", exitUsage
		}
		stops = append(stops, stopSeller)
		sellerURL, bundled = base+seller.ProducePath, base
		// The bundled seller implements the kit syncs and the login with koomock's demo settings.
		if joint.KitKey == "" {
			joint.KitKey = fixtures.DemoKitKey
		}
		joint.LoginCallbackURL = base + seller.CallbackPath
		joint.SellerPublicKeyPEM = nil // the bundled seller holds the demo private key
		fmt.Fprintf(e.stderr, "koomock verify: no --seller-url, so testing the bundled reference seller at %s\n", sellerURL)
	} else if err := checkReachable(sellerURL); err != nil {
		fmt.Fprintf(e.stderr, "koomock verify: %v\n", err)
		return nil, "", "", exitUsage
	}
	srv, err := mock.New(mock.Config{
		Addr: "127.0.0.1:0", SellerURL: sellerURL, AccessKey: key,
		CallbackTimeout: time.Duration(sf.timeout), RequireBodySign: sf.requireBodySign, AK: sf.ak, SK: sf.sk, Version: buildVersion(),
		HTTPClient: client, Joint: joint,
	})
	if err == nil {
		err = srv.Open()
		if err != nil {
			srv.Close()
		}
	}
	if err != nil {
		stopAll()
		fmt.Fprintf(e.stderr, "koomock verify: %v\n", err)
		return nil, "", "", exitUsage
	}
	stops = append(stops, func() { srv.Close() })
	idpURL.Store(srv.PublicURL())
	return stopAll, srv.URL(), bundled, exitOK
}

// startReferenceSeller serves the bundled reference seller on a free loopback port and returns its
// base URL. Its kit key and OAEP digest follow koomock's joint settings; idpURL is koomock's URL, known
// once koomock listens.
func startReferenceSeller(key string, joint mock.JointConfig, idpURL func() string) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	sj := seller.DemoJoint(idpURL)
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
	srv := &http.Server{Handler: seller.New(seller.Config{AccessKey: key, Joint: sj}), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	stop := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	}
	return "http://" + ln.Addr().String(), stop, nil
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
	for _, p := range []controlapi.Probe{controlapi.TamperedSignature, controlapi.MissingSignature, controlapi.StaleTimestamp, controlapi.MissingField("x")} {
		kinds[p.Kind()] = true
	}
	out := map[string][]string{}
	for _, v := range values {
		kind, codes, ok := strings.Cut(v, "=")
		if !ok || !kinds[kind] || codes == "" {
			return nil, fmt.Errorf("--accept %q: want PROBE=CODE[,CODE...] with PROBE one of tampered-signature, missing-signature, stale-timestamp, missing-field", v)
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
