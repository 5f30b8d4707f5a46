package seller

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/koomock/koomock/protocol"
)

// instance is what the seller keeps of each instance it created.
type instance struct {
	ID, OrderID, LineID string
	ProductID, SKUCode  string
	LinearValue         int
	ChargingMode        string
	ExpireTime          string
	Status              string
	// pollsLeft is how many more queryInstance calls an instance created asynchronously answers with
	// 000004 before it is ready.
	pollsLeft int
	// orders are the orders already applied to the instance, so a callback delivered twice is applied
	// once.
	orders map[string]bool
	meter  []usageRecord
}

// Instance statuses.
const (
	statusCreating = "creating"
	statusActive   = "active"
	statusFrozen   = "frozen"
	statusReleased = "released"
)

// ExtendParamProvisioning is the purchase-time parameter that asks the reference seller to create
// the instance asynchronously: with the value "async", newInstance answers 000004 and the instance is
// ready from the second queryInstance on.
const ExtendParamProvisioning = "provisioning"

// instanceState is the seller's state, guarded by Seller.mu. A restart is a fresh seller.
type instanceState struct {
	instances map[string]*instance
	byLine    map[string]string // orderId + "\x00" + orderLineId → instanceId
}

func (s *Seller) registerInstanceActivities() {
	s.instances, s.byLine = map[string]*instance{}, map[string]string{}
	s.handle(protocol.NewInstance, s.newInstance)
	s.handle(protocol.RefreshInstance, s.refreshInstance)
	s.handle(protocol.UpdateInstanceStatus, s.updateInstanceStatus)
	s.handle(protocol.ReleaseInstance, s.releaseInstance)
	s.handle(protocol.UpgradeInstance, s.upgradeInstance)
	s.handle(protocol.ChangeInstanceCheck, s.changeInstanceCheck)
	s.handle(protocol.OrderNotify, s.orderNotify)
}

type newInstanceAnswer struct {
	answer
	InstanceID string `json:"instanceId,omitempty"`
}

