package delivery

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/mock/faults"
	"github.com/koomock/koomock/mock/notify"
	"github.com/koomock/koomock/mock/schedule"
	"github.com/koomock/koomock/store"
)

// Policy is how KooGallery retries one kind of callback: an attempt every Every, for For after the
// first. A zero For means a single attempt.
type Policy struct {
	Every time.Duration
	For   time.Duration
}

// Kind builds and settles the deliveries of one flow.
type Kind struct {
	// Build returns the callback of the next attempt at d.
	Build func(ctx context.Context, d *koomock.Delivery) (notify.Callback, error)
	// Delivered tells whether an attempt succeeded; nil means HTTP 200 with a success result code.
	Delivered func(e *koomock.Exchange) bool
	// Settle runs after every attempt, with d's status already updated. Optional. It must not start
	// deliveries itself: it runs under a lock the courier shares between deliveries.
	Settle func(ctx context.Context, d *koomock.Delivery, e *koomock.Exchange) error
}

// The faults the courier applies to every callback (named in the control API's contract).
const (
	FaultUnreachable = controlapi.FaultSellerUnreachable
	FaultTamper      = controlapi.FaultCallbackTamper
	FaultDuplicate   = controlapi.FaultCallbackDuplicate
)

// jobKind is the scheduled job of a retry.
const jobKind = "delivery.retry"

// ErrUnknownKind is returned for a delivery whose kind no flow registered.
var ErrUnknownKind = errors.New("no flow handles this kind of delivery")

// Courier delivers callbacks. It is a flow (docs/adding-a-flow.md): build it with its fields set,
// then Open it, which registers its retry job and declares its faults, before any flow registers a
// kind of delivery with it.
type Courier struct {
	Store     *store.DB
	Notifier  *notify.Notifier
	Scheduler *schedule.Scheduler
	Faults    *faults.Registry
	// Now is koomock's clock.
	Now func() time.Time
	// Logger logs failed attempts; nothing is logged when nil.
	Logger *slog.Logger
	// Targets are the activities the courier's faults can be aimed at; flows add their own callbacks'
	// with AddTargets.
	Targets []string

	mu      sync.Mutex
	kinds   map[string]Kind
	targets []string
	// locks serialise attempts at one delivery, striped by ID so that their number stays bounded.
	locks [64]sync.Mutex
}

// open registers the retry job and declares the faults for Targets.
func (c *Courier) open() {
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	c.mu.Lock()
	if c.kinds == nil {
		c.kinds = map[string]Kind{}
	}
	c.mu.Unlock()
	c.Scheduler.Handle(jobKind, c.runRetry)
	c.AddTargets(c.Targets...)
}

// AddTargets lets the courier's faults be aimed at more activities (a flow's own callbacks).
func (c *Courier) AddTargets(targets ...string) {
	c.mu.Lock()
	c.targets = append(c.targets, targets...)
	all := append([]string(nil), c.targets...)
	c.mu.Unlock()
	c.Faults.Declare(faults.Declaration{Name: FaultUnreachable, Targets: all,
		Description: "koomock treats the seller as down: callbacks fail at once without contacting it, and are retried"})
	c.Faults.Declare(faults.Declaration{Name: FaultTamper, Targets: all,
		Description: "real callbacks go out with a tampered signature; a correct seller refuses them, so they are retried"})
	c.Faults.Declare(faults.Declaration{Name: FaultDuplicate, Targets: all,
		Description: "each callback is delivered twice in a row; the seller must accept the duplicate with the same answer"})
}

// Register makes the courier handle deliveries of kind. Register every kind before jobs run.
func (c *Courier) Register(kind string, k Kind) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.kinds == nil {
		c.kinds = map[string]Kind{}
	}
	c.kinds[kind] = k
}

func (c *Courier) kind(name string) (Kind, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k, ok := c.kinds[name]
	if !ok {
		return k, fmt.Errorf("%w: %q", ErrUnknownKind, name)
	}
	return k, nil
}

// lock serialises attempts at one delivery (a retry and a manual re-send may meet).
func (c *Courier) lock(id int64) func() {
	l := &c.locks[uint64(id)%uint64(len(c.locks))]
	l.Lock()
	return l.Unlock
}

// Start stores d as a new delivery of kind under policy p and makes the first attempt now. It
// returns the attempt's exchange.
func (c *Courier) Start(ctx context.Context, kind string, d *koomock.Delivery, p Policy) (*koomock.Exchange, error) {
	if _, err := c.kind(kind); err != nil {
		return nil, err
	}
	now := c.Now()
	d.ID, d.Kind, d.Status, d.StartedAt, d.GiveUpAt, d.Every = 0, kind, koomock.DeliveryPending, now, now.Add(p.For), p.Every
	d.Exchanges = []int64{}
	if err := c.Store.PutDelivery(ctx, d); err != nil {
		return nil, err
	}
	unlock := c.lock(d.ID)
	defer unlock()
	return c.attempt(ctx, d, false)
}

