package license

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/protocol"
	"github.com/koomock/koomock/store"
)

// Limits of the control API's license requests.
const (
	maxCodesPerRequest = 100
	maxAmount          = 999_999_999
	maxTestValidity    = 100 * 365 * 24 * time.Hour
	codeLength         = 16 // random characters after "PL"
)

// Buy sells codes as a buyer's purchase would: one order, Count codes, each received at once unless
// NotReceived is set. Each code expires at the end of the period.
func (s *Service) Buy(ctx context.Context, req controlapi.LicensePurchase) (controlapi.LicenseCodes, error) {
	if req.PeriodType == "" {
		req.PeriodType = koomock.PeriodYear
	}
	if req.PeriodNumber == 0 {
		req.PeriodNumber = 1
	}
	if req.PeriodNumber < 1 || req.PeriodNumber > 100 {
		return controlapi.LicenseCodes{}, controlapi.Errorf(controlapi.CodeInvalid, "periodNumber must be 1 to 100, not %d", req.PeriodNumber)
	}
	now := s.Now()
	end, ok := req.PeriodType.End(now, req.PeriodNumber)
	if !ok {
		return controlapi.LicenseCodes{}, controlapi.Errorf(controlapi.CodeInvalid, "periodType must be year, month or day, not %q", req.PeriodType)
	}
	o := s.newOrder(koomock.OrderNew, now)
	o.PeriodType, o.PeriodNumber, o.ExpireAt = req.PeriodType, req.PeriodNumber, end
	return s.issue(ctx, o, req.Count, req.Amount, !req.NotReceived)
}

// TestCodes makes test codes as the seller console does: received at once, testFlag "1", valid for
// the requested time.
func (s *Service) TestCodes(ctx context.Context, req controlapi.TestCodesRequest) (controlapi.LicenseCodes, error) {
	validity := DefaultTestValidity
	if req.Validity != "" {
		d, err := controlapi.ParseDuration(req.Validity)
		if err != nil || d <= 0 || d > maxTestValidity {
			return controlapi.LicenseCodes{}, controlapi.Errorf(controlapi.CodeInvalid, "validity must be a positive duration of at most 100 years, like \"30d\" or \"720h\", not %q", req.Validity)
		}
		validity = d
	}
	now := s.Now()
	o := s.newOrder(koomock.OrderNew, now)
	o.TestFlag, o.ExpireAt = protocol.TestFlagDebug, now.Add(validity)
	return s.issue(ctx, o, req.Count, req.Amount, true)
}

// newOrder returns an order of the license product, not yet stored.
func (s *Service) newOrder(kind koomock.OrderType, now time.Time) koomock.Order {
	p := s.Catalog.Products[0]
	return koomock.Order{
		Type: kind, ChargingMode: koomock.ChargingPeriod,
		ProductID: p.ID, SKUCode: p.SKUCode, ProductName: p.Name,
		CustomerID: s.Customer.ID, CustomerName: s.Customer.Name,
		Status: koomock.OrderDelivered, CreatedAt: now,
	}
}

// storeOrder stores o under a fresh order ID. A test order (test codes, the demo codes) only gets an
// ID: test codes are made in the seller console, not bought, so no order of theirs shows among the
// buyer's orders or answers the order query.
func (s *Service) storeOrder(ctx context.Context, o *koomock.Order) error {
	if o.TestFlag != "" && o.Type == koomock.OrderNew {
		o.ID = s.IDs.OrderID(o.CreatedAt)
		o.LineID = o.ID + "-000001"
		return nil
	}
	for range 5 {
		o.ID = s.IDs.OrderID(o.CreatedAt)
		o.LineID = o.ID + "-000001"
		if err := s.Store.CreateOrder(ctx, *o); !errors.Is(err, store.ErrExists) {
			return err
		}
	}
	return errors.New("create order: five order IDs in a row were taken")
}

