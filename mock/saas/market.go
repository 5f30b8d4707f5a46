package saas

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/ids"
	"github.com/koomock/koomock/mock/delivery"
	"github.com/koomock/koomock/mock/notify"
	"github.com/koomock/koomock/mock/schedule"
	"github.com/koomock/koomock/protocol"
	"github.com/koomock/koomock/store"
)

// Options are the market's schedules and its switches for what the spec leaves uncertain.
type Options struct {
	// CreateRetry is how newInstance and upgradeInstance are retried (V1 docs: for 3 h); its window
	// also bounds the polling of an instance created asynchronously.
	CreateRetry delivery.Policy
	// OtherRetry is how renewal, expiry and release callbacks are retried (V1 docs: for 1 h).
	OtherRetry delivery.Policy
	// AsyncPollEvery is how often KooGallery polls queryInstance after a 000004 newInstance.
	AsyncPollEvery time.Duration
	// FreezeFor is the freeze window between expiry and release (spec saas-v2 §1: up to 15 days).
	FreezeFor time.Duration
	// TestFlagZero sends testFlag "0" on real callbacks instead of omitting it (older V2 pages).
	TestFlagZero bool
	// ProductInfoString sends changeInstanceCheck's productInfo as a JSON string instead of an object.
	ProductInfoString bool
	// ExpireTimeDigits is how refreshInstance writes expireTime: 14 (the documented format) or 17
	// (the documentation's example, with milliseconds).
	ExpireTimeDigits int
	// StrictUsageInfo fails queryInstance answers that spell usageInfo as usageInfos.
	StrictUsageInfo bool
}

// DefaultOptions are the documented behaviours: see README's "Fidelity and limits".
func DefaultOptions() Options {
	return Options{
		CreateRetry:      delivery.Policy{Every: 10 * time.Minute, For: 3 * time.Hour},
		OtherRetry:       delivery.Policy{Every: 10 * time.Minute, For: time.Hour},
		AsyncPollEvery:   5 * time.Minute,
		FreezeFor:        15 * 24 * time.Hour,
		ExpireTimeDigits: 14,
	}
}

// Market is the SaaS marketplace. Every field is required except Logger; call Init once after
// setting them.
type Market struct {
	Store     *store.DB
	Notifier  *notify.Notifier
	Courier   *delivery.Courier
	Scheduler *schedule.Scheduler
	Now       func() time.Time
	IDs       *ids.Source
	Catalog   fixtures.Catalog
	// SellerURL is the seller's production URL; AccessKey signs the basic interfaces.
	SellerURL string
	AccessKey string
	Options   Options
	Logger    *slog.Logger

	// mu serialises changes to orders and instances. It is never held while a callback is sent:
	// settling a delivery takes it again.
	mu sync.Mutex
}

// Open registers the market's delivery kinds and scheduled jobs: the flow contract's start.
func (m *Market) Open(context.Context) error {
	if m.Logger == nil {
		m.Logger = slog.New(slog.DiscardHandler)
	}
	m.Courier.Register(kindNewInstance, delivery.Kind{Build: m.buildNewInstance, Delivered: newInstanceDelivered, Settle: m.settleNewInstance})
	m.Courier.Register(kindCallback, delivery.Kind{Build: m.buildCallback, Settle: m.settleCallback})
	m.Courier.Register(kindReleaseAgain, delivery.Kind{Build: m.buildReleaseAgain, Settle: m.settleCallback})
	m.Scheduler.Handle(jobExpire, m.runExpire)
	m.Scheduler.Handle(jobRelease, m.runRelease)
	m.Scheduler.Handle(jobPoll, m.runPoll)
	return nil
}

