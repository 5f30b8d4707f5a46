package runner

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/i18n"
	"github.com/koomock/koomock/protocol"
)

func lifecycleSteps() StepGroup {
	return StepGroup{Name: "Instance lifecycle", Doc: "Purchases of every kind and what follows: renewal, trial to formal, renewal cancellation and change, upgrade, freeze, expiry at expireTime, the freeze window, release, unsubscription (spec saas-v2 §1, §3).", Steps: []StepDef{
		{`^the seller created an instance for an? (yearly|monthly|daily|one-time|on-demand|package|trial) order$`,
			"buys an order of that kind and requires the seller to have answered newInstance with an instance",
			"the seller created an instance for a monthly order", createdFor},
		{`^a buyer pays for a yearly order the seller creates asynchronously$`,
			`buys a yearly order whose extendParams say provisioning=async (the reference seller then answers 000004)`,
			"a buyer pays for a yearly order the seller creates asynchronously", buyAsync},
		{`^the buyer renews the instance$`, "renews the instance for its own period (refreshInstance RENEWAL)",
			"the buyer renews the instance", act(controlapi.ActRenew, controlapi.InstanceAction{})},
		{`^the buyer renewed the instance$`, "renews the instance and requires the seller to accept",
			"the buyer renewed the instance", actAccepted(controlapi.ActRenew, controlapi.InstanceAction{})},
		{`^the buyer renews the instance for (\d+) (year|month|day)s?$`, "renews the instance for that period",
			"the buyer renews the instance for 1 year", renewFor},
		{`^the buyer renews the instance with a (14|17)-digit expireTime$`, "renews, with expireTime written in 14 or 17 digits",
			"the buyer renews the instance with a 17-digit expireTime", renewDigits},
		{`^the buyer renews the instance with a new productId$`, "renews to the other periodic product: refreshInstance carries productId",
			"the buyer renews the instance with a new productId", renewOtherProduct(controlapi.ActRenew)},
		{`^the buyer renews the instance to another product$`, "changeInstanceCheck, then refreshInstance RENEWAL_CHANGE",
			"the buyer renews the instance to another product", renewOtherProduct(controlapi.ActRenewalChange)},
		{`^the buyer converts the trial to a formal purchase$`, "refreshInstance TRIAL_TO_FORMAL",
			"the buyer converts the trial to a formal purchase", act(controlapi.ActConvert, controlapi.InstanceAction{})},
		{`^the buyer cancels the renewal$`, "refunds the latest renewal not yet begun: refreshInstance UNSUBSCRIBE_RENEWAL_PERIOD",
			"the buyer cancels the renewal", act(controlapi.ActCancelRenewal, controlapi.InstanceAction{})},
		{`^the buyer upgrades the instance$`, "places a CHANGE order to the other product: upgradeInstance",
			"the buyer upgrades the instance", act(controlapi.ActUpgrade, controlapi.InstanceAction{})},
		{`^KooGallery notifies the seller of the order$`, "sends orderNotify (订单通知) for the scenario's order, to products that declare it",
			"KooGallery notifies the seller of the order", notifyOrder},
		{`^KooGallery checks a renewal change of the instance with productInfo as an? (object|string)$`,
			"sends changeInstanceCheck, productInfo as an object or a JSON string",
			"KooGallery checks a renewal change of the instance with productInfo as a string", changeCheck},
		{`^KooGallery freezes the instance$`, "updateInstanceStatus FREEZE", "KooGallery freezes the instance",
			act(controlapi.ActFreeze, controlapi.InstanceAction{})},
		{`^KooGallery unfreezes the instance$`, "updateInstanceStatus UNFREEZE", "KooGallery unfreezes the instance",
			act(controlapi.ActUnfreeze, controlapi.InstanceAction{})},
		{`^the buyer unsubscribes$`, "places an UNSUBSCRIBE order: releaseInstance with it", "the buyer unsubscribes",
			act(controlapi.ActUnsubscribe, controlapi.InstanceAction{})},
		{`^KooGallery releases the instance(?: again)?$`, "releaseInstance now (again, if released already)",
			"KooGallery releases the instance again", act(controlapi.ActRelease, controlapi.InstanceAction{})},
		{`^KooGallery released the instance$`, "releases the instance and requires the seller to accept",
			"KooGallery released the instance", actAccepted(controlapi.ActRelease, controlapi.InstanceAction{})},
		{`^the callback was (\w+) with (scene|status) "([^"]+)"$`, "the last callback's activity and its scene or status",
			`the callback was refreshInstance with scene "RENEWAL"`, callbackWas},
		{`^the callback carried the order$`, "the last callback names the order the action placed",
			"the callback carried the order", callbackCarriedOrder},
		{`^releasing it again succeeded$`, "the seller accepted releaseInstance for an instance already released",
			"releasing it again succeeded", passedRule(koomock.RuleReleaseIdempotent, "the seller did not accept releasing an instance already released",
				"verdict.releaseIdempotent.notAccepted")},
		{`^the instance's period ends$`, "moves the virtual clock just past the instance's expiry (@exclusive)",
			"the instance's period ends", periodEnds},
		{`^(\d+) (minutes?|hours?|days?) pass(?:es)?$`, "moves the virtual clock; due jobs run on the way (@exclusive)",
			"15 days pass", pass},
		{`^KooGallery (froze|unfroze|released) the instance and the seller accepted$`,
			"the instance is in that state and its latest updateInstanceStatus or releaseInstance was delivered",
			"KooGallery froze the instance and the seller accepted", changedAndAccepted},
		{`^the instance is (active|frozen|released|creating|failed)$`, "the instance's state in koomock", "the instance is active", instanceIs},
		{`^KooGallery expires the instance now$`, "ends the instance's period at once, as the console's expire does: FREEZE",
			"KooGallery expires the instance now", act(controlapi.ActExpire, controlapi.InstanceAction{})},
		{`^the order is (pending|delivered|failed)$`, "the status of the scenario's latest order (failed: cancelled and refunded)",
			"the order is failed", orderIs},
	}}
}

