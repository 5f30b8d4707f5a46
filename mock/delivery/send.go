package delivery

import (
	"context"
	"fmt"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/i18n"
	"github.com/koomock/koomock/mock/notify"
	"github.com/koomock/koomock/protocol"
)

// Send sends one callback with the scripted faults applied, and returns its exchanges: one, or two
// when the duplicate fault fired. target is what faults may be aimed at: the activity, or "dialTest"
// for a dial-test replay. Every callback koomock sends, retried or not, goes through here.
func (c *Courier) Send(ctx context.Context, nd notify.Callback, target string) ([]*koomock.Exchange, error) {
	if f, ok := c.Faults.Take(ctx, FaultUnreachable, target); ok {
		nd.Unreachable = fmt.Sprintf("koomock's fault #%d %s is on: the seller was not contacted, as if it were down", f.ID, FaultUnreachable)
		e, err := c.Notifier.Send(ctx, nd)
		return []*koomock.Exchange{e}, err
	}
	if nd.Probe == controlapi.NoProbe {
		if _, ok := c.Faults.Take(ctx, FaultTamper, target); ok {
			nd.Probe = controlapi.TamperedSignature
		}
	}
	first, err := c.Notifier.Send(ctx, nd)
	if err != nil {
		return []*koomock.Exchange{first}, err
	}
	if _, ok := c.Faults.Take(ctx, FaultDuplicate, target); !ok {
		return []*koomock.Exchange{first}, nil
	}
	dup := nd
	dup.Checks = append(append([]notify.Check(nil), nd.Checks...), checkDuplicate(first))
	second, err := c.Notifier.Send(ctx, dup)
	return []*koomock.Exchange{first, second}, err
}

// checkDuplicate judges the second delivery of the same callback against the first: a seller that
// accepted it must accept it again with the same answer (the same instanceId for newInstance).
func checkDuplicate(first *koomock.Exchange) notify.Check {
	return func(e *koomock.Exchange, answer map[string]any) {
		if !Succeeded(first) {
			return // nothing to compare with: the first delivery was not accepted either
		}
		if !Succeeded(e) {
			e.Record(i18n.VerdictAt(koomock.RuleDuplicate, koomock.Fail, "/resultCode", "verdict.duplicate.refused", e.Activity, first.ID))
			return
		}
		was, _ := answerField(first, protocol.FieldInstanceID)
		now, _ := answer[protocol.FieldInstanceID].(string)
		if was != now {
			e.Record(i18n.VerdictAt(koomock.RuleDuplicate, koomock.Fail, "/instanceId", "verdict.duplicate.otherInstance", first.ID, now, was))
			return
		}
		i18n.Judge(e, koomock.RuleDuplicate, koomock.Pass, "verdict.duplicate.pass", first.ID)
	}
}

func answerField(e *koomock.Exchange, field string) (string, bool) {
	if e.Response == nil {
		return "", false
	}
	obj, err := protocol.DecodeObject([]byte(e.Response.Body))
	if err != nil {
		return "", false
	}
	v, ok := obj[field].(string)
	return v, ok
}