// newInstance creates an instance once per order line: a resend with a new businessId returns the
// instance created the first time (its businessId). It learns what was bought from the order query.
func (s *Seller) newInstance(ctx context.Context, f fields) any {
	orderID, lineID, businessID := f.str(protocol.FieldOrderID), f.str(protocol.FieldOrderLineID), f.str(protocol.FieldBusinessID)
	if f.missing(protocol.FieldOrderID, protocol.FieldOrderLineID, protocol.FieldBusinessID) {
		return badParam()
	}
	key := orderID + "\x00" + lineID
	if a, done := s.existing(key); done {
		return a
	}
	order, err := s.lookUpOrder(ctx, orderID, lineID)
	if errors.Is(err, errNoSuchOrder) {
		return badParam()
	}
	if err != nil {
		s.cfg.Logger.Warn("order query failed", "order", orderID, "err", err)
		return innerError() // KooGallery retries; the order may be readable then
	}
	if f.debug() {
		return newInstanceAnswer{ok(), businessID} // a debug call: no real work
	}
	in := &instance{ID: businessID, OrderID: orderID, LineID: lineID, Status: statusActive, orders: map[string]bool{orderID: true}}
	in.apply(order)
	a := newInstanceAnswer{ok(), in.ID}
	if order != nil && param(order, ExtendParamProvisioning) == "async" {
		in.Status, in.pollsLeft = statusCreating, 1
		a.answer = answer{protocol.ResultProcessing, msgProcessing}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if id, found := s.byLine[key]; found {
		return newInstanceAnswer{ok(), id} // the same order arrived twice at once
	}
	s.byLine[key], s.instances[in.ID] = in.ID, in
	if in.ChargingMode == chargingOnDemand {
		s.startMeter(in)
	}
	return a
}

// existing answers a resend of an order line the seller already created an instance for.
func (s *Seller) existing(key string) (newInstanceAnswer, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, found := s.byLine[key]
	if !found {
		return newInstanceAnswer{}, false
	}
	if s.instances[id].Status == statusCreating {
		return newInstanceAnswer{answer{protocol.ResultProcessing, msgProcessing}, id}, true
	}
	return newInstanceAnswer{ok(), id}, true
}

// apply takes what an order says about the product.
func (in *instance) apply(o *protocol.OrderInfo) {
	if o == nil || len(o.OrderLine) == 0 {
		return
	}
	line := o.OrderLine[0]
	in.ChargingMode, in.ExpireTime = line.ChargingMode, line.ExpireTime
	if len(line.ProductInfo) > 0 {
		p := line.ProductInfo[0]
		in.ProductID, in.SKUCode, in.LinearValue = p.ProductID, p.SKUCode, p.LinearValue
	}
}

func param(o *protocol.OrderInfo, key string) string {
	for _, p := range o.ExtendParams {
		if p.Key == key {
			return p.Value
		}
	}
	return ""
}

// find returns a live instance, or nil; a released one counts only when released is set.
func (s *Seller) find(id string, released bool) *instance {
	in := s.instances[id]
	if in == nil || (in.Status == statusReleased && !released) {
		return nil
	}
	return in
}

// refreshInstance records a new expiry (renewal, trial to formal, renewal cancellation, renewal
// change), accepting both the 14- and the 17-digit expireTime. An order already applied is not
// applied twice.
func (s *Seller) refreshInstance(_ context.Context, f fields) any {
	if f.missing(protocol.FieldScene, protocol.FieldOrderID, protocol.FieldOrderLineID, protocol.FieldInstanceID, protocol.FieldExpireTime) {
		return badParam()
	}
	switch protocol.Scene(f.str(protocol.FieldScene)) {
	case protocol.SceneRenewal, protocol.SceneTrialToFormal, protocol.SceneUnsubscribeRenewal, protocol.SceneRenewalChange:
	default:
		return badParam()
	}
	if _, err := protocol.ParseExpireTime(f.str(protocol.FieldExpireTime)); err != nil {
		return badParam()
	}
	if f.debug() {
		return ok()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	in := s.find(f.str(protocol.FieldInstanceID), false)
	if in == nil {
		return unknownInstance()
	}
	if order := f.str(protocol.FieldOrderID); !in.orders[order] {
		in.orders[order] = true
		in.ExpireTime = f.str(protocol.FieldExpireTime)
		if p := f.str(protocol.FieldProductID); p != "" {
			in.ProductID = p
		}
	}
	return ok()
}

// updateInstanceStatus freezes (keeping the data) and unfreezes.
func (s *Seller) updateInstanceStatus(_ context.Context, f fields) any {
	if f.missing(protocol.FieldInstanceID, protocol.FieldStatus) {
		return badParam()
	}
	status := protocol.InstanceStatus(f.str(protocol.FieldStatus))
	if status != protocol.StatusFreeze && status != protocol.StatusUnfreeze {
		return badParam()
	}
	if f.debug() {
		return ok()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	in := s.find(f.str(protocol.FieldInstanceID), false)
	if in == nil {
		return unknownInstance()
	}
	if status == protocol.StatusFreeze {
		in.Status = statusFrozen
	} else if in.Status == statusFrozen {
		in.Status = statusActive
	}
	return ok()
}

// releaseInstance deletes the instance; releasing it again succeeds, an instance that never existed
// is 000003.
func (s *Seller) releaseInstance(_ context.Context, f fields) any {
	if f.missing(protocol.FieldInstanceID) {
		return badParam()
	}
	if f.debug() {
		return ok()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	in := s.find(f.str(protocol.FieldInstanceID), true)
	if in == nil {
		return unknownInstance()
	}
	in.Status = statusReleased
	return ok()
}

// upgradeInstance reads the new specification from the upgrade order.
func (s *Seller) upgradeInstance(ctx context.Context, f fields) any {
	if f.missing(protocol.FieldInstanceID, protocol.FieldOrderID, protocol.FieldOrderLineID) {
		return badParam()
	}
	if f.debug() {
		return ok()
	}
	s.mu.Lock()
	known := s.find(f.str(protocol.FieldInstanceID), false) != nil
	s.mu.Unlock()
	if !known {
		return unknownInstance()
	}
	order, err := s.lookUpOrder(ctx, f.str(protocol.FieldOrderID), f.str(protocol.FieldOrderLineID))
	if errors.Is(err, errNoSuchOrder) {
		return badParam()
	}
	if err != nil {
		s.cfg.Logger.Warn("order query failed", "order", f.str(protocol.FieldOrderID), "err", err)
		return innerError()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if in := s.find(f.str(protocol.FieldInstanceID), false); in != nil {
		expire := in.ExpireTime
		in.apply(order)
		if in.ExpireTime == "" {
			in.ExpireTime = expire
		}
	}
	return ok()
}

// changeInstanceCheck allows any change to a complete product. productInfo is read as an object or
// as a JSON string holding one, because which of the two KooGallery sends is uncertain.
func (s *Seller) changeInstanceCheck(_ context.Context, f fields) any {
	if f.missing(protocol.FieldInstanceID) {
		return badParam()
	}
	var p protocol.ProductInfo
	switch v := f[protocol.FieldProductInfo].(type) {
	case string:
		if json.Unmarshal([]byte(v), &p) != nil {
			return badParam()
		}
	case map[string]any:
		b, _ := json.Marshal(v)
		if json.Unmarshal(b, &p) != nil {
			return badParam()
		}
	default:
		return badParam()
	}
	if p.ProductID == "" || p.SKUCode == "" || p.ProductName == "" {
		return badParam()
	}
	if f.debug() {
		return ok()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.find(f.str(protocol.FieldInstanceID), false) == nil {
		return unknownInstance()
	}
	return ok()
}