// purchaseKinds maps the feature's words to orders, trials included.
func purchaseKind(kind string) controlapi.BuyRequest {
	if kind == "trial" {
		return controlapi.BuyRequest{ChargingMode: koomock.ChargingPeriod, Trial: true}
	}
	return purchaseFor[kind]
}

func createdFor(ctx context.Context, kind string) error {
	s := state(ctx)
	p, err := s.api.Buy(ctx, purchaseKind(kind))
	if err != nil {
		return harness(fmt.Errorf("buy a %s order: %w", kind, err))
	}
	s.orders = append(s.orders, p)
	s.record(p.Exchange)
	if p.Instance == nil {
		return broke(fmt.Sprintf("the seller did not create an instance for a %s order", kind), p.Exchange)
	}
	return nil
}

func buyAsync(ctx context.Context) error {
	s := state(ctx)
	p, err := s.api.Buy(ctx, controlapi.BuyRequest{ExtendParams: []koomock.Param{{Key: "provisioning", Value: "async"}}})
	if err != nil {
		return harness(fmt.Errorf("buy an order created asynchronously: %w", err))
	}
	s.orders = append(s.orders, p)
	s.record(p.Exchange)
	if p.Instance == nil || p.Instance.State != koomock.InstanceCreating {
		return &ruleError{what: "the seller did not answer 000004 for an order whose extendParams ask for asynchronous provisioning " +
			"(provisioning=async): this scenario needs a seller that creates instances asynchronously (capability @async)", exchange: p.Exchange, verdicts: p.Exchange.Failures()}
	}
	return nil
}

// doAct runs a lifecycle action on the scenario's instance and makes its last exchange the last one.
func doAct(ctx context.Context, action string, req controlapi.InstanceAction) (controlapi.ActionResult, error) {
	s := state(ctx)
	in, err := instance(ctx)
	if err != nil {
		return controlapi.ActionResult{}, err
	}
	res, err := s.api.Act(ctx, in.ID, action, req)
	if err != nil {
		return res, harness(fmt.Errorf("%s instance %s: %w", action, in.ID, err))
	}
	saas(ctx).action = &res
	if e := res.Last(); e != nil {
		s.record(e)
	}
	return res, nil
}

func act(action string, req controlapi.InstanceAction) func(context.Context) error {
	return func(ctx context.Context) error {
		_, err := doAct(ctx, action, req)
		return err
	}
}

