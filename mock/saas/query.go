package saas

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/i18n"
	"github.com/koomock/koomock/mock/notify"
	"github.com/koomock/koomock/protocol"
)

// Query sends queryInstance for the instances, as KooGallery does when a buyer opens the resource
// page, and judges the answer with what koomock knows: every instance present with appInfo, usageInfo
// for on-demand and package instances, and usage not below what the seller pushed.
func (m *Market) Query(ctx context.Context, ids []string) (*koomock.Exchange, error) {
	if err := m.needSeller(); err != nil {
		return nil, err
	}
	if len(ids) == 0 || len(ids) > protocol.MaxQueryIDs {
		return nil, controlapi.Errorf(controlapi.CodeInvalid, "name 1 to %d instance IDs (the too-many-ids probe sends more)", protocol.MaxQueryIDs)
	}
	for _, id := range ids {
		if id == "" || strings.Contains(id, ",") {
			return nil, controlapi.Errorf(controlapi.CodeInvalid, "instance ID %q is empty or contains a comma", id)
		}
	}
	nd := m.queryCallback(ids)
	nd.Checks = []notify.Check{m.queryChecks(ctx, ids)}
	for _, id := range ids {
		if in, err := m.Store.Instance(ctx, id); err == nil && in.State == koomock.InstanceCreating {
			// The seller may still be creating it: "processing" is a fair answer then.
			nd.Allow = []protocol.ResultCode{protocol.ResultProcessing}
		}
	}
	sent, err := m.Courier.Send(ctx, nd, string(protocol.QueryInstance))
	if err != nil {
		return nil, err
	}
	return sent[len(sent)-1], nil
}

func (m *Market) queryCallback(ids []string) notify.Callback {
	body := map[string]any{
		protocol.FieldActivity:   string(protocol.QueryInstance),
		protocol.FieldInstanceID: strings.Join(ids, ","),
	}
	m.testFlag(body, "")
	nd := notify.Callback{Activity: protocol.QueryInstance, URL: m.SellerURL, Key: m.AccessKey, Body: body}
	if len(ids) == 1 {
		nd.InstanceID = ids[0]
	}
	return nd
}

// queryChecks judges a queryInstance answer with the market's knowledge of the instances.
func (m *Market) queryChecks(ctx context.Context, ids []string) notify.Check {
	return func(e *koomock.Exchange, answer map[string]any) {
		judgeInfo(e, answer, ids, m.Options.StrictUsageInfo, func(id string) (koomock.ChargingMode, float64, bool) {
			in, err := m.Store.Instance(ctx, id)
			if err != nil {
				return "", 0, false
			}
			var pushed float64
			if records, err := m.Store.Usage(ctx, id); err == nil {
				for _, r := range records {
					pushed += r.Value
				}
			}
			return in.ChargingMode, pushed, true
		})
	}
}

// infoAnswer reads what the checks need of a queryInstance answer, keeping memo's raw bytes so that
// escapes can be told from characters sent as they are.
type infoAnswer struct {
	Info []struct {
		InstanceID string `json:"instanceId"`
		AppInfo    *struct {
			FrontEndURL string          `json:"frontEndUrl"`
			Memo        json.RawMessage `json:"memo"`
		} `json:"appInfo"`
		UsageInfo  []protocol.UsageInfo `json:"usageInfo"`
		UsageInfos []protocol.UsageInfo `json:"usageInfos"`
	} `json:"info"`
}

// usageTolerance absorbs the rounding of usageValue's four decimals.
const usageTolerance = 1e-4

// judgeInfo checks the info of a successful queryInstance answer for the requested ids. know tells an
// instance's charging mode and the usage pushed for it (ok false when koomock does not know it).
func judgeInfo(e *koomock.Exchange, answer map[string]any, ids []string, strict bool, know func(id string) (koomock.ChargingMode, float64, bool)) {
	if code, _ := answer["resultCode"].(string); code != string(protocol.ResultSuccess) || e.Response == nil {
		return
	}
	var a infoAnswer
	if err := json.Unmarshal([]byte(e.Response.Body), &a); err != nil {
		return // the schema verdict already says what is wrong with info
	}
	failed := map[koomock.Rule]bool{}
	fail := func(rule koomock.Rule, pointer, key string, args ...any) {
		failed[rule] = true
		e.Record(i18n.VerdictAt(rule, koomock.Fail, pointer, key, args...))
	}
	checked := map[koomock.Rule]bool{koomock.RuleQueryAllIDs: true, koomock.RuleQueryAppInfo: true, koomock.RuleQueryMemo: true}
	for _, id := range ids {
		i := -1
		for j, info := range a.Info {
			if info.InstanceID == id {
				i = j
				break
			}
		}
		if i < 0 {
			fail(koomock.RuleQueryAllIDs, "/info", "verdict.query.missing", id)
			continue
		}
		info, at := a.Info[i], fmt.Sprintf("/info/%d", i)
		switch {
		case info.AppInfo == nil:
			fail(koomock.RuleQueryAppInfo, at+"/appInfo", "verdict.query.noAppInfo", id)
		case info.AppInfo.FrontEndURL == "":
			fail(koomock.RuleQueryAppInfo, at+"/appInfo/frontEndUrl", "verdict.query.noFrontEndUrl", id)
		default:
			if hasNonASCII(info.AppInfo.Memo) {
				fail(koomock.RuleQueryMemo, at+"/appInfo/memo", "verdict.query.memo", id)
			}
		}
		usage, usageAt := info.UsageInfo, at+"/usageInfo"
		if usage == nil && info.UsageInfos != nil {
			usage, usageAt = info.UsageInfos, at+"/usageInfos"
			checked[koomock.RuleQueryUsageInfo] = true
			if strict {
				fail(koomock.RuleQueryUsageInfo, usageAt, "verdict.query.usageInfosStrict")
			} else {
				e.Record(i18n.VerdictAt(koomock.RuleQueryUsageInfo, koomock.Warn, usageAt, "verdict.query.usageInfos"))
			}
		}
		mode, pushed, ok := know(id)
		if !ok || (mode != koomock.ChargingOnDemand && mode != koomock.ChargingOnDemandPkg) {
			continue
		}
		checked[koomock.RuleQueryUsageInfo] = true
		if len(usage) == 0 {
			fail(koomock.RuleQueryUsageInfo, usageAt, "verdict.query.noUsageInfo", id, mode)
			continue
		}
		if mode != koomock.ChargingOnDemand {
			continue
		}
		checked[koomock.RuleQueryUsage] = true
		var reported float64
		for _, u := range usage {
			reported += u.UsageValue
		}
		if reported+usageTolerance < pushed {
			fail(koomock.RuleQueryUsage, usageAt, "verdict.query.usageBelow", id, fmt.Sprintf("%g", reported), fmt.Sprintf("%g", pushed))
		}
	}
	for rule := range checked {
		if !failed[rule] {
			i18n.Judge(e, rule, koomock.Pass, "verdict.query.checked", len(ids))
		}
	}
}

func hasNonASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return true
		}
	}
	return false
}

// answered reports whether a successful queryInstance answer carries the instance.
func answered(e *koomock.Exchange, id string) bool {
	if code, _ := answerCode(e); code != string(protocol.ResultSuccess) || e.Response.Status != 200 {
		return false
	}
	var a infoAnswer
	if json.Unmarshal([]byte(e.Response.Body), &a) != nil {
		return false
	}
	for _, info := range a.Info {
		if info.InstanceID == id {
			return true
		}
	}
	return false
}
