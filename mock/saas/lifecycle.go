package saas

import (
	"context"
	"errors"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/protocol"
	"github.com/koomock/koomock/store"
)

// step changes an instance's state (m.mu held) and returns the order it placed, if any, and the
// callbacks the change owes the seller.
type step func(ctx context.Context, in *koomock.Instance, req controlapi.InstanceAction) (*koomock.Order, []outgoing, error)

func (m *Market) steps() map[string]step {
	return map[string]step{
		controlapi.ActRenew:         m.renew,
		controlapi.ActConvert:       m.convert,
		controlapi.ActCancelRenewal: m.cancelRenewal,
		controlapi.ActUpgrade:       m.upgrade,
		controlapi.ActFreeze:        m.freeze,
		controlapi.ActUnfreeze:      m.unfreeze,
		controlapi.ActExpire:        m.expire,
		controlapi.ActRelease:       m.release,
		controlapi.ActUnsubscribe:   m.unsubscribe,
	}
}

// Act runs a lifecycle action on an instance: it places the order the action stands for, changes the
// instance as KooGallery would, and delivers the callbacks that follow, retried on schedule.
func (m *Market) Act(ctx context.Context, instanceID, action string, req controlapi.InstanceAction) (controlapi.ActionResult, error) {
	if err := m.needSeller(); err != nil {
		return controlapi.ActionResult{}, err
	}
	switch action {
	case controlapi.ActChangeCheck:
		return m.changeCheckAction(ctx, instanceID, req)
	case controlapi.ActRenewalChange:
		return m.renewalChange(ctx, instanceID, req)
	}
	fn, ok := m.steps()[action]
	if !ok {
		return controlapi.ActionResult{}, controlapi.Errorf(controlapi.CodeNotFound, "no action %q; actions: %v", action, controlapi.Actions)
	}
	return m.act(ctx, instanceID, req, fn, nil)
}

// act runs fn under the market's lock, then sends what it owes, after the callbacks in before.
func (m *Market) act(ctx context.Context, instanceID string, req controlapi.InstanceAction, fn step, before []*koomock.Exchange) (controlapi.ActionResult, error) {
	if req.ExpireTimeDigits != 0 && req.ExpireTimeDigits != 14 && req.ExpireTimeDigits != protocol.MillisLayoutDigits {
		return controlapi.ActionResult{}, controlapi.Errorf(controlapi.CodeInvalid, "expireTimeDigits must be 14 or 17")
	}
	m.mu.Lock()
	in, err := m.instance(ctx, instanceID)
	if err != nil {
		m.mu.Unlock()
		return controlapi.ActionResult{}, err
	}
	o, out, err := fn(ctx, &in, req)
	m.mu.Unlock()
	if err != nil {
		return controlapi.ActionResult{}, err
	}
	res := controlapi.ActionResult{Order: o, Exchanges: before}
	ds, es, err := m.start(ctx, out)
	res.Deliveries, res.Exchanges = ds, append(res.Exchanges, es...)
	if err != nil {
		return res, err
	}
	if res.Instance, err = m.Store.Instance(ctx, instanceID); err != nil {
		return res, err
	}
	if o != nil {
		fresh, err := m.Store.Order(ctx, o.ID)
		if err != nil {
			return res, err
		}
		res.Order = &fresh
	}
	return res, nil
}

func (m *Market) instance(ctx context.Context, id string) (koomock.Instance, error) {
	in, err := m.Store.Instance(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return in, controlapi.Errorf(controlapi.CodeNotFound, "instance %s does not exist", id)
	}
	return in, err
}

func conflict(format string, args ...any) error {
	return controlapi.Errorf(controlapi.CodeConflict, format, args...)
}

func live(in koomock.Instance) error {
	switch in.State {
	case koomock.InstanceReleased:
		return conflict("instance %s was released", in.ID)
	case koomock.InstanceFailed:
		return conflict("instance %s was never delivered: its creation failed", in.ID)
	}
	return nil
}

// followUp places an order that acts on an existing instance (renewal, conversion, change,
// unsubscription), for product p.
func (m *Market) followUp(ctx context.Context, in koomock.Instance, typ koomock.OrderType, p fixtures.Product, linear int) (koomock.Order, error) {
	o := koomock.Order{
		Type: typ, ChargingMode: p.ChargingMode, ProductID: p.ID, SKUCode: p.SKUCode, ProductName: p.Name, LinearValue: linear,
		CustomerID: m.Catalog.Customer.ID, CustomerName: m.Catalog.Customer.Name,
		InstanceID: in.ID, Status: koomock.OrderPending, CreatedAt: m.Now(),
	}
	return o, m.createOrder(ctx, &o)
}