func actAccepted(action string, req controlapi.InstanceAction) func(context.Context) error {
	return func(ctx context.Context) error {
		res, err := doAct(ctx, action, req)
		if err != nil {
			return err
		}
		for _, d := range res.Deliveries {
			if d.Status != koomock.DeliveryDelivered {
				return broke(fmt.Sprintf("the seller did not accept %s", d.Activity), res.Last())
			}
		}
		return nil
	}
}

func renewFor(ctx context.Context, n, unit string) error {
	num, _ := strconv.Atoi(n)
	_, err := doAct(ctx, controlapi.ActRenew, controlapi.InstanceAction{PeriodType: koomock.PeriodType(unit), PeriodNumber: num})
	return err
}

func renewDigits(ctx context.Context, digits string) error {
	n, _ := strconv.Atoi(digits)
	_, err := doAct(ctx, controlapi.ActRenew, controlapi.InstanceAction{ExpireTimeDigits: n})
	return err
}

// otherProduct is a product of the instance's charging mode other than its own.
func otherProduct(ctx context.Context, in *koomock.Instance) (string, error) {
	products, err := state(ctx).api.Products(ctx)
	if err != nil {
		return "", harness(fmt.Errorf("list products: %w", err))
	}
	for _, p := range products {
		if p.ChargingMode == in.ChargingMode && p.ProductID != in.ProductID {
			return p.ProductID, nil
		}
	}
	return "", harness(fmt.Errorf("the catalog has no other %s product than %s", in.ChargingMode, in.ProductID))
}

func renewOtherProduct(action string) func(context.Context) error {
	return func(ctx context.Context) error {
		in, err := instance(ctx)
		if err != nil {
			return err
		}
		id, err := otherProduct(ctx, in)
		if err != nil {
			return err
		}
		_, err = doAct(ctx, action, controlapi.InstanceAction{ProductID: id})
		return err
	}
}

func changeCheck(ctx context.Context, form string) error {
	_, err := doAct(ctx, controlapi.ActChangeCheck, controlapi.InstanceAction{ProductInfoForm: form})
	return err
}

func callbackWas(ctx context.Context, activity, field, value string) error {
	e, err := lastExchange(state(ctx))
	if err != nil {
		return err
	}
	body, err := requestBody(e)
	if err != nil {
		return err
	}
	if e.Activity != protocol.Activity(activity) || body[field] != value {
		return fmt.Errorf("the last callback was %s with %s %v, want %s with %s %q", e.Activity, field, body[field], activity, field, value)
	}
	return nil
}

func callbackCarriedOrder(ctx context.Context) error {
	a := saas(ctx).action
	if a == nil || a.Order == nil || a.Last() == nil {
		return harness(fmt.Errorf("no action placed an order in this scenario"))
	}
	body, err := requestBody(a.Last())
	if err != nil {
		return err
	}
	if body["orderId"] != a.Order.ID || body["orderLineId"] != a.Order.LineID {
		return fmt.Errorf("%s names order %v/%v, want the %s order %s", a.Last().Activity, body["orderId"], body["orderLineId"], a.Order.Type, a.Order.ID)
	}
	return nil
}

// passedRule requires the last exchange to have passed rule; when it has no verdict of rule, the
// step fails with key's message.
func passedRule(rule koomock.Rule, what, key string) func(context.Context) error {
	return func(ctx context.Context) error {
		e, err := lastExchange(state(ctx))
		if err != nil {
			return err
		}
		if v, ok := e.Verdict(rule); ok && v.Outcome == koomock.Pass {
			return nil
		}
		re := &ruleError{what: what, exchange: e, verdicts: e.Failures()}
		if len(re.verdicts) == 0 {
			re.verdicts = []koomock.Verdict{i18n.Verdict(rule, koomock.Fail, key)}
		}
		return re
	}
}

func periodEnds(ctx context.Context) error {
	if err := needExclusive(ctx, "moving the clock"); err != nil {
		return err
	}
	s := state(ctx)
	in, err := instance(ctx)
	if err != nil {
		return err
	}
	d, err := s.api.Instance(ctx, in.ID)
	if err != nil {
		return harness(err)
	}
	if d.Instance.ExpireAt.IsZero() {
		return harness(fmt.Errorf("instance %s has no period", in.ID))
	}
	clk, err := s.api.Clock(ctx)
	if err != nil {
		return harness(err)
	}
	return advance(ctx, d.Instance.ExpireAt.Sub(clk.Now)+time.Second)
}

