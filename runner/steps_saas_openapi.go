package runner

import (
	"context"
	"fmt"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/i18n"
	"github.com/koomock/koomock/protocol"
)

func openAPISteps() StepGroup {
	return StepGroup{Name: "The seller's calls to KooGallery", Doc: "The order query and the usage push the seller makes, judged in koomock's journal (spec saas-v2 §6).", Steps: []StepDef{
		{`^the seller looked the order up with a correctly signed order query$`,
			"since the scenario began, the seller called the order query for the scenario's order (or debug order), and every such call passed",
			"the seller looked the order up with a correctly signed order query", lookedUp(false)},
		{`^the seller looked the upgrade order up with a correctly signed order query$`,
			"the seller called the order query for the order of the scenario's latest action, correctly signed",
			"the seller looked the upgrade order up with a correctly signed order query", lookedUp(true)},
		{`^the seller pushed usage for the instance with a valid signature$`,
			"since the scenario began, the seller pushed usage for the scenario's instance, and every push passed",
			"the seller pushed usage for the instance with a valid signature", pushedUsage},
	}}
}

// sellerCalls returns the seller's calls of activity made since the scenario began that are about
// key (an order or instance, by match), and those refused before koomock could tell what they were
// about (a bad signature): both are the seller's.
func sellerCalls(ctx context.Context, activities []string, match func(koomock.Exchange) bool) (mine, unnamed []koomock.Exchange, err error) {
	s := state(ctx)
	for _, a := range activities {
		list, err := s.api.Exchanges(ctx, koomock.ExchangeFilter{Direction: koomock.Inbound, Activity: protocol.Activity(a), AfterID: saas(ctx).watermark, Limit: 1000})
		if err != nil {
			return nil, nil, harness(err)
		}
		for _, e := range list {
			switch {
			case match(e):
				mine = append(mine, e)
			case e.OrderID == "" && e.InstanceID == "" && e.Failed():
				unnamed = append(unnamed, e)
			}
		}
	}
	return mine, unnamed, nil
}

// judgeCalls fails on the first failed call, then on no call at all (the verdict missing).
func judgeCalls(mine, unnamed []koomock.Exchange, missing koomock.Verdict) error {
	for _, list := range [][]koomock.Exchange{mine, unnamed} {
		for i := range list {
			if list[i].Failed() {
				return broke(fmt.Sprintf("the seller's %s call to koomock broke KooGallery's rules", list[i].Activity), &list[i])
			}
		}
	}
	if len(mine) == 0 {
		return &ruleError{what: missing.Message, verdicts: []koomock.Verdict{missing}}
	}
	return nil
}

func lookedUp(ofAction bool) func(context.Context) error {
	return func(ctx context.Context) error {
		s := state(ctx)
		var orderID string
		switch {
		case ofAction && saas(ctx).action != nil && saas(ctx).action.Order != nil:
			orderID = saas(ctx).action.Order.ID
		case !ofAction && s.last != nil && s.last.OrderID != "":
			orderID = s.last.OrderID
		case !ofAction && len(s.orders) > 0:
			orderID = s.orders[len(s.orders)-1].Order.ID
		default:
			return harness(fmt.Errorf("no order in this scenario to look up"))
		}
		mine, unnamed, err := sellerCalls(ctx, []string{"orderQuery"}, func(e koomock.Exchange) bool { return e.OrderID == orderID })
		if err != nil {
			return err
		}
		return judgeCalls(mine, unnamed, i18n.Verdict(koomock.RuleOrderQuery, koomock.Fail, "verdict.orderQuery.never", orderID))
	}
}

func pushedUsage(ctx context.Context) error {
	in, err := instance(ctx)
	if err != nil {
		return err
	}
	mine, unnamed, err := sellerCalls(ctx, []string{"usagePush", "usagePushOld"}, func(e koomock.Exchange) bool { return e.InstanceID == in.ID })
	if err != nil {
		return err
	}
	return judgeCalls(mine, unnamed, i18n.Verdict(koomock.RuleUsagePushed, koomock.Fail, "verdict.usagePushed.none", in.ID))
}