// product picks the product an action moves the instance to: the one named, of the instance's charging
// mode, or the instance's own.
func (m *Market) product(in koomock.Instance, id string) (fixtures.Product, error) {
	if id == "" {
		id = in.ProductID
	}
	p, ok := m.Catalog.Product(id)
	if !ok {
		return p, controlapi.Errorf(controlapi.CodeInvalid, "product %s is not in the catalog", id)
	}
	if p.ChargingMode != in.ChargingMode {
		return p, controlapi.Errorf(controlapi.CodeInvalid, "product %s is sold %s; instance %s is %s", p.ID, p.ChargingMode, in.ID, in.ChargingMode)
	}
	return p, nil
}

// period is the period a renewal or conversion buys: the one asked for, or the instance's own.
func (m *Market) period(ctx context.Context, in koomock.Instance, req controlapi.InstanceAction) (koomock.PeriodType, int) {
	unit, n := req.PeriodType, req.PeriodNumber
	if unit == "" {
		unit = koomock.PeriodYear
		if o, err := m.Store.Order(ctx, in.OrderID); err == nil && o.Type == koomock.OrderNew && o.PeriodType != "" {
			unit = o.PeriodType
		}
	}
	if n == 0 {
		n = 1
	}
	return unit, n
}

// unfrozen lifts the freeze of an instance that a renewal or conversion paid for.
func (m *Market) unfrozen(ctx context.Context, in *koomock.Instance) ([]outgoing, error) {
	if in.State != koomock.InstanceFrozen {
		return nil, nil
	}
	in.State, in.FrozenAt, in.ReleaseAt = koomock.InstanceActive, time.Time{}, time.Time{}
	if err := m.cancelTimers(ctx, in.ID, false); err != nil {
		return nil, err
	}
	return []outgoing{m.status(*in, protocol.StatusUnfreeze)}, nil
}

// extend places a renewal-like order that moves the instance's expiry to end, saves the instance and
// returns the refreshInstance (and UNFREEZE) it owes.
func (m *Market) extend(ctx context.Context, in *koomock.Instance, o *koomock.Order, scene protocol.Scene, productID string, digits int) ([]outgoing, error) {
	in.ExpireAt = o.ExpireAt
	thaw, err := m.unfrozen(ctx, in)
	if err != nil {
		return nil, err
	}
	if err := m.scheduleExpiry(ctx, *in); err != nil {
		return nil, err
	}
	if err := m.Store.PutInstance(ctx, *in); err != nil {
		return nil, err
	}
	if err := m.Store.UpdateOrder(ctx, *o); err != nil {
		return nil, err
	}
	return append([]outgoing{m.refresh(scene, *in, *o, productID, digits)}, thaw...), nil
}

// renew is a renewal: the period is extended from the current expiry, and a frozen instance is
// unfrozen (spec saas-v2 §1, §3.3 RENEWAL).
func (m *Market) renew(ctx context.Context, in *koomock.Instance, req controlapi.InstanceAction) (*koomock.Order, []outgoing, error) {
	if err := renewable(*in); err != nil {
		return nil, nil, err
	}
	p, err := m.product(*in, req.ProductID)
	if err != nil {
		return nil, nil, err
	}
	return m.renewTo(ctx, in, req, p, protocol.SceneRenewal, req.ProductID)
}

func renewable(in koomock.Instance) error {
	if err := live(in); err != nil {
		return err
	}
	if in.ChargingMode != koomock.ChargingPeriod || in.ExpireAt.IsZero() {
		return conflict("instance %s is %s: only periodic instances are renewed", in.ID, in.ChargingMode)
	}
	if in.Trial {
		return conflict("instance %s is a trial: convert it to a formal purchase instead", in.ID)
	}
	return nil
}

func (m *Market) renewTo(ctx context.Context, in *koomock.Instance, req controlapi.InstanceAction, p fixtures.Product, scene protocol.Scene, productID string) (*koomock.Order, []outgoing, error) {
	unit, n := m.period(ctx, *in, req)
	end, err := periodEnd(in.ExpireAt, unit, n)
	if err != nil {
		return nil, nil, err
	}
	o, err := m.followUp(ctx, *in, koomock.OrderRenew, p, in.LinearValue)
	if err != nil {
		return nil, nil, err
	}
	o.PeriodType, o.PeriodNumber, o.PreviousExpireAt, o.ExpireAt = unit, n, in.ExpireAt, end
	if scene == protocol.SceneRenewalChange {
		in.ProductID, in.SKUCode = p.ID, p.SKUCode
	}
	out, err := m.extend(ctx, in, &o, scene, productID, req.ExpireTimeDigits)
	return &o, out, err
}

