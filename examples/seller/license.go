package seller

import (
	"context"
	"sync"
	"time"

	"github.com/koomock/koomock/protocol"
)

// The License 2.0 callbacks (spec license-login §1.7) arrive at the same production URL, told apart by
// "activity". KooGallery announces a code's life here; the code itself is activated and checked by the
// seller's software against KooGallery directly, so the seller may hear of a code here first: every
// well-formed callback is accepted, and each is idempotent (a repeated FREEZE or release succeeds).

// licenseBook is what the seller knows of license codes. Its zero value is ready to use.
type licenseBook struct {
	mu    sync.Mutex
	codes map[string]*licenseRecord
}

// licenseRecord is one code as the seller keeps it. A frozen code's user data must be kept until the
// code is released.
type licenseRecord struct {
	Status   string // active, frozen, released
	Expire   string // yyyyMMddHHmmss
	OrderID  string
	Released bool
}

// registerLicenseActivities answers the three license callbacks.
func (s *Seller) registerLicenseActivities() {
	for _, a := range []protocol.Activity{protocol.RefreshLicenseCode, protocol.UpdateLicenseCodeStatus, protocol.ReleaseLicenseCode} {
		s.handle(a, func(_ context.Context, f fields) any { return s.licenses.handle(a, f) })
	}
}

// handle answers one license callback.
func (b *licenseBook) handle(activity protocol.Activity, f fields) answer {
	code := f.str(protocol.FieldLicense)
	if code == "" || len(code) > 64 {
		return badParam()
	}
	var apply func(r *licenseRecord)
	switch activity {
	case protocol.RefreshLicenseCode:
		scene, expire := protocol.Scene(f.str(protocol.FieldScene)), f.str(protocol.FieldExpireTime)
		if scene != protocol.SceneRenewal && scene != protocol.SceneUnsubscribeRenewal ||
			f.missing(protocol.FieldOrderID, protocol.FieldOrderLineID) || !isLicenseTime(expire) {
			return badParam()
		}
		apply = func(r *licenseRecord) { r.Expire, r.OrderID = expire, f.str(protocol.FieldOrderID) }
	case protocol.UpdateLicenseCodeStatus:
		switch protocol.InstanceStatus(f.str(protocol.FieldStatus)) {
		case protocol.StatusFreeze:
			apply = func(r *licenseRecord) { r.Status = "frozen" }
		case protocol.StatusUnfreeze:
			apply = func(r *licenseRecord) { r.Status = "active" }
		default:
			return badParam()
		}
	case protocol.ReleaseLicenseCode:
		apply = func(r *licenseRecord) { r.Status, r.Released = "released", true }
	}
	if f.debug() {
		// A debug or dial-test call: answer success and change nothing, as the official sample does.
		return ok()
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.codes == nil {
		b.codes = map[string]*licenseRecord{}
	}
	r := b.codes[code]
	if r == nil {
		r = &licenseRecord{Status: "active"}
		b.codes[code] = r
	}
	if !r.Released || activity == protocol.ReleaseLicenseCode {
		apply(r)
	}
	return ok()
}

func isLicenseTime(s string) bool {
	_, err := time.Parse(protocol.LicenseTimeFormat, s)
	return err == nil && len(s) == len(protocol.LicenseTimeFormat)
}