// Buy places an order as a buyer would and pays for it, which fires newInstance at the seller.
func (m *Market) Buy(ctx context.Context, req controlapi.BuyRequest) (controlapi.Purchase, error) {
	if err := m.needSeller(); err != nil {
		return controlapi.Purchase{}, err
	}
	o, err := m.newOrder(req)
	if err != nil {
		return controlapi.Purchase{}, err
	}
	if err := m.createOrder(ctx, &o); err != nil {
		return controlapi.Purchase{}, err
	}
	e, err := m.startNewInstance(ctx, o)
	if err != nil {
		return controlapi.Purchase{}, err
	}
	p, err := m.Order(ctx, o.ID)
	p.Exchange = e
	return p, err
}

// Order returns an order with its instance, if the seller created one.
func (m *Market) Order(ctx context.Context, orderID string) (controlapi.Purchase, error) {
	o, err := m.Store.Order(ctx, orderID)
	if errors.Is(err, store.ErrNotFound) {
		return controlapi.Purchase{}, controlapi.Errorf(controlapi.CodeNotFound, "order %s does not exist", orderID)
	}
	if err != nil {
		return controlapi.Purchase{}, err
	}
	p := controlapi.Purchase{Order: o}
	if o.InstanceID != "" {
		in, err := m.Store.Instance(ctx, o.InstanceID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return p, err
		}
		if err == nil {
			p.Instance = &in
		}
	}
	return p, nil
}

// LookupOrder returns an order koomock placed or one of KooGallery's debug orders, as the order query
// API resolves them. A debug order is made up at the current time: its period runs from now.
func (m *Market) LookupOrder(ctx context.Context, orderID string) (koomock.Order, error) {
	if d, ok := m.Catalog.DebugOrder(orderID); ok {
		return m.debugOrder(d)
	}
	return m.Store.Order(ctx, orderID)
}

func (m *Market) debugOrder(d fixtures.DebugOrder) (koomock.Order, error) {
	p, _ := m.Catalog.Product(d.ProductID)
	now := m.Now()
	o := koomock.Order{
		ID: d.ID, LineID: d.ID + "-000001", Type: d.Type, ChargingMode: p.ChargingMode,
		PeriodType: d.PeriodType, PeriodNumber: d.PeriodNumber,
		ProductID: p.ID, SKUCode: p.SKUCode, ProductName: p.Name,
		CustomerID: m.Catalog.Customer.ID, CustomerName: m.Catalog.Customer.Name,
		TestFlag: protocol.TestFlagDebug, Status: koomock.OrderDelivered, CreatedAt: now,
	}
	if d.PeriodType != "" {
		end, err := periodEnd(now, d.PeriodType, d.PeriodNumber)
		if err != nil {
			return o, err
		}
		o.ExpireAt = end
	}
	return o, nil
}

// trialPeriod is a trial's length when the buyer names none.
const trialPeriod = 7

