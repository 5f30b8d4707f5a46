package runner

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
)

func deliverySteps() StepGroup {
	return StepGroup{Name: "Retries, faults, asynchronous creation and dial tests", Doc: "KooGallery's retries within a window, scripted callback faults, polling after 000004, debug cases replayed as dial tests (spec saas-v2 §1).", Steps: []StepDef{
		{`^the seller is unreachable for (\w+)$`, "switches on the fault seller-unreachable for an activity, or for dialTest (@exclusive)",
			"the seller is unreachable for refreshInstance", fault(controlapi.FaultSellerUnreachable, 0)},
		{`^KooGallery delivers every (\w+) twice$`, "switches on the fault callback-duplicate for an activity (@exclusive)",
			"KooGallery delivers every refreshInstance twice", fault(controlapi.FaultCallbackDuplicate, 0)},
		{`^KooGallery tampers with the signature of the next (\w+)$`, "switches on callback-tamper-signature for one callback (@exclusive)",
			"KooGallery tampers with the signature of the next refreshInstance", fault(controlapi.FaultCallbackTamper, 1)},
		{`^KooGallery is retrying the (\w+)$`, "the latest delivery of the activity failed and its next attempt is scheduled",
			"KooGallery is retrying the refreshInstance", retrying},
		{`^the retry window of the (\w+) passes$`, "moves the clock past the end of the delivery's retry window (@exclusive)",
			"the retry window of the refreshInstance passes", windowPasses},
		{`^KooGallery gave up the (\w+) after retrying it for (\d+) hours?$`,
			"the delivery failed after attempts on schedule for that long, each in the journal",
			"KooGallery gave up the refreshInstance after retrying it for 1 hour", gaveUp},
		{`^the failed (\w+) is re-triggered once the seller is reachable again$`,
			"clears the scenario's faults and re-sends the failed delivery, as the console's 重新启动 does",
			"the failed refreshInstance is re-triggered once the seller is reachable again", retrigger},
		{`^the (\w+) is delivered$`, "the latest delivery of the activity about the instance was acknowledged",
			"the refreshInstance is delivered", delivered},
		{`^the seller accepted the duplicate with the same answer$`, "the second delivery of the same callback got the same answer",
			"the seller accepted the duplicate with the same answer", duplicateAccepted},
		{`^KooGallery polls until the instance is delivered$`, "moves the clock through the create window, polling queryInstance (@exclusive)",
			"KooGallery polls until the instance is delivered", pollThrough},
		{`^the polls followed every KooGallery rule$`, "every queryInstance poll of the instance passed, the last delivering it",
			"the polls followed every KooGallery rule", pollsPassed},
		{`^the seller's answer to a debug newInstance is saved as a debug case$`,
			"sends a debug newInstance (MOCKPERIODYEARNEW, testFlag 1) and saves the passing exchange as a debug case",
			"the seller's answer to a debug newInstance is saved as a debug case", saveCase},
		{`^the debug case passed (\d+) dial tests?$`, "the saved case was replayed as dial tests at least that often, every time passing",
			"the debug case passed 2 dial tests", casePassed},
		{`^the product is (frozen|on sale)$`, "the debug case's product state (a frozen one is put on sale again after the scenario)",
			"the product is frozen", productState},
	}}
}

func fault(name string, remaining int) func(context.Context, string) error {
	return func(ctx context.Context, target string) error {
		if err := needExclusive(ctx, "a fault"); err != nil {
			return err
		}
		f, err := state(ctx).api.SetFault(ctx, koomock.Fault{Name: name, Target: target, Remaining: remaining})
		if err != nil {
			return harness(fmt.Errorf("switch on %s for %s: %w", name, target, err))
		}
		st := saas(ctx)
		st.faults = append(st.faults, f.ID)
		return nil
	}
}

func retrying(ctx context.Context, activity string) error {
	d, err := latestDelivery(ctx, activity)
	if err != nil {
		return err
	}
	if d.Status != koomock.DeliveryRetrying {
		return fmt.Errorf("%s (delivery #%d) is %s, want it retrying after a failed attempt", activity, d.ID, d.Status)
	}
	return nil
}

func windowPasses(ctx context.Context, activity string) error {
	if err := needExclusive(ctx, "moving the clock"); err != nil {
		return err
	}
	d, err := latestDelivery(ctx, activity)
	if err != nil {
		return err
	}
	clk, err := state(ctx).api.Clock(ctx)
	if err != nil {
		return harness(err)
	}
	return advance(ctx, d.GiveUpAt.Sub(clk.Now)+time.Minute)
}

func gaveUp(ctx context.Context, activity, hours string) error {
	d, err := latestDelivery(ctx, activity)
	if err != nil {
		return err
	}
	h, _ := strconv.Atoi(hours)
	switch {
	case d.Status != koomock.DeliveryFailed:
		return fmt.Errorf("%s (delivery #%d) is %s, want failed: KooGallery gives up when its window closes", activity, d.ID, d.Status)
	case d.GiveUpAt.Sub(d.StartedAt) != time.Duration(h)*time.Hour:
		return fmt.Errorf("%s was retried for %s, want %d h", activity, d.GiveUpAt.Sub(d.StartedAt), h)
	case d.Attempts < 2 || len(d.Exchanges) < d.Attempts:
		return fmt.Errorf("%s: %d attempts with %d exchanges in the journal, want retries, each journaled", activity, d.Attempts, len(d.Exchanges))
	}
	last, err := state(ctx).api.Exchange(ctx, d.Exchanges[len(d.Exchanges)-1])
	if err != nil {
		return harness(err)
	}
	if last.StartedAt.Sub(d.StartedAt) < time.Duration(h)*time.Hour-d.Every {
		return fmt.Errorf("the last attempt was %s after the first, want about %d h", last.StartedAt.Sub(d.StartedAt), h)
	}
	return nil
}

