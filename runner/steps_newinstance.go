package runner

import (
	"context"
	"fmt"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/i18n"
	"github.com/koomock/koomock/protocol"
)

func newInstanceSteps() StepGroup {
	return StepGroup{
		Name: "Orders and newInstance",
		Doc:  "A buyer pays, KooGallery sends newInstance, and the seller's answer is judged (spec saas-v2 §3.1).",
		Steps: []StepDef{
			{`^a buyer (?:pays|paid) for an? (yearly|monthly|daily|one-time|on-demand|package) order$`,
				"places and pays an order of that kind in koomock, which sends newInstance to the seller",
				"a buyer pays for a yearly order", buy},
			{`^KooGallery sends newInstance again for the order with a new businessId$`,
				"resends newInstance for the scenario's first order, as KooGallery does when it did not get an answer",
				"KooGallery sends newInstance again for the order with a new businessId", resend},
			{`^the seller accepts the callback$`,
				"the last callback was answered with success (000000, or 000004 where allowed)",
				"the seller accepts the callback", sellerAccepts},
			{`^the answer follows every KooGallery rule$`,
				"no verdict on the last exchange failed: status, JSON, schema, result code, Body-Sign, deadline",
				"the answer follows every KooGallery rule", followsEveryRule},
			{`^the seller created an instance for the order$`,
				"the latest order has an instance: the seller answered with an instanceId",
				"the seller created an instance for the order", createdInstance},
			{`^the seller returned the same instance as the first time$`,
				"the resend was answered with the instanceId of the first answer",
				"the seller returned the same instance as the first time", sameInstance},
			{`^the two orders have different instances$`,
				"the scenario's first and last orders got different instanceIds",
				"the two orders have different instances", differentInstances},
			{`^KooGallery sends (\w+) with a tampered signature$`,
				"sends the activity with one character of its signature changed",
				"KooGallery sends newInstance with a tampered signature", sendProbe(controlapi.TamperedSignature)},
			{`^KooGallery sends (\w+) without a signature$`,
				"sends the activity with no signature parameter",
				"KooGallery sends newInstance without a signature", sendProbe(controlapi.MissingSignature)},
			{`^KooGallery sends (\w+) with a timestamp 10 minutes old$`,
				"sends the activity correctly signed, but with a timestamp outside the 60 s window",
				"KooGallery sends newInstance with a timestamp 10 minutes old", sendProbe(controlapi.StaleTimestamp)},
			{`^KooGallery sends (\w+) without the mandatory field "([^"]+)"$`,
				"sends the activity correctly signed, but without one mandatory field",
				`KooGallery sends newInstance without the mandatory field "orderId"`, sendMissingField},
			{`^the seller refuses it as (?:a bad signature|a stale timestamp|a missing field)$`,
				"the last (deliberately faulty) callback was refused with an accepted result code (--accept)",
				"the seller refuses it as a bad signature", sellerRefuses},
		},
	}
}

// purchaseFor maps the feature's words to an order.
var purchaseFor = map[string]controlapi.BuyRequest{
	"yearly":    {ChargingMode: koomock.ChargingPeriod, PeriodType: koomock.PeriodYear, PeriodNumber: 1},
	"monthly":   {ChargingMode: koomock.ChargingPeriod, PeriodType: koomock.PeriodMonth, PeriodNumber: 1},
	"daily":     {ChargingMode: koomock.ChargingPeriod, PeriodType: koomock.PeriodDay, PeriodNumber: 1},
	"one-time":  {ChargingMode: koomock.ChargingOneTime},
	"on-demand": {ChargingMode: koomock.ChargingOnDemand},
	"package":   {ChargingMode: koomock.ChargingOnDemandPkg},
}

func buy(ctx context.Context, kind string) error {
	s := state(ctx)
	p, err := s.api.Buy(ctx, purchaseFor[kind])
	if err != nil {
		return harness(fmt.Errorf("buy a %s order: %w", kind, err))
	}
	s.orders = append(s.orders, p)
	s.record(p.Exchange)
	return nil
}

func resend(ctx context.Context) error {
	s := state(ctx)
	if len(s.orders) == 0 {
		return harness(fmt.Errorf("no order to resend: add a step that places one"))
	}
	p, err := s.api.Resend(ctx, s.orders[0].Order.ID)
	if err != nil {
		return harness(fmt.Errorf("resend newInstance: %w", err))
	}
	s.record(p.Exchange)
	return nil
}

