package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"slices"
	"strings"
	"time"

	"github.com/koomock/koomock/clock"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/i18n"
	"github.com/koomock/koomock/mock"
	"github.com/koomock/koomock/protocol"
)

func runServe(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "serve", "serve [flags]")
	var seller sellerFlags
	seller.register(fs)
	var market marketFlags
	market.register(fs)
	var lic licenseFlags
	lic.register(fs)
	var limits serverFlags
	limits.register(fs)
	var af assetFlags
	af.register(fs)
	lang := registerLang(fs)
	addr := fs.String("addr", mock.DefaultAddr, "`address` to listen on; 0.0.0.0:8080 in a container")
	var tf tlsFlags
	tf.register(fs)
	publicURL := fs.String("public-url", "", "the base `URL` koomock hands out (tenant domain, login redirects); default: the listen URL")
	db := fs.String("db", "", "SQLite `file` for orders, instances and the journal, or :memory: (default: koomock.db in your data directory)")
	logLevel := fs.String("log-level", "info", "log `level`: debug, info, warn or error")
	explain := fs.Bool("explain", false, "add koomock's signature diagnosis (X-Koomock-* headers) to open-API 401s; the real gateway tells nothing")
	adminToken := registerAdminToken(fs)
	var jf jointFlags
	jf.register(fs, " (default: koomock's demo kit key)")
	var df demoFlags
	df.register(fs)
	stateFile := registerState(fs)
	if err := fs.parse(args); err != nil {
		return usageError(e, "serve", err)
	}
	joint, err := jf.config()
	if err == nil {
		err = df.apply(&joint)
	}
	if err != nil {
		return usageError(e, "serve", err)
	}
	if joint.KitKey == "" {
		joint.KitKey = fixtures.DemoKitKey
	}
	if fs.NArg() > 0 {
		return usageError(e, "serve", fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	}
	// Beyond loopback koomock has a token (given, or generated below); on loopback one is optional.
	if *adminToken != "" || beyondLoopback(*addr, tf.addr) {
		if err := checkPublicURL(*addr, *publicURL); err != nil {
			return usageError(e, "serve", err)
		}
	}
	logger, err := newLogger(e.stderr, *logLevel)
	if err != nil {
		return usageError(e, "serve", err)
	}
	var state *loadedState // read and checked whole before koomock starts
	if *stateFile != "" {
		if state, err = readState(*stateFile); err != nil {
			fmt.Fprintf(e.stderr, "koomock serve: %v\n", err)
			return exitUsage
		}
	}
	if *db == "" {
		if *db, err = defaultDBPath(e.getenv); err != nil {
			return usageError(e, "serve", err)
		}
	}
	var generated *generatedToken
	if *adminToken == "" && beyondLoopback(*addr, tf.addr) {
		g := loadOrMakeAdminToken(*db)
		generated, *adminToken = &g, g.value
	}
	// Certificates are dated by the wall clock: a test moving koomock's clock must not expire them.
	clk := clock.New(nil)
	tlsCfg, ca, err := tf.config(e.getenv, *db, *addr, *publicURL, clk.Wall)
	if err != nil {
		fmt.Fprintf(e.stderr, "koomock serve: HTTPS: %v\n", err)
		return exitUsage
	}
	cfg := mock.Config{
		Addr: *addr, TLS: tlsCfg, Clock: clk, PublicURL: *publicURL, DB: *db,
		Strict:  seller.strict,
		Version: buildVersion(), Logger: logger, AdminToken: *adminToken, Joint: joint,
		License: lic.settings(), Assets: af.settings(),
		Market: mock.MarketConfig{SellerURL: seller.sellerURL, AccessKey: seller.accessKey, CallbackTimeout: time.Duration(seller.timeout), RequireBodySign: seller.requireBodySign, AK: seller.ak, SK: seller.sk, Explain: *explain},
	}
	market.apply(&cfg)
	limits.apply(&cfg)
	startSeller := func(*mock.Server) func() { return func() {} }
	if cfg.Market.SellerURL == "" {
		if startSeller, err = serveBundledSeller(&cfg, seller); err != nil {
			fmt.Fprintf(e.stderr, "koomock serve: start the bundled reference seller: %v\n", err)
			return exitUsage
		}
	}
	srv, err := mock.New(ctx, cfg)
	if errors.Is(err, mock.ErrAdminTokenRequired) {
		fmt.Fprintf(e.stderr, "koomock serve: %s reaches beyond this machine, so the control API and console need an admin token: set --admin-token or KOOMOCK_ADMIN_TOKEN\n", listenFlags(*addr, tf.addr))
		return exitUsage
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "koomock serve: %v\n", err)
		return exitUsage
	}
	if err := srv.Open(); err != nil {
		srv.Close()
		fmt.Fprintf(e.stderr, "koomock serve: %v\n", err)
		return exitUsage
	}
	stopSeller := startSeller(srv)
	defer stopSeller()
	stateBanner, err := loadStateAtStart(ctx, e.stderr, srv, *adminToken, *db, state)
	if err != nil {
		srv.Close()
		fmt.Fprintf(e.stderr, "koomock serve: %v\n", err)
		return exitUsage
	}
	// The curls the banner prints carry the token when there is one: the generated one spelled out,
	// a token of the user's as $KOOMOCK_ADMIN_TOKEN (it is never printed).
	auth := curlAuth(*adminToken != "")
	if generated != nil {
		auth = `-H "Authorization: Bearer ` + generated.value + `" `
	}
	shown := seller
	if cfg.Market.BundledSeller {
		shown.sellerURL = cfg.Market.SellerURL + "   (" + bundledSellerNote + ")"
	}
	t := lang.printer(e)
	banner(e.stdout, t, srv, shown, *db, *adminToken != "", generated, slices.Concat(tlsBanner(t, srv, ca), jointBanner(t, srv, joint), licenseBanner(t, srv, lic, auth), stateBanner))
	<-ctx.Done()
	logger.Info("shutting down")
	if err := srv.Close(); err != nil {
		fmt.Fprintf(e.stderr, "koomock serve: %v\n", err)
		return exitUsage
	}
	return exitOK
}