func retrigger(ctx context.Context, activity string) error {
	s, st := state(ctx), saas(ctx)
	for _, id := range st.faults {
		if err := s.api.ClearFault(ctx, id); err != nil && controlapi.ErrorCode(err) != controlapi.CodeNotFound {
			return harness(err)
		}
	}
	st.faults = nil
	d, err := latestDelivery(ctx, activity)
	if err != nil {
		return err
	}
	res, err := s.api.ResendDelivery(ctx, d.ID)
	if err != nil {
		return harness(fmt.Errorf("re-trigger delivery %d: %w", d.ID, err))
	}
	s.record(res.Exchange)
	return nil
}

func delivered(ctx context.Context, activity string) error {
	d, err := latestDelivery(ctx, activity)
	if err != nil {
		return err
	}
	return deliveredOrBroke(ctx, d)
}

func duplicateAccepted(ctx context.Context) error {
	e, err := lastExchange(state(ctx))
	if err != nil {
		return err
	}
	if v, ok := e.Verdict(koomock.RuleDuplicate); ok && v.Outcome == koomock.Pass {
		return nil
	}
	if _, ok := e.Verdict(koomock.RuleDuplicate); !ok && !e.Failed() {
		return harness(fmt.Errorf("the last callback was not delivered twice: switch on callback-duplicate first"))
	}
	return broke("the seller did not accept the duplicate callback with the same answer", e)
}

func pollThrough(ctx context.Context) error {
	if err := needExclusive(ctx, "moving the clock"); err != nil {
		return err
	}
	set, err := state(ctx).api.Settings(ctx)
	if err != nil {
		return harness(err)
	}
	window, err := time.ParseDuration(set.Market.RetryCreateFor)
	if err != nil {
		return harness(fmt.Errorf("create window %q: %w", set.Market.RetryCreateFor, err))
	}
	return advance(ctx, window)
}

func pollsPassed(ctx context.Context) error {
	s := state(ctx)
	in, err := instance(ctx)
	if err != nil {
		return err
	}
	polls, err := s.api.Exchanges(ctx, koomock.ExchangeFilter{Direction: koomock.Outbound, Activity: "queryInstance", InstanceID: in.ID})
	if err != nil {
		return harness(err)
	}
	if len(polls) == 0 {
		return fmt.Errorf("KooGallery never polled instance %s", in.ID)
	}
	for i := len(polls) - 1; i >= 0; i-- {
		if polls[i].Failed() {
			return broke(fmt.Sprintf("poll #%d of instance %s broke KooGallery's rules", len(polls)-i, in.ID), &polls[i])
		}
	}
	return instanceIs(ctx, string(koomock.InstanceActive))
}

func saveCase(ctx context.Context) error {
	s, st := state(ctx), saas(ctx)
	e, err := s.api.DebugCall(ctx, controlapi.DebugCallRequest{Activity: "newInstance"})
	if err != nil {
		return harness(err)
	}
	s.record(e)
	if e.Failed() {
		return broke("the seller's answer to a debug newInstance did not pass, so it cannot be saved as a debug case", e)
	}
	c, err := s.api.SaveCase(ctx, controlapi.SaveCaseRequest{ExchangeID: e.ID, Name: "debug newInstance (" + s.name + ")"})
	if err != nil {
		return harness(err)
	}
	st.cases = append(st.cases, c.ID)
	return nil
}

func debugCase(ctx context.Context) (koomock.DebugCase, error) {
	st := saas(ctx)
	if len(st.cases) == 0 {
		return koomock.DebugCase{}, harness(fmt.Errorf("no debug case saved in this scenario"))
	}
	c, err := state(ctx).api.Case(ctx, st.cases[len(st.cases)-1])
	if err != nil {
		return c, harness(err)
	}
	return c, nil
}

func casePassed(ctx context.Context, n string) error {
	want, _ := strconv.Atoi(n)
	c, err := debugCase(ctx)
	if err != nil {
		return err
	}
	count := 0
	for _, r := range c.Runs {
		if !r.DialTest {
			continue
		}
		if !r.Passed {
			e, _ := state(ctx).api.Exchange(ctx, r.Exchange)
			if e == nil {
				return fmt.Errorf("the dial test at %s failed", r.At)
			}
			return broke(fmt.Sprintf("the dial test of debug case #%d at %s failed", c.ID, r.At.Format(time.RFC3339)), e)
		}
		count++
	}
	if count < want {
		return fmt.Errorf("debug case #%d was replayed %d time(s) as a dial test, want %d", c.ID, count, want)
	}
	return nil
}

func productState(ctx context.Context, want string) error {
	c, err := debugCase(ctx)
	if err != nil {
		return err
	}
	products, err := state(ctx).api.Products(ctx)
	if err != nil {
		return harness(err)
	}
	for _, p := range products {
		if p.ProductID == c.ProductID {
			if p.State.Frozen {
				st := saas(ctx)
				st.frozen = append(st.frozen, p.ProductID)
			}
			if p.State.Frozen != (want == "frozen") {
				return fmt.Errorf("product %s is not %s; debug case #%d failed on %d consecutive day(s) (%s)", p.ProductID, want, c.ID, c.FailedDays, p.State.Reason)
			}
			return nil
		}
	}
	return harness(fmt.Errorf("product %s of debug case #%d is not in the catalog", c.ProductID, c.ID))
}