func lastExchange(s *scenario) (*koomock.Exchange, error) {
	if s.last == nil {
		return nil, harness(fmt.Errorf("no callback has been sent in this scenario yet"))
	}
	return s.last, nil
}

func sellerAccepts(ctx context.Context) error {
	e, err := lastExchange(state(ctx))
	if err != nil {
		return err
	}
	if v, ok := e.Verdict(koomock.RuleSucceeded); ok && v.Outcome == koomock.Pass {
		return nil
	}
	return broke(fmt.Sprintf("the seller did not accept a correctly signed %s", e.Activity), e)
}

func followsEveryRule(ctx context.Context) error {
	e, err := lastExchange(state(ctx))
	if err != nil {
		return err
	}
	if !e.Failed() {
		return nil
	}
	return broke(fmt.Sprintf("the answer to %s broke %d KooGallery rule(s)", e.Activity, len(e.Failures())), e)
}

func createdInstance(ctx context.Context) error {
	s := state(ctx)
	if len(s.orders) == 0 {
		return harness(fmt.Errorf("no order placed in this scenario"))
	}
	p := s.orders[len(s.orders)-1]
	if p.Instance != nil {
		return nil
	}
	return broke(fmt.Sprintf("order %s has no instance: the seller did not return one", p.Order.ID), p.Exchange)
}

func sameInstance(ctx context.Context) error {
	e, err := lastExchange(state(ctx))
	if err != nil {
		return err
	}
	v, ok := e.Verdict(koomock.RuleIdempotent)
	switch {
	case ok && v.Outcome == koomock.Pass:
		return nil
	case ok:
		return broke("the resend returned a different instance", e)
	}
	return &ruleError{what: "the resend could not be compared with the first answer", exchange: e,
		verdicts: append(e.Failures(), i18n.Verdict(koomock.RuleIdempotent, koomock.Fail, "verdict.idempotent.nothingToCompare"))}
}

func differentInstances(ctx context.Context) error {
	s := state(ctx)
	if len(s.orders) < 2 {
		return harness(fmt.Errorf("this step needs two orders in the scenario"))
	}
	a, b := s.orders[0], s.orders[len(s.orders)-1]
	e := b.Exchange
	if v, ok := e.Verdict(koomock.RuleUniqueInstance); ok && v.Outcome == koomock.Pass && a.Order.InstanceID != "" {
		return nil
	}
	return &ruleError{what: fmt.Sprintf("orders %s and %s do not have distinct instances", a.Order.ID, b.Order.ID), exchange: e,
		verdicts: append(e.Failures(), i18n.Verdict(koomock.RuleUniqueInstance, koomock.Fail, "verdict.unique.same", a.Order.InstanceID, b.Order.InstanceID))}
}

func sendProbe(p controlapi.Probe) func(context.Context, string) error {
	return func(ctx context.Context, activity string) error {
		return probe(ctx, activity, p)
	}
}

func sendMissingField(ctx context.Context, activity, field string) error {
	return probe(ctx, activity, controlapi.MissingField(field))
}

func probe(ctx context.Context, activity string, p controlapi.Probe) error {
	s := state(ctx)
	e, err := s.api.Probe(ctx, controlapi.ProbeRequest{Activity: protocol.Activity(activity), Probe: string(p), Refusals: s.opts.Refusals[p.Kind()], InstanceID: instanceOrEmpty(ctx)})
	if err != nil {
		return harness(fmt.Errorf("send %s probe: %w", p, err))
	}
	s.record(e)
	return nil
}

func sellerRefuses(ctx context.Context) error {
	e, err := lastExchange(state(ctx))
	if err != nil {
		return err
	}
	// A missing-field probe is judged under the advisory probe.missingField: an answer KooGallery
	// would never meet is then a warning the summary lists, not a failed step.
	for _, rule := range []koomock.Rule{koomock.RuleRefused, koomock.RuleMissingField} {
		if v, ok := e.Verdict(rule); ok && v.Outcome != koomock.Fail && !e.Failed() {
			return nil
		}
	}
	return broke("the seller did not refuse a faulty callback", e)
}
