package saas

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/ids"
	"github.com/koomock/koomock/mock/notify"
	"github.com/koomock/koomock/protocol"
	"github.com/koomock/koomock/store"
)

// Market is the SaaS marketplace. All fields are required except Logger.
type Market struct {
	Store    *store.DB
	Notifier *notify.Notifier
	Now      func() time.Time
	IDs      *ids.Source
	Catalog  fixtures.Catalog
	// SellerURL is the seller's production URL; AccessKey signs the basic interfaces.
	SellerURL string
	AccessKey string
	Logger    *slog.Logger
}

// Buy places an order as a buyer would and pays for it, which fires newInstance at the seller.
func (m *Market) Buy(ctx context.Context, req controlapi.BuyRequest) (controlapi.Purchase, error) {
	o, err := m.newOrder(req)
	if err != nil {
		return controlapi.Purchase{}, err
	}
	if err := m.createOrder(ctx, &o); err != nil {
		return controlapi.Purchase{}, err
	}
	return m.deliverNewInstance(ctx, o)
}

// Resend sends newInstance for an existing order again, with a new businessId, as KooGallery does when
// it did not get (or did not trust) the first answer.
func (m *Market) Resend(ctx context.Context, orderID string) (controlapi.Purchase, error) {
	o, err := m.Store.Order(ctx, orderID)
	if errors.Is(err, store.ErrNotFound) {
		return controlapi.Purchase{}, controlapi.Errorf(controlapi.CodeNotFound, "order %s does not exist", orderID)
	}
	if err != nil {
		return controlapi.Purchase{}, err
	}
	return m.deliverNewInstance(ctx, o)
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
	now := m.Now()
	o := koomock.Order{
		Type: koomock.OrderNew, ChargingMode: mode,
		ProductID: product.ID, SKUCode: product.SKUCode, ProductName: product.Name,
		CustomerID: m.Catalog.Customer.ID, CustomerName: m.Catalog.Customer.Name,
		TestFlag: req.TestFlag, Status: koomock.OrderPending, CreatedAt: now,
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
