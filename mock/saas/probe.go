package saas

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/mock/notify"
	"github.com/koomock/koomock/protocol"
)

// Probe sends a deliberately faulty callback of any activity and judges whether the seller refuses it
// with one of the accepted codes. Probes of instance activities name req.InstanceID (a made-up
// instance when empty) and, where the activity carries one, a fresh order that was never paid, so
// that a seller that wrongly accepts them changes nothing real.
func (m *Market) Probe(ctx context.Context, req controlapi.ProbeRequest) (*koomock.Exchange, error) {
	if err := m.needSeller(); err != nil {
		return nil, err
	}
	activity := protocol.Activity(req.Activity)
	if !slices.Contains(m.Notifier.Spec.Webhooks(), string(req.Activity)) {
		return nil, controlapi.Errorf(controlapi.CodeInvalid, "%q is not an activity of openapi/seller.yaml", req.Activity)
	}
	probe, err := controlapi.ParseProbe(req.Probe)
	if err != nil {
		return nil, controlapi.Errorf(controlapi.CodeInvalid, "%v", err)
	}
	switch {
	case probe == controlapi.NoProbe:
		return nil, controlapi.Errorf(controlapi.CodeInvalid, "name a probe")
	case probe == controlapi.TooManyIDs && activity != protocol.QueryInstance:
		return nil, controlapi.Errorf(controlapi.CodeInvalid, "the %s probe is for queryInstance", probe)
	case probe == controlapi.UnknownInstance && (activity == protocol.NewInstance || activity == protocol.QueryInstance || activity == protocol.OrderNotify):
		return nil, controlapi.Errorf(controlapi.CodeInvalid, "the %s probe is for activities that act on an instance", probe)
	}
	if field, ok := probe.Field(); ok {
		required, err := m.Notifier.Spec.Required(string(req.Activity))
		if err != nil {
			return nil, err
		}
		if !slices.Contains(required, field) {
			return nil, controlapi.Errorf(controlapi.CodeInvalid, "%s is not a mandatory field of %s (mandatory: %v)", field, req.Activity, required)
		}
	}
	instanceID := req.InstanceID
	if instanceID == "" || probe == controlapi.UnknownInstance {
		instanceID = "koomock-unknown-" + m.IDs.Token(8)
	}
	body := m.probeBody(activity, instanceID, m.Now())
	if probe == controlapi.TooManyIDs {
		ids := []string{instanceID}
		for len(ids) <= protocol.MaxQueryIDs {
			ids = append(ids, "koomock-extra-"+m.IDs.Token(6))
		}
		body[protocol.FieldInstanceID] = strings.Join(ids, ",")
	}
	nd := notify.Callback{
		Activity: req.Activity, URL: m.SellerURL, Key: m.AccessKey, Body: body,
		Probe: probe, Refusals: req.Refusals,
	}
	if _, named := body[protocol.FieldInstanceID]; named && probe != controlapi.UnknownInstance {
		nd.InstanceID = req.InstanceID
	}
	if id, ok := body[protocol.FieldOrderID].(string); ok {
		nd.OrderID = id
	}
	return m.Notifier.Send(ctx, nd)
}

// probeBody is a correct body of the activity for the instance; a fresh, never-paid order where the
// activity carries one.
func (m *Market) probeBody(activity protocol.Activity, instanceID string, now time.Time) map[string]any {
	orderID := m.IDs.OrderID(now)
	order := func(b map[string]any) map[string]any {
		b[protocol.FieldOrderID], b[protocol.FieldOrderLineID] = orderID, orderID+"-000001"
		return b
	}
	body := map[string]any{protocol.FieldActivity: string(activity)}
	switch activity {
	case protocol.NewInstance:
		body[protocol.FieldBusinessID] = m.IDs.UUID()
		return order(body)
	case protocol.RefreshInstance:
		body[protocol.FieldScene] = string(protocol.SceneRenewal)
		body[protocol.FieldExpireTime] = protocol.FormatExpireTime(now.AddDate(1, 0, 0), m.Options.ExpireTimeDigits)
		order(body)
	case protocol.UpgradeInstance:
		order(body)
	case protocol.OrderNotify:
		return order(body)
	case protocol.UpdateInstanceStatus:
		// UNFREEZE: a seller that wrongly accepts it leaves an active instance as it was.
		body[protocol.FieldStatus] = string(protocol.StatusUnfreeze)
	case protocol.ChangeInstanceCheck:
		p, _ := m.Catalog.ForMode(koomock.ChargingPeriod)
		body[protocol.FieldProductInfo], _ = productInfo(p, 0, FormObject)
	}
	body[protocol.FieldInstanceID] = instanceID
	return body
}
