package license

import (
	"context"
	"maps"
	"slices"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/i18n"
	"github.com/koomock/koomock/mock/delivery"
	"github.com/koomock/koomock/mock/notify"
	"github.com/koomock/koomock/protocol"
)

// callback is one license callback to deliver: the activity and its body.
type callback struct {
	Activity protocol.Activity `json:"activity"`
	Code     string            `json:"code"`
	Body     map[string]any    `json:"body"`
}

func withTestFlag(body map[string]any, c koomock.LicenseCode) map[string]any {
	if c.TestFlag != "" {
		body[protocol.FieldTestFlag] = c.TestFlag
	}
	return body
}

// refreshCallback announces a renewal or a renewal refund with its order and the new expiry.
func refreshCallback(c koomock.LicenseCode, scene protocol.Scene, o koomock.Order) callback {
	return callback{Activity: protocol.RefreshLicenseCode, Code: c.Code, Body: withTestFlag(map[string]any{
		protocol.FieldActivity:    string(protocol.RefreshLicenseCode),
		protocol.FieldScene:       string(scene),
		protocol.FieldOrderID:     o.ID,
		protocol.FieldOrderLineID: o.LineID,
		protocol.FieldLicense:     c.Code,
		protocol.FieldProductID:   c.ProductID,
		protocol.FieldExpireTime:  protocol.FormatLicenseTime(c.ExpireAt),
	}, c)}
}

// statusCallback announces FREEZE or UNFREEZE.
func statusCallback(c koomock.LicenseCode, status protocol.InstanceStatus) callback {
	return callback{Activity: protocol.UpdateLicenseCodeStatus, Code: c.Code, Body: withTestFlag(map[string]any{
		protocol.FieldActivity: string(protocol.UpdateLicenseCodeStatus),
		protocol.FieldLicense:  c.Code,
		protocol.FieldStatus:   string(status),
	}, c)}
}

// releaseCallback announces a release, with the unsubscription order when there is one.
func releaseCallback(c koomock.LicenseCode) callback {
	body := map[string]any{
		protocol.FieldActivity: string(protocol.ReleaseLicenseCode),
		protocol.FieldLicense:  c.Code,
	}
	if c.ReleaseOrderID != "" {
		body[protocol.FieldOrderID] = c.ReleaseOrderID
		body[protocol.FieldOrderLineID] = c.ReleaseOrderLineID
	}
	return callback{Activity: protocol.ReleaseLicenseCode, Code: c.Code, Body: withTestFlag(body, c)}
}

// Kinds of the license deliveries (mock/delivery): a callback, and a release of a code already
// released, which must still succeed.
const (
	kindCallback     = "license.callback"
	kindReleaseAgain = "license.releaseAgain"
)

// registerDeliveries hands the license callbacks to the courier, which delivers and retries every
// callback koomock sends, and lets its faults be aimed at them.
func (s *Service) registerDeliveries() {
	targets := make([]string, len(protocol.LicenseCallbacks))
	for i, a := range protocol.LicenseCallbacks {
		targets[i] = string(a)
	}
	s.Courier.AddTargets(targets...)
	s.Courier.Register(kindCallback, delivery.Kind{Build: s.buildCallback})
	s.Courier.Register(kindReleaseAgain, delivery.Kind{Build: s.buildReleaseAgain})
}

// policy is KooGallery's retry schedule of the license callbacks: every RetryEvery, Retries times.
func (s *Service) policy() delivery.Policy {
	return delivery.Policy{Every: s.Settings.RetryEvery, For: s.Settings.RetryEvery * time.Duration(s.Settings.Retries)}
}

// sendAll starts the delivery of cb and adds its first attempt to res.
func (s *Service) sendAll(ctx context.Context, res *controlapi.LicenseResult, cb callback) error {
	return s.sendKind(ctx, res, cb, kindCallback)
}

func (s *Service) sendKind(ctx context.Context, res *controlapi.LicenseResult, cb callback, kind string) error {
	if s.callbackURL() == "" {
		s.Logger.Info("no license URL: callback not sent", "activity", cb.Activity, "license", cb.Code)
		return nil
	}
	orderID, _ := cb.Body[protocol.FieldOrderID].(string)
	d := &koomock.Delivery{Activity: cb.Activity, OrderID: orderID, InstanceID: cb.Code, Body: cb.Body}
	e, err := s.Courier.Start(ctx, kind, d, s.policy())
	if e != nil {
		res.Callbacks = append(res.Callbacks, e)
	}
	return err
}