func advance(ctx context.Context, d time.Duration) error {
	if d < 0 {
		d = 0
	}
	if _, err := state(ctx).api.Advance(ctx, d.String()); err != nil {
		return harness(fmt.Errorf("advance the clock by %s: %w", d, err))
	}
	return nil
}

func pass(ctx context.Context, n, unit string) error {
	if err := needExclusive(ctx, "moving the clock"); err != nil {
		return err
	}
	num, _ := strconv.Atoi(n)
	per := map[byte]time.Duration{'m': time.Minute, 'h': time.Hour, 'd': 24 * time.Hour}[unit[0]]
	return advance(ctx, time.Duration(num)*per)
}

// latestDelivery returns the newest delivery of activity about the scenario's instance, or about its
// latest order when the seller created no instance.
func latestDelivery(ctx context.Context, activity string) (koomock.Delivery, error) {
	q := controlapi.DeliveryQuery{Activity: protocol.Activity(activity), Limit: 1}
	about := ""
	if in, err := instance(ctx); err == nil {
		q.InstanceID, about = in.ID, "instance "+in.ID
	} else if orders := state(ctx).orders; len(orders) > 0 {
		q.OrderID, about = orders[len(orders)-1].Order.ID, "order "+orders[len(orders)-1].Order.ID
	} else {
		return koomock.Delivery{}, err
	}
	list, err := state(ctx).api.Deliveries(ctx, q)
	if err != nil {
		return koomock.Delivery{}, harness(err)
	}
	if len(list) == 0 {
		return koomock.Delivery{}, fmt.Errorf("KooGallery sent no %s about %s", activity, about)
	}
	return list[0], nil
}

// deliveredOrBroke requires a delivery to be delivered, failing with its last attempt otherwise.
func deliveredOrBroke(ctx context.Context, d koomock.Delivery) error {
	if d.Status == koomock.DeliveryDelivered {
		return nil
	}
	var e *koomock.Exchange
	if n := len(d.Exchanges); n > 0 {
		e, _ = state(ctx).api.Exchange(ctx, d.Exchanges[n-1])
	}
	what := fmt.Sprintf("%s (delivery #%d) is %s after %d attempt(s): %s", d.Activity, d.ID, d.Status, d.Attempts, d.LastError)
	if e == nil {
		return fmt.Errorf("%s", what)
	}
	return broke(what, e)
}

func changedAndAccepted(ctx context.Context, what string) error {
	activity, status, st := "updateInstanceStatus", "FREEZE", koomock.InstanceFrozen
	switch what {
	case "unfroze":
		status, st = "UNFREEZE", koomock.InstanceActive
	case "released":
		activity, status, st = "releaseInstance", "", koomock.InstanceReleased
	}
	d, err := latestDelivery(ctx, activity)
	if err != nil {
		return err
	}
	if status != "" && d.Body["status"] != status {
		return fmt.Errorf("the latest updateInstanceStatus was %v, not %s", d.Body["status"], status)
	}
	if err := deliveredOrBroke(ctx, d); err != nil {
		return err
	}
	return instanceIs(ctx, string(st))
}

func instanceIs(ctx context.Context, want string) error {
	in, err := instance(ctx)
	if err != nil {
		return err
	}
	d, err := state(ctx).api.Instance(ctx, in.ID)
	if err != nil {
		return harness(err)
	}
	if string(d.Instance.State) != want {
		return fmt.Errorf("instance %s is %s, want %s", in.ID, d.Instance.State, want)
	}
	return nil
}

func orderIs(ctx context.Context, want string) error {
	s := state(ctx)
	if len(s.orders) == 0 {
		return harness(fmt.Errorf("no order in this scenario"))
	}
	p, err := s.api.Order(ctx, s.orders[len(s.orders)-1].Order.ID)
	if err != nil {
		return harness(err)
	}
	if string(p.Order.Status) != want {
		return fmt.Errorf("order %s is %s, want %s", p.Order.ID, p.Order.Status, want)
	}
	return nil
}
