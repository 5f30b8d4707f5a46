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
	"github.com/koomock/koomock/localca"
	"github.com/koomock/koomock/mock"
	"github.com/koomock/koomock/protocol"
)

// serveCommand is `koomock serve`: its flags in named groups, and the steps from them to a running
// server (settle, build the configuration, start, print the banner, wait for the signal).
type serveCommand struct {
	seller  sellerFlags
	market  marketFlags
	license licenseFlags
	limits  serverFlags
	assets  assetFlags
	listen  listenFlags
	tls     tlsFlags
	joint   jointFlags
	demo    demoFlags
	run     serveFlags
}

// listenFlags say where serve listens and the URL it hands out.
type listenFlags struct {
	addr, publicURL string
}

func (l *listenFlags) register(fs *flagSet) {
	fs.StringVar(&l.addr, "addr", mock.DefaultAddr, "`address` to listen on; 0.0.0.0:8080 in a container")
	fs.StringVar(&l.publicURL, "public-url", "", "the base `URL` koomock hands out (tenant domain, login redirects); default: the listen URL")
}

// serveFlags are the rest of serve's flags: the database, the log, the signature diagnosis, the admin
// token and the state file.
type serveFlags struct {
	db, logLevel string
	explain      bool
	adminToken   *string
	stateFile    *string
	lang         *langFlag
}

func (r *serveFlags) register(fs *flagSet) {
	fs.StringVar(&r.db, "db", "", "SQLite `file` for orders, instances and the journal, or :memory: (default: koomock.db in your data directory)")
	fs.StringVar(&r.logLevel, "log-level", "info", "log `level`: debug, info, warn or error")
	fs.BoolVar(&r.explain, "explain", false, "add koomock's signature diagnosis (X-Koomock-* headers) to open-API 401s; the real gateway tells nothing")
	r.adminToken = registerAdminToken(fs)
	r.stateFile = registerState(fs)
	r.lang = registerLang(fs)
}

// newServeCommand registers serve's flags on fs.
func newServeCommand(fs *flagSet) *serveCommand {
	c := &serveCommand{}
	c.seller.register(fs)
	c.market.register(fs)
	c.license.register(fs)
	c.limits.register(fs)
	c.assets.register(fs)
	c.listen.register(fs)
	c.tls.register(fs)
	c.joint.register(fs, " (default: koomock's demo kit key)")
	c.demo.register(fs)
	c.run.register(fs)
	return c
}

// serveSetup is what serve settles from its flags before it builds the server.
type serveSetup struct {
	logger    *slog.Logger
	state     *loadedState // read and checked whole before koomock starts
	generated *generatedToken
	ca        *localca.CA
	// joint is the joint-operation settings as the flags give them, for the banner (the bundled
	// seller's wiring changes cfg.Joint).
	joint mock.JointConfig
	cfg   mock.Config
	// startSeller serves the bundled reference seller once koomock listens (a no-op with a seller
	// of the user's) and returns how to stop it.
	startSeller func(*mock.Server) func()
}

func runServe(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "serve", "serve [flags]")
	c := newServeCommand(fs)
	if err := fs.parse(args); err != nil {
		return usageError(e, "serve", err)
	}
	s, code := c.setup(e, fs)
	if code != exitOK {
		return code
	}
	return c.serve(ctx, e, s)
}

