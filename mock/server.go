package mock

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/graceful"
	"github.com/koomock/koomock/mock/apig"
	"github.com/koomock/koomock/mock/assets"
	"github.com/koomock/koomock/mock/console"
	"github.com/koomock/koomock/mock/delivery"
	"github.com/koomock/koomock/mock/dialtest"
	"github.com/koomock/koomock/mock/faults"
	"github.com/koomock/koomock/mock/feed"
	"github.com/koomock/koomock/mock/idp"
	"github.com/koomock/koomock/mock/inbound"
	"github.com/koomock/koomock/mock/journal"
	"github.com/koomock/koomock/mock/kit"
	"github.com/koomock/koomock/mock/license"
	"github.com/koomock/koomock/mock/notify"
	"github.com/koomock/koomock/mock/saas"
	"github.com/koomock/koomock/mock/saasapi"
	"github.com/koomock/koomock/mock/schedule"
	"github.com/koomock/koomock/openapi"
	"github.com/koomock/koomock/store"
)

// ShutdownTimeout bounds how long Close waits for requests and callbacks under way.
const ShutdownTimeout = 10 * time.Second

// Server is a running (or ready to run) koomock.
type Server struct {
	cfg         Config
	store       *store.DB
	notifier    *notify.Notifier
	recorder    *inbound.Recorder
	gateway     *apig.Gateway
	scheduler   *schedule.Scheduler
	faults      *faults.Registry
	marketplace *openapi.Spec
	market      *saas.Market
	courier     *delivery.Courier
	saasAPI     *saasapi.API
	dialer      *dialtest.Tester
	kit         *kit.Kit
	idp         *idp.IdP
	license     *license.Service
	assets      *assets.Service
	handler     http.Handler

	mu          sync.Mutex
	unused      graceful.Unused
	ln          net.Listener
	tlsLn       net.Listener // the HTTPS listener, when cfg.TLS.Addr is set
	http        *http.Server
	done        chan error // one result per listener served
	serving     int
	stopJobs    context.CancelFunc
	jobsStopped chan struct{}

	// feed tells the console and GET /_mock/events about each exchange the journal records.
	feed    *feed.Broadcaster
	journal *journal.Journal
	// clockResumed is set when the database put a virtual clock back (clockstate.go).
	clockResumed bool
	console      *console.Console
	// resets serves POST /_mock/reset and the runs that refuse it (reset.go, runs.go).
	resets resetState

	closeOnce sync.Once
	closeErr  error
}

// New builds a server from cfg: it opens the store (applying migrations), loads the OpenAPI
// documents and opens every flow, but does not listen yet. ctx bounds that opening only; nothing New
// starts keeps it. On a failure New undoes what it had started, in reverse order.
func New(ctx context.Context, cfg Config) (_ *Server, err error) {
	cfg, err = cfg.normalize()
	if err != nil {
		return nil, err
	}
	spec, err := openapi.Load(cfg.Spec, openapi.SellerFile)
	if err != nil {
		return nil, err
	}
	marketplace, err := openapi.Load(cfg.Spec, openapi.MarketplaceFile)
	if err != nil {
		return nil, err
	}
	catalog, err := fixtures.LoadCatalog()
	if err != nil {
		return nil, err
	}
	// undo lists what has been started, to stop in reverse order when a later step fails.
	var undo []func()
	defer func() {
		if err != nil {
			for i := len(undo) - 1; i >= 0; i-- {
				undo[i]()
			}
		}
	}()
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return nil, err
	}
	undo = append(undo, func() { db.Close() })
	s := &Server{cfg: cfg, store: db, marketplace: marketplace, feed: &feed.Broadcaster{}, resets: newResetState(cfg.Clock)}
	if err := s.keepClock(ctx); err != nil {
		return nil, err
	}
	// The console drives koomock through its own handler, in-process (set below, before any request).
	s.console, err = console.New(console.Config{
		API: &controlapi.Client{BaseURL: "http://localhost", Token: cfg.AdminToken,
			HTTPClient: &http.Client{Transport: inProcess{s}}},
		Feed: s.feed, Token: cfg.AdminToken, IDs: cfg.IDs, Logger: cfg.Logger,
	})
	if err != nil {
		return nil, err
	}
	if s.faults, err = faults.Load(ctx, db); err != nil {
		return nil, err
	}
	// The one journal: callbacks (the notifier) and calls (the inbound recorder) are committed through
	// it, then published on the live feed, so the console and GET /_mock/events see each exchange as
	// soon as it is stored, with its ID. Its writer goroutine runs until Close.
	s.journal = journal.New(db, cfg.Logger, func(e *koomock.Exchange) { s.feed.Publish(*e) })
	undo = append(undo, s.journal.Close)
	s.recorder = inbound.NewRecorder(s.journal, cfg.Clock.Now, cfg.Logger)
	s.recorder.Policy = cfg.Policy()
	m := cfg.Market
	s.gateway = &apig.Gateway{
		Recorder: s.recorder, Spec: marketplace, Now: cfg.Clock.Now, Wall: cfg.Clock.Wall, AK: m.AK, SK: m.SK, Explain: m.Explain,
		RequestID: func() string { return cfg.IDs.UUID() },
		Credentials: func(ak string) (string, bool) {
			// Comparing the ID in constant time too keeps timing from telling which AKs exist.
			return m.SK, subtle.ConstantTimeCompare([]byte(ak), []byte(m.AK)) == 1
		},
	}
	s.scheduler = schedule.New(db, cfg.Clock, cfg.Logger)
	s.notifier = &notify.Notifier{
		HTTPClient:      cfg.HTTPClient,
		Timeout:         m.CallbackTimeout,
		Now:             cfg.Clock.Now,
		Wall:            cfg.Clock.Wall,
		Nonce:           cfg.IDs.Nonce,
		Spec:            spec,
		Journal:         s.journal,
		RequireBodySign: m.RequireBodySign,
		Policy:          cfg.Policy(),
		Logger:          cfg.Logger,
	}
	s.wireSaaS(catalog)
	if err := s.newJoint(); err != nil {
		return nil, err
	}
	if s.license, err = newLicense(s, catalog.Customer); err != nil {
		return nil, err
	}
	s.assets = newAssets(s)
	// openFlows closes the flows it opened when one fails.
	if err := s.openFlows(ctx); err != nil {
		return nil, err
	}
	s.handler = s.routes()
	return s, nil
}

