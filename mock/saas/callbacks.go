package saas

import (
	"context"
	"maps"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/i18n"
	"github.com/koomock/koomock/mock/delivery"
	"github.com/koomock/koomock/mock/notify"
	"github.com/koomock/koomock/protocol"
)

// outgoing is a callback a lifecycle step owes the seller, started once the market's state is saved.
type outgoing struct {
	kind   string
	d      *koomock.Delivery
	policy delivery.Policy
}

// callback prepares a delivery of an instance activity with body fields beyond activity and
// instanceId; o is the order it carries, if any.
func (m *Market) callback(activity protocol.Activity, in koomock.Instance, o *koomock.Order, fields map[string]any) outgoing {
	body := map[string]any{protocol.FieldActivity: string(activity), protocol.FieldInstanceID: in.ID}
	maps.Copy(body, fields)
	flag := ""
	d := &koomock.Delivery{Activity: activity, InstanceID: in.ID, Body: body}
	if o != nil {
		body[protocol.FieldOrderID], body[protocol.FieldOrderLineID] = o.ID, o.LineID
		d.OrderID, flag = o.ID, o.TestFlag
	}
	m.testFlag(body, flag)
	policy := m.Options.OtherRetry
	if activity == protocol.UpgradeInstance {
		policy = m.Options.CreateRetry // an upgrade is retried like a purchase (V1 docs)
	}
	return outgoing{kind: kindCallback, d: d, policy: policy}
}

// refresh prepares refreshInstance for an order that moved the instance's expiry.
func (m *Market) refresh(scene protocol.Scene, in koomock.Instance, o koomock.Order, productID string, digits int) outgoing {
	if digits == 0 {
		digits = m.Options.ExpireTimeDigits
	}
	fields := map[string]any{
		protocol.FieldScene:      string(scene),
		protocol.FieldExpireTime: protocol.FormatExpireTime(in.ExpireAt, digits),
	}
	if productID != "" {
		fields[protocol.FieldProductID] = productID
	}
	return m.callback(protocol.RefreshInstance, in, &o, fields)
}

// status prepares updateInstanceStatus.
func (m *Market) status(in koomock.Instance, s protocol.InstanceStatus) outgoing {
	return m.callback(protocol.UpdateInstanceStatus, in, nil, map[string]any{protocol.FieldStatus: string(s)})
}

// start sends the callbacks in order and returns their deliveries and first attempts.
func (m *Market) start(ctx context.Context, list []outgoing) ([]koomock.Delivery, []*koomock.Exchange, error) {
	var ds []koomock.Delivery
	var es []*koomock.Exchange
	for _, o := range list {
		e, err := m.Courier.Start(ctx, o.kind, o.d, o.policy)
		if err != nil {
			return ds, es, err
		}
		d, err := m.Store.Delivery(ctx, o.d.ID)
		if err != nil {
			return ds, es, err
		}
		ds, es = append(ds, d), append(es, e)
	}
	return ds, es, nil
}

func (m *Market) buildCallback(_ context.Context, d *koomock.Delivery) (notify.Callback, error) {
	return notify.Callback{
		Activity: d.Activity, URL: m.SellerURL, Key: m.AccessKey, Body: d.Body,
		OrderID: d.OrderID, InstanceID: d.InstanceID,
	}, nil
}

// buildReleaseAgain is releaseInstance for an instance already released: it must still succeed.
func (m *Market) buildReleaseAgain(ctx context.Context, d *koomock.Delivery) (notify.Callback, error) {
	nd, err := m.buildCallback(ctx, d)
	nd.Checks = []notify.Check{func(e *koomock.Exchange, _ map[string]any) {
		if delivery.Succeeded(e) {
			i18n.Judge(e, koomock.RuleReleaseIdempotent, koomock.Pass, "verdict.releaseAgain.pass")
			return
		}
		code, _ := answerCode(e)
		e.Record(i18n.VerdictAt(koomock.RuleReleaseIdempotent, koomock.Fail, "/resultCode", "verdict.releaseAgain.fail", d.InstanceID, code))
	}}
	return nd, err
}

// settleCallback keeps the order a callback carries in step with its delivery, and applies an
// upgrade once the seller acknowledged it.
func (m *Market) settleCallback(ctx context.Context, d *koomock.Delivery, _ *koomock.Exchange) error {
	if d.OrderID == "" {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	o, err := m.Store.Order(ctx, d.OrderID)
	if err != nil {
		return err
	}
	if o.Status == koomock.OrderRefunded {
		return nil
	}
	switch d.Status {
	case koomock.DeliveryDelivered:
		o.Status = koomock.OrderDelivered
	case koomock.DeliveryFailed:
		o.Status = koomock.OrderFailed
	default:
		return nil
	}
	if err := m.Store.UpdateOrder(ctx, o); err != nil {
		return err
	}
	if d.Activity != protocol.UpgradeInstance || d.Status != koomock.DeliveryDelivered {
		return nil
	}
	in, err := m.Store.Instance(ctx, d.InstanceID)
	if err != nil {
		return err
	}
	in.ProductID, in.SKUCode, in.LinearValue = o.ProductID, o.SKUCode, o.LinearValue
	return m.Store.PutInstance(ctx, in)
}
