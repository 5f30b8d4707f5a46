package saas

import (
	"context"
	"errors"
	"maps"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/i18n"
	"github.com/koomock/koomock/mock/delivery"
	"github.com/koomock/koomock/mock/notify"
	"github.com/koomock/koomock/protocol"
	"github.com/koomock/koomock/store"
)

// The delivery kinds of the market.
const (
	kindNewInstance  = "saas.newInstance"
	kindCallback     = "saas.callback"
	kindReleaseAgain = "saas.releaseAgain"
)

// startNewInstance delivers newInstance for o, retried as KooGallery retries a purchase, and returns
// the first attempt.
func (m *Market) startNewInstance(ctx context.Context, o koomock.Order) (*koomock.Exchange, error) {
	body := map[string]any{
		protocol.FieldActivity:    string(protocol.NewInstance),
		protocol.FieldOrderID:     o.ID,
		protocol.FieldOrderLineID: o.LineID,
	}
	m.testFlag(body, o.TestFlag)
	d := &koomock.Delivery{Activity: protocol.NewInstance, OrderID: o.ID, Body: body}
	return m.Courier.Start(ctx, kindNewInstance, d, m.Options.CreateRetry)
}

// buildNewInstance makes one attempt: a new businessId every time (spec saas-v2 §3.1), and the checks
// that need the order: instanceId present, the same as the order's first answer, no other order's.
func (m *Market) buildNewInstance(ctx context.Context, d *koomock.Delivery) (notify.Callback, error) {
	o, err := m.Store.Order(ctx, d.OrderID)
	if err != nil {
		return notify.Callback{}, err
	}
	return m.newInstanceCallback(ctx, o, maps.Clone(d.Body)), nil
}

func (m *Market) newInstanceCallback(ctx context.Context, o koomock.Order, body map[string]any) notify.Callback {
	body[protocol.FieldBusinessID] = m.IDs.UUID()
	var answered string
	return notify.Callback{
		Activity: protocol.NewInstance, URL: m.SellerURL, Key: m.AccessKey, Body: body,
		OrderID: o.ID, InstanceID: o.InstanceID,
		Allow: []protocol.ResultCode{protocol.ResultProcessing},
		Checks: []notify.Check{
			checkInstanceID(&answered),
			checkIdempotent(o, &answered),
			m.checkUnique(ctx, o, &answered),
		},
	}
}

// newInstanceDelivered: KooGallery has an instance only when the answer names one.
func newInstanceDelivered(e *koomock.Exchange) bool {
	return delivery.Succeeded(e) && e.InstanceID != ""
}

// settleNewInstance records what the seller created, starts polling an instance created
// asynchronously, and cancels the order when KooGallery gives up.
func (m *Market) settleNewInstance(ctx context.Context, d *koomock.Delivery, e *koomock.Exchange) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	o, err := m.Store.Order(ctx, d.OrderID)
	if err != nil {
		return err
	}
	switch {
	case d.Status == koomock.DeliveryDelivered && o.InstanceID == "":
		in := koomock.Instance{
			ID: e.InstanceID, OrderID: o.ID, State: koomock.InstanceActive, CreatedAt: e.StartedAt, ExpireAt: o.ExpireAt,
			ProductID: o.ProductID, SKUCode: o.SKUCode, ChargingMode: o.ChargingMode, LinearValue: o.LinearValue,
			Trial: o.Type == koomock.OrderTrial,
		}
		o.InstanceID, o.Status = in.ID, koomock.OrderDelivered
		if code, _ := answerCode(e); code == string(protocol.ResultProcessing) {
			in.State, o.Status = koomock.InstanceCreating, koomock.OrderPending
			in.CreatingUntil = d.StartedAt.Add(m.Options.CreateRetry.For)
			if err := m.schedulePoll(ctx, in.ID); err != nil {
				return err
			}
		} else if err := m.scheduleExpiry(ctx, in); err != nil {
			return err
		}
		if err := m.Store.PutInstance(ctx, in); err != nil {
			return err
		}
	case d.Status == koomock.DeliveryFailed && o.InstanceID == "":
		o.Status = koomock.OrderFailed // KooGallery cancels the order and refunds the buyer
	default:
		return nil
	}
	return m.Store.UpdateOrder(ctx, o)
}