// issue stores the order and count codes of it, and schedules their expiry.
func (s *Service) issue(ctx context.Context, o koomock.Order, count, amount int, received bool) (controlapi.LicenseCodes, error) {
	if count == 0 {
		count = 1
	}
	if amount == 0 {
		amount = 1
	}
	if count < 1 || count > maxCodesPerRequest {
		return controlapi.LicenseCodes{}, controlapi.Errorf(controlapi.CodeInvalid, "count must be 1 to %d, not %d", maxCodesPerRequest, count)
	}
	if amount < 1 || amount > maxAmount {
		return controlapi.LicenseCodes{}, controlapi.Errorf(controlapi.CodeInvalid, "amount must be 1 to %d, not %d", maxAmount, amount)
	}
	if err := s.storeOrder(ctx, &o); err != nil {
		return controlapi.LicenseCodes{}, err
	}
	var codes []koomock.LicenseCode
	var events []koomock.LicenseEvent
	for range count {
		c := koomock.LicenseCode{
			Code: "PL" + s.IDs.Alnum(codeLength), OrderID: o.ID, OrderLineID: o.LineID, ProductID: o.ProductID,
			Amount: amount, TestFlag: o.TestFlag, State: koomock.LicenseActive, CreatedAt: o.CreatedAt, ExpireAt: o.ExpireAt,
		}
		events = append(events, koomock.LicenseEvent{Code: c.Code, Kind: koomock.LicenseEventIssued, At: o.CreatedAt, OrderID: o.ID})
		if received {
			c.ReceivedAt = o.CreatedAt
			events = append(events, koomock.LicenseEvent{Code: c.Code, Kind: koomock.LicenseEventReceived, At: o.CreatedAt})
		}
		codes = append(codes, c)
	}
	// 36^16 codes make a collision practically impossible; a taken one fails the request rather than
	// being retried, which keeps issue simple.
	if err := s.create(ctx, codes, events); err != nil {
		return controlapi.LicenseCodes{}, err
	}
	for _, c := range codes {
		if err := s.scheduleExpiry(ctx, c); err != nil {
			return controlapi.LicenseCodes{}, err
		}
	}
	return controlapi.LicenseCodes{Order: &o, Codes: codes}, nil
}