func newLogger(w io.Writer, level string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("log level %q: want debug, info, warn or error", level)
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l})), nil
}

// banner tells a newcomer what to do next: where koomock is and what to paste into their seller.
// The demo key is printed in full because it is public and the seller needs it; a key of the user's
// own is masked, because secrets do not belong in terminals and logs.
func banner(w io.Writer, t *i18n.Printer, srv *mock.Server, seller sellerFlags, db string, guarded bool, generated *generatedToken, joint []string) {
	key := seller.accessKey
	shown := fixtures.DemoAccessKey + "   " + t.T("banner.demoKey")
	if key != "" && key != fixtures.DemoAccessKey {
		shown = protocol.MaskSecret(key) + "   " + t.T("banner.yours")
	}
	ak, sk := seller.ak, protocol.MaskSecret(seller.sk)+"   "+t.T("banner.yours")
	if seller.ak == "" {
		ak, sk = fixtures.DemoAK, fixtures.DemoSK+"   "+t.T("banner.demoSK")
	}
	sellerURL := seller.sellerURL
	if sellerURL == "" {
		sellerURL = t.T("banner.noSellerURL")
	}
	// The URLs to type are the public ones: in a container, the listen URL is the container's own.
	base := srv.PublicURL()
	lines := []string{
		t.T("banner.title", buildVersion()),
		"",
		row(t, "banner.listening", srv.URL()),
		row(t, "banner.console", base+"/"),
		row(t, "banner.controlAPI", base+"/_mock/"),
		row(t, "banner.publicURL", base),
		row(t, "banner.sellerURL", sellerURL),
		row(t, "banner.accessKey", shown),
		row(t, "banner.ak", ak),
		row(t, "banner.sk", sk),
		row(t, "banner.database", db),
	}
	if srv.ClockResumed() {
		lines = append(lines, row(t, "banner.clock", t.T("banner.clockResumed", srv.Now().Format(time.RFC3339))))
	}
	lines = append(lines, joint...)
	auth := curlAuth(guarded)
	if generated != nil {
		lines = append(lines, generated.banner(t, base)...)
		auth = `-H "Authorization: Bearer ` + generated.value + `" `
	} else if guarded {
		lines = append(lines, row(t, "banner.adminToken", t.T("banner.adminTokenSet")))
	}
	lines = append(lines, "",
		"  "+t.T("banner.buy")+"  curl "+auth+"-X POST "+base+"/_mock/orders",
		"  "+t.T("banner.journal")+"  curl "+auth+base+"/_mock/exchanges")
	fmt.Fprintln(w, strings.Join(lines, "\n"))
}

// checkPublicURL refuses to listen on every interface without a public URL: koomock hands its URL out
// (tenant domainName, login redirects), and from 0.0.0.0 it cannot tell which name its callers reach
// it by (localhost through a port mapping, a compose service name, a host name).
func checkPublicURL(addr, publicURL string) error {
	if publicURL != "" {
		return nil
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil // mock.Open reports a bad address
	}
	if everyInterface(host) {
		return fmt.Errorf("--addr %s listens on every interface, so koomock cannot tell the URL its callers reach it by: set --public-url (KOOMOCK_PUBLIC_URL), e.g. http://localhost:8080", addr)
	}
	return nil
}

// listenFlags names the listen flags that reach beyond loopback, for the admin-token error.
func listenFlags(addr, tlsAddr string) string {
	var far []string
	for _, f := range []struct{ name, addr string }{{"--addr", addr}, {"--tls-addr", tlsAddr}} {
		if host, _, err := net.SplitHostPort(f.addr); err == nil && !isLoopbackHost(host) {
			far = append(far, f.name+" "+f.addr)
		}
	}
	if len(far) == 0 {
		return "--addr " + addr
	}
	return strings.Join(far, " and ")
}

// isLoopbackHost reports whether a listen host names this machine only.
func isLoopbackHost(host string) bool {
	ip := net.ParseIP(host)
	return strings.EqualFold(host, "localhost") || (ip != nil && ip.IsLoopback())
}

// curlAuth is what a banner's curl to the control API adds for the admin token, when one is set: the
// variable, never the token itself.
func curlAuth(guarded bool) string {
	if !guarded {
		return ""
	}
	return `-H "Authorization: Bearer $KOOMOCK_ADMIN_TOKEN" `
}