// Resend sends newInstance for an existing order again, with a new businessId, as KooGallery does when
// it did not get (or did not trust) the first answer. It is one extra send, judged for idempotency;
// the order's delivery is not affected.
func (m *Market) Resend(ctx context.Context, orderID string) (controlapi.Purchase, error) {
	if err := m.needSeller(); err != nil {
		return controlapi.Purchase{}, err
	}
	o, err := m.Store.Order(ctx, orderID)
	if errors.Is(err, store.ErrNotFound) {
		return controlapi.Purchase{}, controlapi.Errorf(controlapi.CodeNotFound, "order %s does not exist", orderID)
	}
	if err != nil {
		return controlapi.Purchase{}, err
	}
	if o.Type != koomock.OrderNew && o.Type != koomock.OrderTrial {
		return controlapi.Purchase{}, controlapi.Errorf(controlapi.CodeConflict, "order %s is a %s order: only purchases send newInstance", orderID, o.Type)
	}
	body := map[string]any{
		protocol.FieldActivity:    string(protocol.NewInstance),
		protocol.FieldOrderID:     o.ID,
		protocol.FieldOrderLineID: o.LineID,
	}
	m.testFlag(body, o.TestFlag)
	sent, err := m.Courier.Send(ctx, m.newInstanceCallback(ctx, o, body), string(protocol.NewInstance))
	if err != nil {
		return controlapi.Purchase{}, err
	}
	p, err := m.Order(ctx, o.ID)
	p.Exchange = sent[len(sent)-1]
	return p, err
}

// checkInstanceID requires an instanceId with 000000 and 000004 and passes it on to later checks.
func checkInstanceID(answered *string) notify.Check {
	return func(e *koomock.Exchange, answer map[string]any) {
		code, _ := answer["resultCode"].(string)
		if code != string(protocol.ResultSuccess) && code != string(protocol.ResultProcessing) {
			return
		}
		id, _ := answer[protocol.FieldInstanceID].(string)
		if id == "" {
			e.Record(i18n.VerdictAt(koomock.RuleInstanceID, koomock.Fail, "/instanceId", "verdict.instanceId.missing", code))
			return
		}
		*answered = id
		e.InstanceID = id
		i18n.Judge(e, koomock.RuleInstanceID, koomock.Pass, "verdict.instanceId.pass", id)
	}
}

// checkIdempotent compares a resend's instanceId with the one the seller gave for the order before.
func checkIdempotent(o koomock.Order, answered *string) notify.Check {
	return func(e *koomock.Exchange, _ map[string]any) {
		if o.InstanceID == "" || *answered == "" {
			return // first answer with an instance: nothing to compare with yet
		}
		if *answered == o.InstanceID {
			i18n.Judge(e, koomock.RuleIdempotent, koomock.Pass, "verdict.idempotent.pass", o.InstanceID)
			return
		}
		e.Record(i18n.VerdictAt(koomock.RuleIdempotent, koomock.Fail, "/instanceId", "verdict.idempotent.fail",
			o.ID, o.LineID, *answered, o.InstanceID))
	}
}

// checkUnique fails an instanceId that the seller already gave for another order.
func (m *Market) checkUnique(ctx context.Context, o koomock.Order, answered *string) notify.Check {
	return func(e *koomock.Exchange, _ map[string]any) {
		if *answered == "" {
			return
		}
		in, err := m.Store.Instance(ctx, *answered)
		if errors.Is(err, store.ErrNotFound) || (err == nil && in.OrderID == o.ID) {
			i18n.Judge(e, koomock.RuleUniqueInstance, koomock.Pass, "verdict.unique.pass", *answered)
			return
		}
		if err != nil {
			i18n.Judge(e, koomock.RuleUniqueInstance, koomock.Warn, "verdict.unique.lookup", err.Error())
			return
		}
		e.Record(i18n.VerdictAt(koomock.RuleUniqueInstance, koomock.Fail, "/instanceId", "verdict.unique.fail", *answered, in.OrderID))
	}
}

func answerCode(e *koomock.Exchange) (string, bool) {
	if e.Response == nil {
		return "", false
	}
	obj, err := protocol.DecodeObject([]byte(e.Response.Body))
	if err != nil {
		return "", false
	}
	code, ok := obj["resultCode"].(string)
	return code, ok
}