// setup checks the flags and settles what the server is built from, reporting a problem on stderr
// with its exit code.
func (c *serveCommand) setup(e *env, fs *flagSet) (serveSetup, int) {
	var s serveSetup
	joint, err := c.joint.config()
	if err == nil {
		err = c.demo.apply(&joint)
	}
	if err != nil {
		return s, usageError(e, "serve", err)
	}
	if joint.KitKey == "" {
		joint.KitKey = fixtures.DemoKitKey
	}
	if fs.NArg() > 0 {
		return s, usageError(e, "serve", fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	}
	addr, publicURL, adminToken := c.listen.addr, c.listen.publicURL, c.run.adminToken
	// Beyond loopback koomock has a token (given, or generated below); on loopback one is optional.
	if *adminToken != "" || beyondLoopback(addr, c.tls.addr) {
		if err := checkPublicURL(addr, publicURL); err != nil {
			return s, usageError(e, "serve", err)
		}
	}
	if s.logger, err = newLogger(e.stderr, c.run.logLevel); err != nil {
		return s, usageError(e, "serve", err)
	}
	if *c.run.stateFile != "" {
		if s.state, err = readState(*c.run.stateFile); err != nil {
			fmt.Fprintf(e.stderr, "koomock serve: %v\n", err)
			return s, exitUsage
		}
	}
	if c.run.db == "" {
		if c.run.db, err = defaultDBPath(e.getenv); err != nil {
			return s, usageError(e, "serve", err)
		}
	}
	if *adminToken == "" && beyondLoopback(addr, c.tls.addr) {
		g := loadOrMakeAdminToken(c.run.db)
		s.generated, *adminToken = &g, g.value
	}
	// Certificates are dated by the wall clock: a test moving koomock's clock must not expire them.
	clk := clock.New(nil)
	tlsCfg, ca, err := c.tls.config(e.getenv, c.run.db, addr, publicURL, clk.Wall)
	if err != nil {
		fmt.Fprintf(e.stderr, "koomock serve: HTTPS: %v\n", err)
		return s, exitUsage
	}
	s.ca, s.joint = ca, joint
	s.cfg = c.config(clk, tlsCfg, joint, s.logger)
	s.startSeller = func(*mock.Server) func() { return func() {} }
	if s.cfg.Market.SellerURL == "" {
		if s.startSeller, err = serveBundledSeller(&s.cfg, c.seller); err != nil {
			fmt.Fprintf(e.stderr, "koomock serve: start the bundled reference seller: %v\n", err)
			return s, exitUsage
		}
	}
	return s, exitOK
}

// config is the server's configuration from the flag groups.
func (c *serveCommand) config(clk *clock.Clock, tlsCfg mock.TLSConfig, joint mock.JointConfig, logger *slog.Logger) mock.Config {
	cfg := mock.Config{
		Addr: c.listen.addr, PublicURL: c.listen.publicURL, TLS: tlsCfg, Clock: clk, DB: c.run.db,
		Strict: c.seller.strict, Version: buildVersion(), Logger: logger, AdminToken: *c.run.adminToken,
		Joint: joint, License: c.license.settings(), Assets: c.assets.settings(), Market: c.seller.market(),
	}
	cfg.Market.Explain = c.run.explain
	c.market.apply(&cfg.Market)
	c.limits.apply(&cfg)
	return cfg
}

// serve starts the server (and the bundled seller), loads the state file, prints the banner and
// serves until ctx ends.
func (c *serveCommand) serve(ctx context.Context, e *env, s serveSetup) int {
	adminToken := *c.run.adminToken
	srv, err := mock.New(ctx, s.cfg)
	if errors.Is(err, mock.ErrAdminTokenRequired) {
		fmt.Fprintf(e.stderr, "koomock serve: %s reaches beyond this machine, so the control API and console need an admin token: set --admin-token or KOOMOCK_ADMIN_TOKEN\n", listenFlagNames(c.listen.addr, c.tls.addr))
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
	stopSeller := s.startSeller(srv)
	defer stopSeller()
	stateBanner, err := loadStateAtStart(ctx, e.stderr, srv, adminToken, c.run.db, s.state)
	if err != nil {
		srv.Close()
		fmt.Fprintf(e.stderr, "koomock serve: %v\n", err)
		return exitUsage
	}
	// The curls the banner prints carry the token when there is one: the generated one spelled out,
	// a token of the user's as $KOOMOCK_ADMIN_TOKEN (it is never printed).
	auth := curlAuth(adminToken != "")
	if s.generated != nil {
		auth = `-H "Authorization: Bearer ` + s.generated.value + `" `
	}
	shown := c.seller
	if s.cfg.Market.BundledSeller {
		shown.sellerURL = s.cfg.Market.SellerURL + "   (" + bundledSellerNote + ")"
	}
	t := c.run.lang.printer(e)
	banner(e.stdout, t, srv, shown, c.run.db, adminToken != "", s.generated,
		slices.Concat(tlsBanner(t, srv, s.ca), jointBanner(t, srv, s.joint), licenseBanner(t, srv, c.license, auth), stateBanner))
	<-ctx.Done()
	s.logger.Info("shutting down")
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

// listenFlagNames names the listen flags that reach beyond loopback, for the admin-token error.
func listenFlagNames(addr, tlsAddr string) string {
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