// Handler returns the server's HTTP handler, for use without listening (httptest).
func (s *Server) Handler() http.Handler { return s.handler }

// Open listens on the configured address (and the HTTPS one, when set) and serves in the background.
// It returns once the listeners are bound, so that a taken port is reported here.
func (s *Server) Open() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln != nil {
		return errors.New("server already open")
	}
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", s.cfg.Addr, err)
	}
	tlsLn, err := s.listenTLS()
	if err != nil {
		ln.Close()
		return err
	}
	ln = s.cfg.Limits.limit(ln) // listenTLS caps its own, under TLS
	s.ln, s.tlsLn = ln, tlsLn
	// One server for both listeners: the same handler, and one Shutdown ends both. Its own errors go
	// to koomock's log: a failed TLS handshake there is how a developer learns their client does not
	// trust koomock's CA.
	s.http = s.httpServer()
	s.done = make(chan error, 2)
	s.serving = 1
	go func() { s.done <- s.http.Serve(ln) }()
	if tlsLn != nil {
		s.serving++
		go func() { s.done <- s.http.Serve(tlsLn) }()
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.stopJobs, s.jobsStopped = cancel, make(chan struct{})
	go func() {
		defer close(s.jobsStopped)
		s.scheduler.Run(ctx)
	}()
	s.cfg.Logger.Info("listening", "addr", ln.Addr().String())
	if tlsLn != nil {
		s.cfg.Logger.Info("listening for HTTPS", "addr", tlsLn.Addr().String())
	}
	return nil
}

// URL returns the base URL the server listens on (http://host:port), or "" before Open. When it
// listens on every interface (0.0.0.0, ::), the URL names loopback: "http://0.0.0.0:8080" is no
// address to hand anyone, and this host reaches the server on loopback either way.
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln == nil {
		return ""
	}
	addr, ok := s.ln.Addr().(*net.TCPAddr)
	if ok && addr.IP.IsUnspecified() {
		return "http://" + net.JoinHostPort("127.0.0.1", strconv.Itoa(addr.Port))
	}
	return "http://" + s.ln.Addr().String()
}

// PublicURL returns the base URL koomock hands out: the configured public URL, or URL.
func (s *Server) PublicURL() string {
	if s.cfg.PublicURL != "" {
		return strings.TrimSuffix(s.cfg.PublicURL, "/")
	}
	return s.URL()
}

// Close ends the live event streams, stops listening, waits for requests and callbacks under way (up
// to ShutdownTimeout), and closes the store. Calling it again returns the first call's result.
func (s *Server) Close() error {
	s.closeOnce.Do(func() { s.closeErr = s.close() })
	return s.closeErr
}

func (s *Server) close() error {
	s.mu.Lock()
	srv, done, serving, stopJobs, jobsStopped := s.http, s.done, s.serving, s.stopJobs, s.jobsStopped
	s.mu.Unlock()
	if stopJobs != nil {
		stopJobs()
		<-jobsStopped
	}
	// An event stream never finishes by itself, and Shutdown waits for every request to finish; nor
	// does an answer the license-gateway-latency fault holds until the client gives up.
	s.feed.Close()
	closeFlows(s.flows())
	s.resets.runs.close()
	var errs []error
	if srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), ShutdownTimeout)
		defer cancel()
		if err := s.unused.Shutdown(ctx, srv); err != nil {
			errs = append(errs, fmt.Errorf("shut down HTTP server: %w", err))
		}
		for range serving {
			if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
				errs = append(errs, err)
			}
		}
	}
	s.notifier.Wait()
	s.journal.Close()
	if err := s.store.Close(); err != nil {
		errs = append(errs, fmt.Errorf("close store: %w", err))
	}
	return errors.Join(errs...)
}