// convert turns a trial into a formal purchase, whose period starts now (§3.3 TRIAL_TO_FORMAL).
func (m *Market) convert(ctx context.Context, in *koomock.Instance, req controlapi.InstanceAction) (*koomock.Order, []outgoing, error) {
	if err := live(*in); err != nil {
		return nil, nil, err
	}
	if !in.Trial {
		return nil, nil, conflict("instance %s is not a trial", in.ID)
	}
	p, err := m.product(*in, req.ProductID)
	if err != nil {
		return nil, nil, err
	}
	unit, n := req.PeriodType, req.PeriodNumber
	if unit == "" {
		unit = koomock.PeriodYear
	}
	if n == 0 {
		n = 1
	}
	end, err := periodEnd(m.Now(), unit, n)
	if err != nil {
		return nil, nil, err
	}
	o, err := m.followUp(ctx, *in, koomock.OrderTrialToFormal, p, in.LinearValue)
	if err != nil {
		return nil, nil, err
	}
	o.PeriodType, o.PeriodNumber, o.PreviousExpireAt, o.ExpireAt = unit, n, in.ExpireAt, end
	in.Trial, in.ProductID, in.SKUCode = false, p.ID, p.SKUCode
	out, err := m.extend(ctx, in, &o, protocol.SceneTrialToFormal, req.ProductID, req.ExpireTimeDigits)
	return &o, out, err
}

// cancelRenewal refunds the latest renewal whose period has not begun (退续费): the expiry goes back
// to what it was (§3.3 UNSUBSCRIBE_RENEWAL_PERIOD).
func (m *Market) cancelRenewal(ctx context.Context, in *koomock.Instance, req controlapi.InstanceAction) (*koomock.Order, []outgoing, error) {
	if err := live(*in); err != nil {
		return nil, nil, err
	}
	orders, err := m.Store.OrdersOfInstance(ctx, in.ID)
	if err != nil {
		return nil, nil, err
	}
	var renewal *koomock.Order
	for j := len(orders) - 1; j >= 0; j-- {
		if o := orders[j]; o.Type == koomock.OrderRenew && o.Status != koomock.OrderRefunded && o.ExpireAt.Equal(in.ExpireAt) {
			renewal = &orders[j]
			break
		}
	}
	if renewal == nil {
		return nil, nil, conflict("instance %s has no renewal to cancel", in.ID)
	}
	if !renewal.PreviousExpireAt.After(m.Now()) {
		return nil, nil, conflict("the renewal %s began on %s: only a renewal whose period has not begun can be cancelled",
			renewal.ID, renewal.PreviousExpireAt.Format(time.RFC3339))
	}
	p, err := m.product(*in, "")
	if err != nil {
		return nil, nil, err
	}
	o, err := m.followUp(ctx, *in, koomock.OrderUnsubscribe, p, in.LinearValue)
	if err != nil {
		return nil, nil, err
	}
	o.ExpireAt = renewal.PreviousExpireAt
	renewal.Status = koomock.OrderRefunded
	if err := m.Store.UpdateOrder(ctx, *renewal); err != nil {
		return nil, nil, err
	}
	out, err := m.extend(ctx, in, &o, protocol.SceneUnsubscribeRenewal, "", req.ExpireTimeDigits)
	return &o, out, err
}

// upgrade changes the instance's specification with a CHANGE order (§3.6); the instance takes the new
// product once the seller acknowledges.
func (m *Market) upgrade(ctx context.Context, in *koomock.Instance, req controlapi.InstanceAction) (*koomock.Order, []outgoing, error) {
	if err := live(*in); err != nil {
		return nil, nil, err
	}
	id := req.ProductID
	if id == "" && req.LinearValue == 0 {
		id = m.otherProduct(*in)
	}
	p, err := m.product(*in, id)
	if err != nil {
		return nil, nil, err
	}
	linear := req.LinearValue
	if linear == 0 {
		linear = in.LinearValue
	}
	if p.ID == in.ProductID && linear == in.LinearValue {
		return nil, nil, controlapi.Errorf(controlapi.CodeInvalid, "an upgrade needs another product or another linearValue")
	}
	o, err := m.followUp(ctx, *in, koomock.OrderChange, p, linear)
	if err != nil {
		return nil, nil, err
	}
	o.ExpireAt = in.ExpireAt
	if err := m.Store.UpdateOrder(ctx, o); err != nil {
		return nil, nil, err
	}
	return &o, []outgoing{m.callback(protocol.UpgradeInstance, *in, &o, nil)}, nil
}