// ensureDemoCodes creates the demo test codes that do not exist yet, valid for a year.
func (s *Service) ensureDemoCodes(ctx context.Context) error {
	var missing []string
	for _, name := range fixtures.DemoLicenseCodes {
		if _, ok := s.code(name); !ok {
			missing = append(missing, name)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	now := s.Now()
	o := s.newOrder(koomock.OrderNew, now)
	o.TestFlag, o.ExpireAt = protocol.TestFlagDebug, now.AddDate(1, 0, 0)
	if err := s.storeOrder(ctx, &o); err != nil {
		return err
	}
	var codes []koomock.LicenseCode
	var events []koomock.LicenseEvent
	for _, name := range missing {
		codes = append(codes, koomock.LicenseCode{
			Code: name, OrderID: o.ID, OrderLineID: o.LineID, ProductID: o.ProductID, Amount: 1, TestFlag: o.TestFlag,
			State: koomock.LicenseActive, CreatedAt: now, ReceivedAt: now, ExpireAt: o.ExpireAt,
		})
		events = append(events,
			koomock.LicenseEvent{Code: name, Kind: koomock.LicenseEventIssued, At: now, OrderID: o.ID, Note: "demo test code"},
			koomock.LicenseEvent{Code: name, Kind: koomock.LicenseEventReceived, At: now})
	}
	if err := s.create(ctx, codes, events); err != nil {
		return fmt.Errorf("create the demo license codes: %w", err)
	}
	for _, c := range codes {
		if err := s.scheduleExpiry(ctx, c); err != nil {
			return err
		}
	}
	return nil
}

// DemoCodes returns the demo test codes as they stand.
func (s *Service) DemoCodes() []koomock.LicenseCode {
	var out []koomock.LicenseCode
	for _, name := range fixtures.DemoLicenseCodes {
		if c, ok := s.code(name); ok {
			out = append(out, c)
		}
	}
	return out
}

// Receive marks a code as received by the buyer (已领取), which allows activating it.
func (s *Service) Receive(ctx context.Context, name string) (controlapi.LicenseResult, error) {
	c, err := s.changeOne(ctx, name, func(c *koomock.LicenseCode) ([]koomock.LicenseEvent, error) {
		if c.Received() {
			return nil, nil
		}
		c.ReceivedAt = s.Now()
		return []koomock.LicenseEvent{{Code: c.Code, Kind: koomock.LicenseEventReceived, At: c.ReceivedAt}}, nil
	})
	return controlapi.LicenseResult{Code: c, Callbacks: []*koomock.Exchange{}}, err
}

// ActivateElsewhere activates a code as another installation of the seller's software would, so that
// the software under test finds it already activated.
func (s *Service) ActivateElsewhere(ctx context.Context, name string) (controlapi.LicenseResult, error) {
	now := s.Now()
	c, err := s.changeOne(ctx, name, func(c *koomock.LicenseCode) ([]koomock.LicenseEvent, error) {
		if r := checkActivation(*c, time.Time{}); r != nil {
			return nil, controlapi.Errorf(controlapi.CodeConflict, "%s cannot be activated: %s", c.Code, r.reason)
		}
		return activate(c, now, time.Time{}, "control", "activated by another installation, through the control API"), nil
	})
	return controlapi.LicenseResult{Code: c, Callbacks: []*koomock.Exchange{}}, err
}

// Renew renews a code for another period, from its current expiry: refreshLicenseCode (RENEWAL), then
// UNFREEZE when the renewal brings a frozen code back to life.
func (s *Service) Renew(ctx context.Context, name string, req controlapi.LicenseRenewal) (controlapi.LicenseResult, error) {
	if req.PeriodType == "" {
		req.PeriodType = koomock.PeriodYear
	}
	if req.PeriodNumber == 0 {
		req.PeriodNumber = 1
	}
	if req.PeriodNumber < 1 || req.PeriodNumber > 100 {
		return controlapi.LicenseResult{}, controlapi.Errorf(controlapi.CodeInvalid, "periodNumber must be 1 to 100, not %d", req.PeriodNumber)
	}
	if _, ok := req.PeriodType.End(time.Time{}, 1); !ok {
		return controlapi.LicenseResult{}, controlapi.Errorf(controlapi.CodeInvalid, "periodType must be year, month or day, not %q", req.PeriodType)
	}
	now := s.Now()
	o := s.newOrder(koomock.OrderRenew, now)
	o.PeriodType, o.PeriodNumber = req.PeriodType, req.PeriodNumber
	var unfrozen bool
	c, err := s.changeOne(ctx, name, func(c *koomock.LicenseCode) ([]koomock.LicenseEvent, error) {
		if c.State == koomock.LicenseReleased {
			return nil, controlapi.Errorf(controlapi.CodeConflict, "%s was released; a released code cannot be renewed", c.Code)
		}
		o.TestFlag = c.TestFlag
		end, _ := req.PeriodType.End(c.ExpireAt, req.PeriodNumber)
		o.ExpireAt = end
		if err := s.storeOrder(ctx, &o); err != nil {
			return nil, err
		}
		c.Renewals = append(c.Renewals, koomock.LicenseRenewal{OrderID: o.ID, OrderLineID: o.LineID, From: c.ExpireAt, To: end})
		events := []koomock.LicenseEvent{{Code: c.Code, Kind: koomock.LicenseEventRenewed, At: now, OrderID: o.ID,
			Note: "expires " + protocol.FormatLicenseTime(end)}}
		c.ExpireAt = end
		if c.State == koomock.LicenseFrozen && end.After(now) {
			c.State, c.FrozenAt, unfrozen = koomock.LicenseActive, time.Time{}, true
			events = append(events, koomock.LicenseEvent{Code: c.Code, Kind: koomock.LicenseEventUnfrozen, At: now})
		}
		return events, nil
	})
	if err != nil {
		return controlapi.LicenseResult{}, err
	}
	if err := s.afterExpiryMoved(ctx, c, unfrozen); err != nil {
		return controlapi.LicenseResult{}, err
	}
	res := controlapi.LicenseResult{Code: c, Callbacks: []*koomock.Exchange{}}
	if err := s.sendAll(ctx, &res, refreshCallback(c, protocol.SceneRenewal, o)); err != nil {
		return res, err
	}
	if unfrozen {
		if err := s.sendAll(ctx, &res, statusCallback(c, protocol.StatusUnfreeze)); err != nil {
			return res, err
		}
	}
	return res, nil
}

// UnsubscribeRenewal takes the last renewal back (退订续费周期): the expiry returns to what it was before,
// announced with refreshLicenseCode (UNSUBSCRIBE_RENEWAL_PERIOD); a code whose expiry is then past is
// frozen at once.
func (s *Service) UnsubscribeRenewal(ctx context.Context, name string) (controlapi.LicenseResult, error) {
	now := s.Now()
	o := s.newOrder(koomock.OrderUnsubscribe, now)
	c, err := s.changeOne(ctx, name, func(c *koomock.LicenseCode) ([]koomock.LicenseEvent, error) {
		if c.State == koomock.LicenseReleased {
			return nil, controlapi.Errorf(controlapi.CodeConflict, "%s was released", c.Code)
		}
		if len(c.Renewals) == 0 {
			return nil, controlapi.Errorf(controlapi.CodeConflict, "%s has no renewal to unsubscribe", c.Code)
		}
		last := c.Renewals[len(c.Renewals)-1]
		c.Renewals = c.Renewals[:len(c.Renewals)-1]
		o.TestFlag, o.ExpireAt = c.TestFlag, last.From
		if err := s.storeOrder(ctx, &o); err != nil {
			return nil, err
		}
		c.ExpireAt = last.From
		return []koomock.LicenseEvent{{Code: c.Code, Kind: koomock.LicenseEventRenewalUndone, At: now, OrderID: o.ID,
			Note: "renewal " + last.OrderID + " unsubscribed; expires " + protocol.FormatLicenseTime(last.From)}}, nil
	})
	if err != nil {
		return controlapi.LicenseResult{}, err
	}
	res := controlapi.LicenseResult{Code: c, Callbacks: []*koomock.Exchange{}}
	if err := s.sendAll(ctx, &res, refreshCallback(c, protocol.SceneUnsubscribeRenewal, o)); err != nil {
		return res, err
	}
	if c.State == koomock.LicenseActive && !c.ExpireAt.After(now) {
		return s.freeze(ctx, c.Code, res)
	}
	return res, s.afterExpiryMoved(ctx, c, false)
}

// Expire brings a code's expiry to now: it is frozen at once (FREEZE), as it would be when the clock
// reaches its expiry.
func (s *Service) Expire(ctx context.Context, name string) (controlapi.LicenseResult, error) {
	now := s.Now()
	c, err := s.changeOne(ctx, name, func(c *koomock.LicenseCode) ([]koomock.LicenseEvent, error) {
		if c.State != koomock.LicenseActive {
			return nil, controlapi.Errorf(controlapi.CodeConflict, "%s is %s, not active", c.Code, c.State)
		}
		if c.ExpireAt.After(now) {
			c.ExpireAt = now
		}
		return nil, nil
	})
	if err != nil {
		return controlapi.LicenseResult{}, err
	}
	return s.freeze(ctx, c.Code, controlapi.LicenseResult{Code: c, Callbacks: []*koomock.Exchange{}})
}

// freeze freezes an active code whose expiry has come (FREEZE), and schedules its release at the end
// of the freeze window. It does nothing to a code in any other state, so that a repeated job is
// harmless.
func (s *Service) freeze(ctx context.Context, name string, res controlapi.LicenseResult) (controlapi.LicenseResult, error) {
	now := s.Now()
	changed := false
	c, err := s.changeOne(ctx, name, func(c *koomock.LicenseCode) ([]koomock.LicenseEvent, error) {
		if c.State != koomock.LicenseActive || c.ExpireAt.After(now) {
			return nil, nil
		}
		c.State, c.FrozenAt, changed = koomock.LicenseFrozen, now, true
		return []koomock.LicenseEvent{{Code: c.Code, Kind: koomock.LicenseEventFrozen, At: now,
			Note: "released after " + now.Add(s.Settings.FreezeWindow).UTC().Format(time.RFC3339) + " unless renewed"}}, nil
	})
	res.Code = c
	if err != nil || !changed {
		return res, err
	}
	if err := s.Scheduler.Cancel(ctx, expireKey(c.Code)); err != nil {
		return res, err
	}
	if _, err := s.Scheduler.Schedule(ctx, jobFreezeEnd, freezeEndKey(c.Code), now.Add(s.Settings.FreezeWindow), 1, jobPayload{Code: c.Code}); err != nil {
		return res, err
	}
	return res, s.sendAll(ctx, &res, statusCallback(c, protocol.StatusFreeze))
}

// Release releases a code now, as KooGallery does at the end of the freeze window (releaseLicenseCode
// without an order). A code already released gets releaseLicenseCode again, as KooGallery resends it:
// the seller must answer success again.
func (s *Service) Release(ctx context.Context, name string) (controlapi.LicenseResult, error) {
	return s.release(ctx, name, koomock.Order{}, true)
}

// Unsubscribe releases a code on the buyer's unsubscription (退订): releaseLicenseCode with the
// unsubscription order.
func (s *Service) Unsubscribe(ctx context.Context, name string) (controlapi.LicenseResult, error) {
	c, ok := s.code(name)
	if !ok {
		return controlapi.LicenseResult{}, controlapi.Errorf(controlapi.CodeNotFound, "license code %s does not exist", name)
	}
	if c.State == koomock.LicenseReleased {
		return controlapi.LicenseResult{}, controlapi.Errorf(controlapi.CodeConflict, "%s was already released", name)
	}
	o := s.newOrder(koomock.OrderUnsubscribe, s.Now())
	o.TestFlag = c.TestFlag
	if err := s.storeOrder(ctx, &o); err != nil {
		return controlapi.LicenseResult{}, err
	}
	return s.release(ctx, name, o, false)
}

// release releases a code (with the unsubscription order o, if any), or, when resend is set and the
// code is already released, sends releaseLicenseCode again.
func (s *Service) release(ctx context.Context, name string, o koomock.Order, resend bool) (controlapi.LicenseResult, error) {
	now := s.Now()
	again := false
	c, err := s.changeOne(ctx, name, func(c *koomock.LicenseCode) ([]koomock.LicenseEvent, error) {
		if c.State == koomock.LicenseReleased {
			if !resend {
				return nil, controlapi.Errorf(controlapi.CodeConflict, "%s was already released", c.Code)
			}
			again = true
			return nil, nil
		}
		c.State, c.ReleasedAt = koomock.LicenseReleased, now
		c.ReleaseOrderID, c.ReleaseOrderLineID = o.ID, o.LineID
		return []koomock.LicenseEvent{{Code: c.Code, Kind: koomock.LicenseEventReleased, At: now, OrderID: o.ID}}, nil
	})
	if err != nil {
		return controlapi.LicenseResult{}, err
	}
	for _, key := range []string{expireKey(name), freezeEndKey(name)} {
		if err := s.Scheduler.Cancel(ctx, key); err != nil {
			return controlapi.LicenseResult{}, err
		}
	}
	res := controlapi.LicenseResult{Code: c, Callbacks: []*koomock.Exchange{}}
	kind := kindCallback
	if again {
		kind = kindReleaseAgain
	}
	return res, s.sendKind(ctx, &res, releaseCallback(c), kind)
}

// afterExpiryMoved reschedules the expiry of an active code, and cancels the end of the freeze window
// of one a renewal unfroze.
func (s *Service) afterExpiryMoved(ctx context.Context, c koomock.LicenseCode, unfrozen bool) error {
	if unfrozen {
		if err := s.Scheduler.Cancel(ctx, freezeEndKey(c.Code)); err != nil {
			return err
		}
	}
	if c.State != koomock.LicenseActive {
		return nil
	}
	return s.scheduleExpiry(ctx, c)
}

func (s *Service) scheduleExpiry(ctx context.Context, c koomock.LicenseCode) error {
	_, err := s.Scheduler.Schedule(ctx, jobExpire, expireKey(c.Code), c.ExpireAt, 1, jobPayload{Code: c.Code})
	return err
}
