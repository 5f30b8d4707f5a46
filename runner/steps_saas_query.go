package runner

import (
	"context"
	"fmt"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/protocol"
)

func querySteps() StepGroup {
	return StepGroup{Name: "queryInstance, unknown instances and debug calls", Doc: "queryInstance and its checks, probes naming an unknown instance or too many IDs, and the console's debug calls (spec saas-v2 §3.2, §4, §6.2).", Steps: []StepDef{
		{`^KooGallery queries the instance$`, "sends queryInstance for the scenario's latest instance",
			"KooGallery queries the instance", queryLatest},
		{`^KooGallery queries all the scenario's instances at once$`, "sends one queryInstance with every instance of the scenario",
			"KooGallery queries all the scenario's instances at once", queryAll},
		{`^KooGallery queries more than 100 instances at once$`, "sends queryInstance with 101 instance IDs (a probe)",
			"KooGallery queries more than 100 instances at once", probeInstance(controlapi.TooManyIDs, "queryInstance")},
		{`^KooGallery sends (\w+) about an instance the seller never created$`, "sends a correct callback naming a made-up instance (a probe)",
			"KooGallery sends releaseInstance about an instance the seller never created", probeUnknown},
		{`^every requested instance is in the answer with its appInfo$`, "queryInstance answered every instance, each with appInfo.frontEndUrl",
			"every requested instance is in the answer with its appInfo", queryComplete},
		{`^the instance's usageInfo is reported$`, "queryInstance carried usageInfo for the on-demand or package instance",
			"the instance's usageInfo is reported", passedRule(koomock.RuleQueryUsageInfo, "the answer carries no usageInfo for the instance",
				"verdict.queryUsageInfo.none")},
		{`^the seller answers that the instance does not exist$`, "the probe naming a made-up instance was answered 000003 (--accept unknown-instance=...)",
			"the seller answers that the instance does not exist", refusedAs(koomock.RuleUnknownInstance)},
		{`^the seller refuses it as too many instance IDs$`, "the queryInstance with 101 IDs was refused with 000002 (--accept too-many-ids=...)",
			"the seller refuses it as too many instance IDs", refusedAs(koomock.RuleQueryLimit)},
		{`^KooGallery's console sends a debug (\w+)(?: for the order "([^"]+)")?$`,
			"sends the activity as the seller console's debugging does: testFlag 1, a debug order (MOCK...)",
			`KooGallery's console sends a debug newInstance for the order "MOCKONDEMAND"`, debugCall},
	}}
}

func query(ctx context.Context, ids []string) error {
	s := state(ctx)
	e, err := s.api.Query(ctx, controlapi.QueryRequest{InstanceIDs: ids})
	if err != nil {
		return harness(fmt.Errorf("queryInstance: %w", err))
	}
	s.record(e)
	return nil
}

func queryLatest(ctx context.Context) error {
	in, err := instance(ctx)
	if err != nil {
		return err
	}
	return query(ctx, []string{in.ID})
}

func queryAll(ctx context.Context) error {
	var ids []string
	for _, p := range state(ctx).orders {
		if p.Instance != nil {
			ids = append(ids, p.Instance.ID)
		}
	}
	if len(ids) == 0 {
		return harness(fmt.Errorf("no instance in this scenario yet"))
	}
	return query(ctx, ids)
}

// instanceOrEmpty is the scenario's latest instance, or "" when there is none: probes name it.
func instanceOrEmpty(ctx context.Context) string {
	if in, err := instance(ctx); err == nil {
		return in.ID
	}
	return ""
}

func probeInstance(p controlapi.Probe, activity string) func(context.Context) error {
	return func(ctx context.Context) error { return probe(ctx, activity, p) }
}

func probeUnknown(ctx context.Context, activity string) error {
	return probe(ctx, activity, controlapi.UnknownInstance)
}

func queryComplete(ctx context.Context) error {
	e, err := lastExchange(state(ctx))
	if err != nil {
		return err
	}
	for _, rule := range []koomock.Rule{koomock.RuleQueryAllIDs, koomock.RuleQueryAppInfo} {
		if v, ok := e.Verdict(rule); !ok || v.Outcome != koomock.Pass {
			return broke("the queryInstance answer does not carry every requested instance with its appInfo", e)
		}
	}
	return nil
}

// refusedAs requires the last probe to be refused under its specific rule.
func refusedAs(rule koomock.Rule) func(context.Context) error {
	return func(ctx context.Context) error {
		e, err := lastExchange(state(ctx))
		if err != nil {
			return err
		}
		if v, ok := e.Verdict(rule); ok && v.Outcome == koomock.Pass {
			return nil
		}
		return broke(fmt.Sprintf("the seller did not refuse %s as KooGallery requires", e.Activity), e)
	}
}

func debugCall(ctx context.Context, activity, orderID string) error {
	s := state(ctx)
	req := controlapi.DebugCallRequest{Activity: protocol.Activity(activity), OrderID: orderID}
	if activity != string(protocol.NewInstance) {
		req.InstanceID = instanceOrEmpty(ctx)
	}
	e, err := s.api.DebugCall(ctx, req)
	if err != nil {
		return harness(fmt.Errorf("debug %s: %w", activity, err))
	}
	s.record(e)
	return nil
}

// requestBody decodes the body koomock sent in an exchange.
func requestBody(e *koomock.Exchange) (map[string]any, error) {
	b, err := protocol.DecodeObject([]byte(e.Request.Body))
	if err != nil {
		return nil, harness(fmt.Errorf("exchange %d: %w", e.ID, err))
	}
	return b, nil
}
