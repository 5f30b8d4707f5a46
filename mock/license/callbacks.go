package license

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/mock/notify"
	"github.com/koomock/koomock/protocol"
	"github.com/koomock/koomock/store"
)

// callback is one license callback to deliver: the activity and its body. It is also the payload of a
// scheduled retry.
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

// retryKey names the pending retry of a code's callbacks of one activity: a newer callback of the same
// activity replaces it (an UNFREEZE must never be followed by a late FREEZE).
func retryKey(activity protocol.Activity, code string) string {
	return "license-callback:" + string(activity) + ":" + code
}

// sendAll sends cb (attempt 1) and adds its exchange to res.
func (s *Service) sendAll(ctx context.Context, res *controlapi.LicenseResult, cb callback) error {
	e, err := s.send(ctx, cb, 1)
	if e != nil {
		res.Callbacks = append(res.Callbacks, e)
	}
	return err
}

// send delivers cb and, if the seller did not accept it, schedules the next attempt RetryEvery later,
// up to Retries retries. A pending retry of the same activity for the code is dropped first: this
// delivery supersedes it. With no license URL configured, nothing is sent.
func (s *Service) send(ctx context.Context, cb callback, attempt int) (*koomock.Exchange, error) {
	key := retryKey(cb.Activity, cb.Code)
	if attempt == 1 {
		if err := s.Scheduler.Cancel(ctx, key); err != nil {
			return nil, err
		}
	}
	url := s.callbackURL()
	if url == "" {
		s.Logger.Info("no license URL: callback not sent", "activity", cb.Activity, "license", cb.Code)
		return nil, nil
	}
	orderID, _ := cb.Body[protocol.FieldOrderID].(string)
	e, err := s.Notifier.Send(ctx, notify.Delivery{
		Activity: string(cb.Activity), URL: url, Key: s.callbackKey(), Body: cb.Body,
		OrderID: orderID, InstanceID: cb.Code, ResultCodes: protocol.LicenseCallbackResults,
	})
	if err != nil {
		return e, err
	}
	if v, ok := e.Verdict(koomock.RuleSucceeded); ok && v.Outcome == koomock.Pass {
		return e, nil
	}
	if attempt > s.Settings.Retries {
		s.Logger.Warn("license callback failed for good", "activity", cb.Activity, "license", cb.Code, "attempts", attempt)
		return e, nil
	}
	due := s.Now().Add(s.Settings.RetryEvery)
	if _, err := s.Scheduler.Schedule(ctx, jobCallback, key, due, attempt+1, cb); err != nil {
		return e, err
	}
	return e, nil
}

// runCallbackRetry is the scheduled retry of a callback.
func (s *Service) runCallbackRetry(ctx context.Context, j store.Job) error {
	var cb callback
	if err := json.Unmarshal(j.Payload, &cb); err != nil {
		return fmt.Errorf("license callback retry %q: %w", j.Key, err)
	}
	_, err := s.send(ctx, cb, j.Attempt)
	return err
}

// licenseActivities are the callbacks probes may be sent for.
var licenseActivities = []protocol.Activity{protocol.RefreshLicenseCode, protocol.UpdateLicenseCodeStatus, protocol.ReleaseLicenseCode}

// Probe sends a deliberately faulty license callback for a code nobody bought, and judges whether the
// seller refuses it with one of the accepted codes.
func (s *Service) Probe(ctx context.Context, req controlapi.LicenseProbe) (*koomock.Exchange, error) {
	activity := protocol.Activity(req.Activity)
	if !slices.Contains(licenseActivities, activity) {
		return nil, controlapi.Errorf(controlapi.CodeInvalid, "license probes are for %v, not %q", licenseActivities, req.Activity)
	}
	probe, err := controlapi.ParseProbe(req.Probe)
	if err != nil {
		return nil, controlapi.Errorf(controlapi.CodeInvalid, "%v", err)
	}
	if probe == controlapi.NoProbe {
		return nil, controlapi.Errorf(controlapi.CodeInvalid, "name a probe")
	}
	if field, ok := probe.Field(); ok {
		required, err := s.Notifier.Spec.Required(req.Activity)
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
	now := s.Now()
	c := koomock.LicenseCode{Code: "PL" + s.IDs.Alnum(codeLength), ProductID: s.Catalog.Products[0].ID, ExpireAt: now.AddDate(1, 0, 0)}
	var cb callback
	switch activity {
	case protocol.RefreshLicenseCode:
		o := koomock.Order{ID: s.IDs.OrderID(now)}
		o.LineID = o.ID + "-000001"
		cb = refreshCallback(c, protocol.SceneRenewal, o)
	case protocol.UpdateLicenseCodeStatus:
		cb = statusCallback(c, protocol.StatusFreeze)
	default:
		cb = releaseCallback(c)
	}
	return s.Notifier.Send(ctx, notify.Delivery{
		Activity: req.Activity, URL: s.callbackURL(), Key: s.callbackKey(), Body: cb.Body,
		Probe: probe, Refusals: req.Refusals, InstanceID: c.Code, ResultCodes: protocol.LicenseCallbackResults,
	})
}