// buildCallback makes each attempt of a license callback from the code as it is now: a FREEZE still
// being retried when a renewal unfroze the code goes out as UNFREEZE, and a refresh carries the current
// expiry, so that a late retry never undoes a later change at the seller.
func (s *Service) buildCallback(_ context.Context, d *koomock.Delivery) (notify.Callback, error) {
	body := maps.Clone(d.Body)
	if c, ok := s.code(d.InstanceID); ok && c.State != koomock.LicenseReleased {
		switch protocol.Activity(d.Activity) {
		case protocol.UpdateLicenseCodeStatus:
			body[protocol.FieldStatus] = string(protocol.StatusUnfreeze)
			if c.State == koomock.LicenseFrozen {
				body[protocol.FieldStatus] = string(protocol.StatusFreeze)
			}
		case protocol.RefreshLicenseCode:
			body[protocol.FieldExpireTime] = protocol.FormatLicenseTime(c.ExpireAt)
		}
	}
	return notify.Callback{
		Activity: d.Activity, URL: s.callbackURL(), Key: s.callbackKey(), Body: body,
		OrderID: d.OrderID, InstanceID: d.InstanceID, ResultCodes: protocol.LicenseCallbackResults,
	}, nil
}

// buildReleaseAgain is releaseLicenseCode for a code already released: it must still succeed.
func (s *Service) buildReleaseAgain(ctx context.Context, d *koomock.Delivery) (notify.Callback, error) {
	nd, err := s.buildCallback(ctx, d)
	nd.Checks = []notify.Check{func(e *koomock.Exchange, _ map[string]any) {
		if delivery.Succeeded(e) {
			i18n.Judge(e, koomock.RuleLicenseReleaseIdempotent, koomock.Pass, "verdict.releaseCodeAgain.pass")
			return
		}
		e.Record(i18n.VerdictAt(koomock.RuleLicenseReleaseIdempotent, koomock.Fail, "/resultCode", "verdict.releaseCodeAgain.fail", d.InstanceID))
	}}
	return nd, err
}

// Probe sends a deliberately faulty license callback for a code nobody bought, and judges whether the
// seller refuses it with one of the accepted codes.
func (s *Service) Probe(ctx context.Context, req controlapi.LicenseProbe) (*koomock.Exchange, error) {
	activity := protocol.Activity(req.Activity)
	if !slices.Contains(protocol.LicenseCallbacks, activity) {
		return nil, controlapi.Errorf(controlapi.CodeInvalid, "license probes are for %v, not %q", protocol.LicenseCallbacks, req.Activity)
	}
	probe, err := controlapi.ParseProbe(req.Probe)
	if err != nil {
		return nil, controlapi.Errorf(controlapi.CodeInvalid, "%v", err)
	}
	if probe == controlapi.NoProbe {
		return nil, controlapi.Errorf(controlapi.CodeInvalid, "name a probe")
	}
	if field, ok := probe.Field(); ok {
		required, err := s.Notifier.Spec.Required(string(req.Activity))
		if err != nil {
			return nil, err
		}
		if !slices.Contains(required, field) {
			return nil, controlapi.Errorf(controlapi.CodeInvalid, "%s is not a mandatory field of %s (mandatory: %v)", field, req.Activity, required)
		}
	}
	if s.callbackURL() == "" {
		return nil, controlapi.Errorf(controlapi.CodeConflict, "no license URL to send the probe to: start koomock with --license-url or --seller-url")
	}
	cb, _ := oneOff(activity, s.IDs, s.Catalog.Products[0].ID, s.Now(), "")
	return s.Notifier.Send(ctx, notify.Callback{
		Activity: req.Activity, URL: s.callbackURL(), Key: s.callbackKey(), Body: cb.Body,
		Probe: probe, Refusals: req.Refusals, InstanceID: cb.Code, ResultCodes: protocol.LicenseCallbackResults,
	})
}