func (m *Market) newOrder(req controlapi.BuyRequest) (koomock.Order, error) {
	mode := req.ChargingMode
	if mode == "" {
		mode = koomock.ChargingPeriod
	}
	var product fixtures.Product
	var ok bool
	if req.ProductID != "" {
		if product, ok = m.Catalog.Product(req.ProductID); !ok {
			return koomock.Order{}, controlapi.Errorf(controlapi.CodeInvalid, "product %s is not in the catalog", req.ProductID)
		}
		if req.ChargingMode != "" && product.ChargingMode != mode {
			return koomock.Order{}, controlapi.Errorf(controlapi.CodeInvalid,
				"product %s is sold %s, not %s", product.ID, product.ChargingMode, mode)
		}
		mode = product.ChargingMode
	} else if product, ok = m.Catalog.ForMode(mode); !ok {
		return koomock.Order{}, controlapi.Errorf(controlapi.CodeInvalid,
			"charging mode %q is not one of PERIOD, ONE_TIME, ON_DEMAND, ON_DEMAND_PKG", mode)
	}
	if req.TestFlag != "" && req.TestFlag != protocol.TestFlagDebug && req.TestFlag != "0" {
		return koomock.Order{}, controlapi.Errorf(controlapi.CodeInvalid, `testFlag must be "1", "0" or empty, not %q`, req.TestFlag)
	}
	if req.LinearValue < 0 {
		return koomock.Order{}, controlapi.Errorf(controlapi.CodeInvalid, "linearValue must be positive")
	}
	now := m.Now()
	o := koomock.Order{
		Type: koomock.OrderNew, ChargingMode: mode,
		ProductID: product.ID, SKUCode: product.SKUCode, ProductName: product.Name, LinearValue: req.LinearValue,
		CustomerID: m.Catalog.Customer.ID, CustomerName: m.Catalog.Customer.Name,
		TestFlag: req.TestFlag, Status: koomock.OrderPending, CreatedAt: now, ExtendParams: req.ExtendParams,
	}
	if req.Trial {
		if mode != koomock.ChargingPeriod {
			return o, controlapi.Errorf(controlapi.CodeInvalid, "trials are of periodic products, not %s", mode)
		}
		o.Type = koomock.OrderTrial
		if req.PeriodType == "" && req.PeriodNumber == 0 {
			req.PeriodType, req.PeriodNumber = koomock.PeriodDay, trialPeriod
		}
	}
	if mode == koomock.ChargingPeriod {
		o.PeriodType, o.PeriodNumber = req.PeriodType, req.PeriodNumber
		if o.PeriodType == "" {
			o.PeriodType = koomock.PeriodYear
		}
		if o.PeriodNumber == 0 {
			o.PeriodNumber = 1
		}
		end, err := periodEnd(now, o.PeriodType, o.PeriodNumber)
		if err != nil {
			return o, err
		}
		o.ExpireAt = end
	} else if req.PeriodType != "" || req.PeriodNumber != 0 {
		return o, controlapi.Errorf(controlapi.CodeInvalid, "a %s order has no period", mode)
	}
	return o, nil
}

// periodEnd is when a period bought at start ends.
func periodEnd(start time.Time, unit koomock.PeriodType, n int) (time.Time, error) {
	if n < 1 || n > 100 {
		return time.Time{}, controlapi.Errorf(controlapi.CodeInvalid, "periodNumber must be 1 to 100, not %d", n)
	}
	switch unit {
	case koomock.PeriodYear:
		return start.AddDate(n, 0, 0), nil
	case koomock.PeriodMonth:
		return start.AddDate(0, n, 0), nil
	case koomock.PeriodDay:
		return start.AddDate(0, 0, n), nil
	}
	return time.Time{}, controlapi.Errorf(controlapi.CodeInvalid, "periodType must be year, month or day, not %q", unit)
}

// createOrder stores o under a fresh order ID, drawing again on the rare collision.
func (m *Market) createOrder(ctx context.Context, o *koomock.Order) error {
	for range 5 {
		o.ID = m.IDs.OrderID(o.CreatedAt)
		o.LineID = o.ID + "-000001"
		err := m.Store.CreateOrder(ctx, *o)
		if !errors.Is(err, store.ErrExists) {
			return err
		}
	}
	return fmt.Errorf("create order: five order IDs in a row were taken")
}

// testFlag sets a callback body's testFlag: "1" for debug calls, and for real ones nothing (newer V2
// pages) or "0" (older pages) as the options say, unless the order names its own.
func (m *Market) testFlag(body map[string]any, orderFlag string) {
	switch {
	case orderFlag != "":
		body[protocol.FieldTestFlag] = orderFlag
	case m.Options.TestFlagZero:
		body[protocol.FieldTestFlag] = "0"
	}
}

// ProductOf tells which product an order or an instance belongs to: the order's, else the
// instance's, else the catalog's periodic product (the seller's product, for debug calls about a
// stand-in instance).
func (m *Market) ProductOf(ctx context.Context, orderID, instanceID string) string {
	if orderID != "" {
		if o, err := m.LookupOrder(ctx, orderID); err == nil {
			return o.ProductID
		}
	}
	if instanceID != "" {
		if in, err := m.Store.Instance(ctx, instanceID); err == nil {
			return in.ProductID
		}
	}
	p, _ := m.Catalog.ForMode(koomock.ChargingPeriod)
	return p.ID
}
