package license

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/ids"
	"github.com/koomock/koomock/mock/apig"
	"github.com/koomock/koomock/mock/delivery"
	"github.com/koomock/koomock/mock/faults"
	"github.com/koomock/koomock/mock/notify"
	"github.com/koomock/koomock/mock/schedule"
	"github.com/koomock/koomock/store"
)

// Service is KooGallery's License 2.0 side. Every field is required except Logger; call Open before
// serving and Close after.
type Service struct {
	Store     *store.DB
	Notifier  *notify.Notifier
	Gateway   *apig.Gateway
	Scheduler *schedule.Scheduler
	// Courier delivers the license callbacks and retries them, like every callback koomock sends.
	Courier  *delivery.Courier
	Faults   *faults.Registry
	Now      func() time.Time
	IDs      *ids.Source
	Catalog  fixtures.LicenseCatalog
	Customer fixtures.Customer
	// SellerURL and AccessKey stand in for Settings.URL and Settings.Key when those are empty.
	SellerURL string
	AccessKey string
	Settings  Settings
	Logger    *slog.Logger

	// mu guards codes. The index is written through: a change is stored first and published here only
	// once committed, so an answer never reports state that is not persisted.
	mu    sync.RWMutex
	codes map[string]koomock.LicenseCode
	// writeMu serialises read-modify-write of codes, so that two changes never overwrite each other.
	writeMu sync.Mutex
	// closing ends held answers (the gateway-latency fault) when koomock shuts down.
	closing   chan struct{}
	closeOnce sync.Once
}

// Open loads the codes, declares the faults the license APIs offer, registers the scheduled jobs and
// makes sure the demo test codes exist.
func (s *Service) Open(ctx context.Context) error {
	if s.Logger == nil {
		s.Logger = slog.New(slog.DiscardHandler)
	}
	settings, err := s.Settings.WithDefaults()
	if err != nil {
		return err
	}
	s.Settings = settings
	s.closing = make(chan struct{})
	all, err := s.Store.LicenseCodes(ctx)
	if err != nil {
		return fmt.Errorf("load license codes: %w", err)
	}
	s.codes = make(map[string]koomock.LicenseCode, len(all))
	for _, c := range all {
		s.codes[c.Code] = c
	}
	s.declareFaults()
	s.registerJobs()
	s.registerDeliveries()
	return s.ensureDemoCodes(ctx)
}

// Close ends answers held by the gateway-latency fault, so that shutting down does not wait for them.
func (s *Service) Close() {
	s.closeOnce.Do(func() {
		if s.closing != nil {
			close(s.closing)
		}
	})
}

// callbackURL is where the license callbacks go.
func (s *Service) callbackURL() string {
	if s.Settings.URL != "" {
		return s.Settings.URL
	}
	return s.SellerURL
}

// callbackKey signs the license callbacks.
func (s *Service) callbackKey() string {
	if s.Settings.Key != "" {
		return s.Settings.Key
	}
	return s.AccessKey
}

// Key returns the access key that signs the license callbacks, for reproducing one.
func (s *Service) Key() string { return s.callbackKey() }

// code returns a copy of a code from the index.
func (s *Service) code(code string) (koomock.LicenseCode, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, ok := s.codes[code]
	return c, ok
}

// all returns every code, newest first.
func (s *Service) all() []koomock.LicenseCode {
	s.mu.RLock()
	out := make([]koomock.LicenseCode, 0, len(s.codes))
	for _, c := range s.codes {
		out = append(out, c)
	}
	s.mu.RUnlock()
	slices.SortFunc(out, func(a, b koomock.LicenseCode) int {
		if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.Code, b.Code)
	})
	return out
}

// publish puts committed codes into the index.
func (s *Service) publish(codes ...koomock.LicenseCode) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range codes {
		s.codes[c.Code] = c
	}
}

// errNoSuchCode is returned by change for a code that does not exist.
var errNoSuchCode = errors.New("no such license code")

// change applies fn to the named codes (copies: fn may modify them and must return the events the
// change adds), stores the result in one transaction and then publishes it. An error from fn aborts
// the change and is returned as it is.
func (s *Service) change(ctx context.Context, names []string, fn func(cs []*koomock.LicenseCode) ([]koomock.LicenseEvent, error)) ([]koomock.LicenseCode, error) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	cs := make([]*koomock.LicenseCode, len(names))
	for i, n := range names {
		c, ok := s.code(n)
		if !ok {
			return nil, fmt.Errorf("%w: %s", errNoSuchCode, n)
		}
		c.Renewals = slices.Clone(c.Renewals) // fn may append; the index's copy must not change
		cs[i] = &c
	}
	events, err := fn(cs)
	if err != nil {
		return nil, err
	}
	out := make([]koomock.LicenseCode, len(cs))
	for i, c := range cs {
		out[i] = *c
	}
	if err := s.Store.WriteLicense(ctx, store.LicenseWrite{Update: out, Events: events}); err != nil {
		return nil, err
	}
	s.publish(out...)
	return out, nil
}

// changeOne is change for one code, answering a control-API not-found error for an unknown code.
func (s *Service) changeOne(ctx context.Context, name string, fn func(c *koomock.LicenseCode) ([]koomock.LicenseEvent, error)) (koomock.LicenseCode, error) {
	out, err := s.change(ctx, []string{name}, func(cs []*koomock.LicenseCode) ([]koomock.LicenseEvent, error) { return fn(cs[0]) })
	if errors.Is(err, errNoSuchCode) {
		return koomock.LicenseCode{}, controlapi.Errorf(controlapi.CodeNotFound, "license code %s does not exist", name)
	}
	if err != nil {
		return koomock.LicenseCode{}, err
	}
	return out[0], nil
}

// record appends events that change no code (usage reports after the first).
func (s *Service) record(ctx context.Context, events ...koomock.LicenseEvent) error {
	return s.Store.WriteLicense(ctx, store.LicenseWrite{Events: events})
}

// create stores new codes with their issue events and publishes them.
func (s *Service) create(ctx context.Context, codes []koomock.LicenseCode, events []koomock.LicenseEvent) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if err := s.Store.WriteLicense(ctx, store.LicenseWrite{Create: codes, Events: events}); err != nil {
		return err
	}
	s.publish(codes...)
	return nil
}
