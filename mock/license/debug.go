package license

import (
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/ids"
	"github.com/koomock/koomock/protocol"
)

// DebugBody returns the body the seller console's debugging sends for a license callback (spec
// license-login §1.7), with testFlag "1": about a fresh code of productID nobody bought, renewed for a
// year from now by a fresh order. `koomock fire` sends it. ok is false for an activity that is not a
// license callback.
func DebugBody(activity protocol.Activity, src *ids.Source, productID string, now time.Time) (body map[string]any, ok bool) {
	cb, ok := oneOff(activity, src, productID, now, protocol.TestFlagDebug)
	return cb.Body, ok
}

// oneOff is a license callback about a fresh code nobody bought, for the calls that are not part of a
// code's life: debug calls and probes. The code is renewed for a year from now by a fresh order,
// frozen, or released without an order.
func oneOff(activity protocol.Activity, src *ids.Source, productID string, now time.Time, testFlag string) (callback, bool) {
	c := koomock.LicenseCode{Code: "PL" + src.Alnum(codeLength), ProductID: productID, ExpireAt: now.AddDate(1, 0, 0), TestFlag: testFlag}
	switch activity {
	case protocol.RefreshLicenseCode:
		o := koomock.Order{ID: src.OrderID(now)}
		o.LineID = o.ID + "-000001"
		return refreshCallback(c, protocol.SceneRenewal, o), true
	case protocol.UpdateLicenseCodeStatus:
		return statusCallback(c, protocol.StatusFreeze), true
	case protocol.ReleaseLicenseCode:
		return releaseCallback(c), true
	}
	return callback{}, false
}
