package sellertest

import (
	"net/http"
	"slices"
	"sync"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/examples/seller"
	"github.com/koomock/koomock/protocol"
)

// LicenseVariants are sellers whose License 2.0 callbacks are broken; everything else about them is
// the reference seller. The license suite (koomock verify with a license URL) must fail on each,
// naming Rule.
var LicenseVariants = []Variant{
	{Name: "license-unsupported", Rule: koomock.RuleSucceeded,
		Broken: "answers the license callbacks 000002 (\"unsupported activity\"), like a SaaS-only seller",
		wrap:   onLicense(func(map[string]any) map[string]any { return code(protocol.ResultInvalidParam) })},
	{Name: "license-release-once", Rule: koomock.RuleLicenseReleaseIdempotent,
		Broken: "answers 000003 when a code it already released is released again", wrap: releaseLicenseOnce},
	{Name: "license-saas-result-code", Rule: koomock.RuleResultCode,
		Broken: "answers the license callbacks with 000103, a code only newInstance has",
		wrap:   onLicense(func(map[string]any) map[string]any { return code(protocol.ResultAlreadyPurchased) })},
	{Name: "license-no-signature-check", Rule: koomock.RuleRefused,
		Broken: "accepts license callbacks whatever their signature", wrap: ignoreSignature},
}

var licenseActivities = []protocol.Activity{protocol.RefreshLicenseCode, protocol.UpdateLicenseCodeStatus, protocol.ReleaseLicenseCode}

// onLicense answers every correctly signed license callback itself, with answer's result.
func onLicense(answer func(f map[string]any) map[string]any) func(seller.Config, http.Handler) http.Handler {
	return func(cfg seller.Config, next http.Handler) http.Handler {
		return intercept(func(f map[string]any) (map[string]any, bool) {
			if !slices.Contains(licenseActivities, protocol.Activity(str(f, "activity"))) {
				return nil, false
			}
			return answer(f), true
		})(cfg, next)
	}
}

// releaseLicenseOnce answers 000003 to a second release of the same license code.
func releaseLicenseOnce(cfg seller.Config, next http.Handler) http.Handler {
	var mu sync.Mutex
	released := map[string]bool{}
	return intercept(func(f map[string]any) (map[string]any, bool) {
		if str(f, "activity") != string(protocol.ReleaseLicenseCode) {
			return nil, false
		}
		mu.Lock()
		defer mu.Unlock()
		if released[str(f, protocol.FieldLicense)] {
			return code(protocol.ResultNoSuchInstance), true
		}
		released[str(f, protocol.FieldLicense)] = true
		return nil, false
	})(cfg, next)
}
