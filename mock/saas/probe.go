package saas

import (
	"context"
	"slices"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/mock/notify"
	"github.com/koomock/koomock/protocol"
)

// Probe sends a deliberately faulty newInstance for a fresh, never-paid order, and judges whether the
// seller refuses it with one of the accepted codes.
func (m *Market) Probe(ctx context.Context, req controlapi.ProbeRequest) (*koomock.Exchange, error) {
	if req.Activity != string(protocol.NewInstance) {
		return nil, controlapi.Errorf(controlapi.CodeInvalid, "probes are available for newInstance, not %q", req.Activity)
	}
	probe, err := controlapi.ParseProbe(req.Probe)
	if err != nil {
		return nil, controlapi.Errorf(controlapi.CodeInvalid, "%v", err)
	}
	if probe == controlapi.NoProbe {
		return nil, controlapi.Errorf(controlapi.CodeInvalid, "name a probe")
	}
	if field, ok := probe.Field(); ok {
		required, err := m.Notifier.Spec.Required(req.Activity)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(required, field) {
			return nil, controlapi.Errorf(controlapi.CodeInvalid, "%s is not a mandatory field of %s (mandatory: %v)", field, req.Activity, required)
		}
	}
	orderID := m.IDs.OrderID(m.Now())
	body := map[string]any{
		protocol.FieldActivity:    req.Activity,
		protocol.FieldOrderID:     orderID,
		protocol.FieldOrderLineID: orderID + "-000001",
		protocol.FieldBusinessID:  m.IDs.UUID(),
	}
	return m.Notifier.Send(ctx, notify.Delivery{
		Activity: req.Activity, URL: m.SellerURL, Key: m.AccessKey, Body: body,
		Probe: probe, Refusals: req.Refusals, OrderID: orderID,
	})
}