// Resend makes one attempt at a delivery now, as the seller console's re-trigger does. A failed
// delivery stays failed if the attempt fails again; a retrying one keeps its schedule.
func (c *Courier) Resend(ctx context.Context, id int64) (koomock.Delivery, *koomock.Exchange, error) {
	unlock := c.lock(id)
	defer unlock()
	d, err := c.Store.Delivery(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return d, nil, controlapi.Errorf(controlapi.CodeNotFound, "delivery %d does not exist", id)
	}
	if err != nil {
		return d, nil, err
	}
	if d.Status == koomock.DeliveryDelivered {
		return d, nil, controlapi.Errorf(controlapi.CodeConflict, "delivery %d was already delivered", id)
	}
	e, err := c.attempt(ctx, &d, true)
	return d, e, err
}

type retryPayload struct {
	Delivery int64 `json:"delivery"`
}

func jobKey(id int64) string { return "delivery:" + strconv.FormatInt(id, 10) }

// runRetry is the scheduled retry of a delivery. It does nothing if the delivery moved on meanwhile
// (delivered by a re-send), so running it twice is harmless.
func (c *Courier) runRetry(ctx context.Context, j store.Job) error {
	var p retryPayload
	if err := json.Unmarshal(j.Payload, &p); err != nil {
		return fmt.Errorf("retry job %d: %w", j.ID, err)
	}
	unlock := c.lock(p.Delivery)
	defer unlock()
	d, err := c.Store.Delivery(ctx, p.Delivery)
	if err != nil {
		return err
	}
	if d.Status != koomock.DeliveryRetrying {
		return nil
	}
	_, err = c.attempt(ctx, &d, false)
	return err
}

// attempt sends d once, records the outcome and schedules the next attempt or gives up. The caller
// holds d's lock.
func (c *Courier) attempt(ctx context.Context, d *koomock.Delivery, manual bool) (*koomock.Exchange, error) {
	k, err := c.kind(d.Kind)
	if err != nil {
		return nil, err
	}
	nd, err := k.Build(ctx, d)
	if err != nil {
		return nil, fmt.Errorf("build %s delivery %d: %w", d.Activity, d.ID, err)
	}
	sent, err := c.Send(ctx, nd, string(d.Activity))
	if err != nil {
		return nil, err
	}
	e := sent[len(sent)-1]
	for _, x := range sent {
		d.Exchanges = append(d.Exchanges, x.ID)
	}
	d.Attempts++
	delivered := k.Delivered
	if delivered == nil {
		delivered = Succeeded
	}
	now := c.Now()
	switch {
	case delivered(e):
		if d.Status == koomock.DeliveryRetrying {
			if err := c.Scheduler.Cancel(ctx, jobKey(d.ID)); err != nil {
				return e, err
			}
		}
		d.Status, d.DeliveredAt, d.NextAttemptAt, d.LastError = koomock.DeliveryDelivered, now, time.Time{}, ""
	case manual:
		d.LastError = Failure(e)
		if d.Status == koomock.DeliveryPending {
			d.Status = koomock.DeliveryFailed
		}
	case d.Every > 0 && !now.Add(d.Every).After(d.GiveUpAt):
		d.Status, d.NextAttemptAt, d.LastError = koomock.DeliveryRetrying, now.Add(d.Every), Failure(e)
		if _, err := c.Scheduler.Schedule(ctx, jobKind, jobKey(d.ID), d.NextAttemptAt, d.Attempts+1, retryPayload{Delivery: d.ID}); err != nil {
			return e, err
		}
	default:
		d.Status, d.NextAttemptAt, d.LastError = koomock.DeliveryFailed, time.Time{}, Failure(e)
		c.Logger.Warn("gave up a callback", "activity", d.Activity, "delivery", d.ID, "attempts", d.Attempts, "reason", d.LastError)
	}
	if err := c.Store.PutDelivery(ctx, d); err != nil {
		return e, err
	}
	if k.Settle != nil {
		if err := k.Settle(ctx, d, e); err != nil {
			return e, fmt.Errorf("settle %s delivery %d: %w", d.Activity, d.ID, err)
		}
	}
	return e, nil
}

// Succeeded reports whether an exchange is a successful delivery: HTTP 200 and a success result code,
// and no failed Body-Sign (which fails only when --require-body-sign makes it required).
func Succeeded(e *koomock.Exchange) bool {
	if e.Response == nil || e.Response.Status != 200 {
		return false
	}
	if v, ok := e.Verdict(koomock.RuleBodySign); ok && v.Outcome == koomock.Fail {
		return false
	}
	v, ok := e.Verdict(koomock.RuleSucceeded)
	return ok && v.Outcome == koomock.Pass
}

// Failure says in one line why an attempt did not deliver.
func Failure(e *koomock.Exchange) string {
	if e.Error != "" {
		return e.Error
	}
	for _, v := range e.Failures() {
		return fmt.Sprintf("%s: %s", v.Rule, v.Message)
	}
	if e.Probe != "" {
		return "the callback carried the fault " + e.Probe + " and the seller refused it"
	}
	return "the seller did not acknowledge the callback"
}
