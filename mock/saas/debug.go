package saas

import (
	"context"
	"strings"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/mock/notify"
	"github.com/koomock/koomock/protocol"
)

// DebugOrderID is the debug order KooGallery's console uses for a yearly purchase (spec saas-v2 §6.2).
const DebugOrderID = "MOCKPERIODYEARNEW"

// debugOrderFor is the debug order the console's debugging uses for each activity with an order.
var debugOrderFor = map[protocol.Activity]string{
	protocol.NewInstance:     DebugOrderID,
	protocol.RefreshInstance: "MOCKMONTYRENEW",
	protocol.UpgradeInstance: "MOCKMONTYCHANGE",
	protocol.ReleaseInstance: "MOCKMONTYUNSUBSCRIBE",
}

// DebugInstanceID stands in for an instance in debug bodies when none is named.
const DebugInstanceID = "koomock-debug-instance"

// DebugBody returns the body the seller console's debugging sends for an activity, with testFlag "1":
// KooGallery's debug orders (MOCKPERIODYEARNEW for newInstance...) and, for instance activities, a
// stand-in instance to replace with a real one. ok is false for an activity without one.
func DebugBody(activity protocol.Activity, newID func() string, now time.Time) (body map[string]any, ok bool) {
	body = map[string]any{protocol.FieldActivity: string(activity), protocol.FieldTestFlag: protocol.TestFlagDebug}
	if id, ok := debugOrderFor[activity]; ok {
		body[protocol.FieldOrderID], body[protocol.FieldOrderLineID] = id, id+"-000001"
	}
	switch activity {
	case protocol.NewInstance:
		body[protocol.FieldBusinessID] = newID()
		return body, true
	case protocol.RefreshInstance:
		body[protocol.FieldScene] = string(protocol.SceneRenewal)
		body[protocol.FieldExpireTime] = protocol.FormatExpireTime(now.AddDate(0, 1, 0), 14)
	case protocol.UpdateInstanceStatus:
		body[protocol.FieldStatus] = string(protocol.StatusFreeze)
	case protocol.ChangeInstanceCheck:
		body[protocol.FieldProductInfo] = map[string]any{"productId": "OFFI100000000000000005", "skuCode": "KMK-PERIOD-PRO",
			"productName": "koomock demo SaaS, Professional (yearly/monthly/daily)"}
	case protocol.QueryInstance, protocol.ReleaseInstance, protocol.UpgradeInstance:
	default:
		return nil, false
	}
	body[protocol.FieldInstanceID] = DebugInstanceID
	return body, true
}

// Judging returns how a callback is judged beyond the generic rules without marketplace state: the
// result codes that count as success besides 000000, and the stateless checks. `koomock fire` and
// dial-test replays judge one-off callbacks with it.
func Judging(activity protocol.Activity, body map[string]any) (allow []protocol.ResultCode, checks []notify.Check) {
	switch activity {
	case protocol.NewInstance:
		var answered string
		return []protocol.ResultCode{protocol.ResultProcessing}, []notify.Check{checkInstanceID(&answered)}
	case protocol.QueryInstance:
		ids, _ := body[protocol.FieldInstanceID].(string)
		return nil, []notify.Check{func(e *koomock.Exchange, answer map[string]any) {
			judgeInfo(e, answer, strings.FieldsFunc(ids, func(r rune) bool { return r == ',' }), false, func(string) (koomock.ChargingMode, float64, bool) { return "", 0, false })
		}}
	}
	return nil, nil
}

// DebugCall sends the callback the seller console's debugging sends (testFlag "1"): with a debug
// order, or for a real instance when one is named. Its passing exchange can be saved as a debug case.
func (m *Market) DebugCall(ctx context.Context, req controlapi.DebugCallRequest) (*koomock.Exchange, error) {
	if err := m.needSeller(); err != nil {
		return nil, err
	}
	activity := protocol.Activity(req.Activity)
	body, ok := DebugBody(activity, m.IDs.UUID, m.Now())
	if !ok {
		return nil, controlapi.Errorf(controlapi.CodeInvalid, "no debug call for activity %q", req.Activity)
	}
	if req.OrderID != "" {
		if _, has := body[protocol.FieldOrderID]; !has {
			return nil, controlapi.Errorf(controlapi.CodeInvalid, "%s carries no order", req.Activity)
		}
		if _, ok := m.Catalog.DebugOrder(req.OrderID); !ok {
			if _, err := m.Store.Order(ctx, req.OrderID); err != nil {
				return nil, controlapi.Errorf(controlapi.CodeNotFound, "order %s is neither a debug order nor one koomock placed", req.OrderID)
			}
		}
		body[protocol.FieldOrderID], body[protocol.FieldOrderLineID] = req.OrderID, req.OrderID+"-000001"
	}
	if req.InstanceID != "" {
		if activity == protocol.NewInstance {
			return nil, controlapi.Errorf(controlapi.CodeInvalid, "newInstance names no instance")
		}
		body[protocol.FieldInstanceID] = req.InstanceID
	}
	allow, checks := Judging(activity, body)
	nd := notify.Callback{Activity: req.Activity, URL: m.SellerURL, Key: m.AccessKey, Body: body, Allow: allow, Checks: checks,
		InstanceID: req.InstanceID}
	nd.OrderID, _ = body[protocol.FieldOrderID].(string)
	sent, err := m.Courier.Send(ctx, nd, string(req.Activity))
	if err != nil {
		return nil, err
	}
	return sent[len(sent)-1], nil
}
