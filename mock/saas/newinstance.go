package saas

import (
	"context"
	"errors"
	"fmt"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/mock/notify"
	"github.com/koomock/koomock/protocol"
	"github.com/koomock/koomock/store"
)

// deliverNewInstance sends newInstance for o with a new businessId, judges the answer (instanceId
// present, idempotent across resends, unique across orders) and records what the seller created.
func (m *Market) deliverNewInstance(ctx context.Context, o koomock.Order) (controlapi.Purchase, error) {
	body := map[string]any{
		protocol.FieldActivity:    string(protocol.NewInstance),
		protocol.FieldOrderID:     o.ID,
		protocol.FieldOrderLineID: o.LineID,
		protocol.FieldBusinessID:  m.IDs.UUID(),
	}
	if o.TestFlag != "" {
		body[protocol.FieldTestFlag] = o.TestFlag
	}
	var answered string
	d := notify.Delivery{
		Activity: string(protocol.NewInstance), URL: m.SellerURL, Key: m.AccessKey, Body: body,
		OrderID: o.ID, InstanceID: o.InstanceID,
		Allow: []protocol.ResultCode{protocol.ResultProcessing},
		Checks: []notify.Check{
			checkInstanceID(&answered),
			checkIdempotent(o, &answered),
			m.checkUnique(ctx, o, &answered),
		},
	}
	e, err := m.Notifier.Send(ctx, d)
	if err != nil {
		return controlapi.Purchase{}, err
	}
	if err := m.recordOutcome(ctx, &o, e, answered); err != nil {
		return controlapi.Purchase{}, err
	}
	p, err := m.Order(ctx, o.ID)
	p.Exchange = e
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
			e.Verdicts = append(e.Verdicts, koomock.Verdict{
				Rule: koomock.RuleInstanceID, Outcome: koomock.Fail, Pointer: "/instanceId",
				Message: fmt.Sprintf("resultCode %s came without an instanceId; KooGallery needs it for every later callback", code),
			})
			return
		}
		*answered = id
		e.InstanceID = id
		e.Judge(koomock.RuleInstanceID, koomock.Pass, "instanceId "+id)
	}
}

// checkIdempotent compares a resend's instanceId with the one the seller gave for the order before.
func checkIdempotent(o koomock.Order, answered *string) notify.Check {
	return func(e *koomock.Exchange, _ map[string]any) {
		if o.InstanceID == "" || *answered == "" {
			return // first answer with an instance: nothing to compare with yet
		}
		if *answered == o.InstanceID {
			e.Judge(koomock.RuleIdempotent, koomock.Pass, "the resend returned the same instanceId "+o.InstanceID)
			return
		}
		e.Verdicts = append(e.Verdicts, koomock.Verdict{
			Rule: koomock.RuleIdempotent, Outcome: koomock.Fail, Pointer: "/instanceId",
			Message: fmt.Sprintf("newInstance resent for order %s (orderLineId %s) with a new businessId returned instanceId %q, "+
				"but the first answer was %q: the same order must always yield the same instance",
				o.ID, o.LineID, *answered, o.InstanceID),
		})
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
			e.Judge(koomock.RuleUniqueInstance, koomock.Pass, "no other order has instance "+*answered)
			return
		}
		if err != nil {
			e.Judge(koomock.RuleUniqueInstance, koomock.Warn, "could not look up the instance: "+err.Error())
			return
		}
		e.Verdicts = append(e.Verdicts, koomock.Verdict{
			Rule: koomock.RuleUniqueInstance, Outcome: koomock.Fail, Pointer: "/instanceId",
			Message: fmt.Sprintf("instanceId %q was already given for order %s; every order needs its own instance", *answered, in.OrderID),
		})
	}
}

// recordOutcome updates the order and its instance after a newInstance attempt.
func (m *Market) recordOutcome(ctx context.Context, o *koomock.Order, e *koomock.Exchange, answered string) error {
	succeeded := false
	if v, ok := e.Verdict(koomock.RuleSucceeded); ok && v.Outcome == koomock.Pass {
		succeeded = true
	}
	switch {
	case succeeded && answered != "" && o.InstanceID == "":
		o.InstanceID = answered
		state := koomock.InstanceActive
		o.Status = koomock.OrderDelivered
		if code, _ := answerCode(e); code == string(protocol.ResultProcessing) {
			state, o.Status = koomock.InstanceCreating, koomock.OrderPending
		}
		in := koomock.Instance{ID: answered, OrderID: o.ID, State: state, CreatedAt: e.StartedAt, ExpireAt: o.ExpireAt}
		if err := m.Store.PutInstance(ctx, in); err != nil {
			return err
		}
	case succeeded && o.InstanceID != "":
		// A resend answered: the order stays as it was; the verdicts tell whether it was idempotent.
	case o.InstanceID == "":
		o.Status = koomock.OrderFailed
	}
	return m.Store.UpdateOrder(ctx, *o)
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

// Judging returns how a callback of the activity is judged beyond the generic rules, without any
// marketplace state: the result codes that count as success besides 000000, and the stateless checks.
// `koomock fire` uses it to judge a one-off callback as the market judges its own.
func Judging(activity protocol.Activity) (allow []protocol.ResultCode, checks []notify.Check) {
	switch activity {
	case protocol.NewInstance:
		var answered string
		return []protocol.ResultCode{protocol.ResultProcessing}, []notify.Check{checkInstanceID(&answered)}
	}
	return nil, nil
}

// DebugBody returns the body the seller console's debugging sends for an activity: KooGallery's
// documented debug order (MOCKPERIODYEARNEW) and testFlag "1". ok is false for activities without one.
func DebugBody(activity protocol.Activity, newID func() string) (body map[string]any, ok bool) {
	switch activity {
	case protocol.NewInstance:
		return map[string]any{
			protocol.FieldActivity:    string(activity),
			protocol.FieldOrderID:     DebugOrderID,
			protocol.FieldOrderLineID: DebugOrderID + "-000001",
			protocol.FieldBusinessID:  newID(),
			protocol.FieldTestFlag:    protocol.TestFlagDebug,
		}, true
	}
	return nil, false
}

// DebugOrderID is the debug order KooGallery's console uses for a yearly purchase (spec saas-v2 §6.2).
const DebugOrderID = "MOCKPERIODYEARNEW"