// otherProduct is a product of the instance's charging mode other than its own, or its own.
func (m *Market) otherProduct(in koomock.Instance) string {
	for _, p := range m.Catalog.Products {
		if p.ChargingMode == in.ChargingMode && p.ID != in.ProductID {
			return p.ID
		}
	}
	return in.ProductID
}

// freeze is a freeze for a violation or arrears (§3.4); it starts no freeze window.
func (m *Market) freeze(ctx context.Context, in *koomock.Instance, _ controlapi.InstanceAction) (*koomock.Order, []outgoing, error) {
	if err := live(*in); err != nil {
		return nil, nil, err
	}
	if in.State != koomock.InstanceActive {
		return nil, nil, conflict("instance %s is %s, not active", in.ID, in.State)
	}
	in.State, in.FrozenAt = koomock.InstanceFrozen, m.Now()
	if err := m.Store.PutInstance(ctx, *in); err != nil {
		return nil, nil, err
	}
	return nil, []outgoing{m.status(*in, protocol.StatusFreeze)}, nil
}

// unfreeze lifts a freeze; an instance whose period has ended must be renewed instead.
func (m *Market) unfreeze(ctx context.Context, in *koomock.Instance, _ controlapi.InstanceAction) (*koomock.Order, []outgoing, error) {
	if in.State != koomock.InstanceFrozen {
		return nil, nil, conflict("instance %s is %s, not frozen", in.ID, in.State)
	}
	if !in.ExpireAt.IsZero() && !in.ExpireAt.After(m.Now()) {
		return nil, nil, conflict("instance %s expired on %s: renew it to unfreeze it", in.ID, in.ExpireAt.Format(time.RFC3339))
	}
	out, err := m.unfrozen(ctx, in)
	if err != nil {
		return nil, nil, err
	}
	return nil, out, m.Store.PutInstance(ctx, *in)
}

// expire ends the instance's period now, as the clock reaching expireTime does.
func (m *Market) expire(ctx context.Context, in *koomock.Instance, _ controlapi.InstanceAction) (*koomock.Order, []outgoing, error) {
	if err := live(*in); err != nil {
		return nil, nil, err
	}
	if in.ExpireAt.IsZero() || in.State != koomock.InstanceActive {
		return nil, nil, conflict("instance %s is %s %s: only an active periodic instance expires", in.ID, in.State, in.ChargingMode)
	}
	in.ExpireAt = m.Now()
	if err := m.scheduleExpiry(ctx, *in); err != nil {
		return nil, nil, err
	}
	out, err := m.freezeExpired(ctx, in)
	return nil, []outgoing{out}, err
}

// release releases the instance now; releasing one already released sends releaseInstance again,
// which the seller must accept (§3.5).
func (m *Market) release(ctx context.Context, in *koomock.Instance, _ controlapi.InstanceAction) (*koomock.Order, []outgoing, error) {
	out := m.callback(protocol.ReleaseInstance, *in, nil, nil)
	if in.State == koomock.InstanceReleased {
		out.kind = kindReleaseAgain
		return nil, []outgoing{out}, nil
	}
	if in.State == koomock.InstanceFailed {
		return nil, nil, live(*in)
	}
	return nil, []outgoing{out}, m.released(ctx, in)
}

func (m *Market) released(ctx context.Context, in *koomock.Instance) error {
	in.State, in.ReleasedAt = koomock.InstanceReleased, m.Now()
	if err := m.cancelTimers(ctx, in.ID, true); err != nil {
		return err
	}
	return m.Store.PutInstance(ctx, *in)
}

// unsubscribe is the buyer's unsubscription (退订): an UNSUBSCRIBE order, and the instance released
// with it (§3.5).
func (m *Market) unsubscribe(ctx context.Context, in *koomock.Instance, _ controlapi.InstanceAction) (*koomock.Order, []outgoing, error) {
	if err := live(*in); err != nil {
		return nil, nil, err
	}
	p, err := m.product(*in, "")
	if err != nil {
		return nil, nil, err
	}
	o, err := m.followUp(ctx, *in, koomock.OrderUnsubscribe, p, in.LinearValue)
	if err != nil {
		return nil, nil, err
	}
	return &o, []outgoing{m.callback(protocol.ReleaseInstance, *in, &o, nil)}, m.released(ctx, in)
}
