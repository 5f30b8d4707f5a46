package sellertest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
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
		wrap: onLicense(func(a map[string]any, _ string) {
			a["resultCode"], a["resultMsg"] = string(protocol.ResultInvalidParam), "unsupported activity"
		})},
	{Name: "license-release-once", Rule: koomock.RuleSucceeded,
		Broken: "answers 000003 when a code it already released is released again", wrap: releaseOnce},
	{Name: "license-saas-result-code", Rule: koomock.RuleResultCode,
		Broken: "answers the license callbacks with 000103, a code only newInstance has",
		wrap:   onLicense(func(a map[string]any, _ string) { a["resultCode"] = string(protocol.ResultAlreadyPurchased) })},
	{Name: "license-no-signature-check", Rule: koomock.RuleRefused,
		Broken: "accepts license callbacks whatever their signature", wrap: ignoreSignature},
}

// LookupLicense returns the license variant with the given name.
func LookupLicense(name string) (Variant, bool) {
	for _, v := range LicenseVariants {
		if v.Name == name {
			return v, true
		}
	}
	return Variant{}, false
}

// licenseCallback returns the activity and code of a license callback's body; ok is false for any
// other callback.
func licenseCallback(body []byte) (activity protocol.Activity, code string, ok bool) {
	var f struct {
		Activity string `json:"activity"`
		License  string `json:"license"`
	}
	json.Unmarshal(body, &f)
	switch a := protocol.Activity(f.Activity); a {
	case protocol.RefreshLicenseCode, protocol.UpdateLicenseCodeStatus, protocol.ReleaseLicenseCode:
		return a, f.License, true
	}
	return "", "", false
}

// peek reads the request body and puts it back.
func peek(r *http.Request) []byte {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	return body
}

// onLicense edits the reference seller's answers to license callbacks only (edit gets the answer and
// the request's activity).
func onLicense(edit func(answer map[string]any, activity string)) func(seller.Config, http.Handler) http.Handler {
	return func(cfg seller.Config, next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			activity, _, ok := licenseCallback(peek(r))
			if !ok {
				next.ServeHTTP(w, r)
				return
			}
			rewriteAnswer(func(a map[string]any) { edit(a, string(activity)) })(cfg, next).ServeHTTP(w, r)
		})
	}
}

// releaseOnce refuses a second release of the same code with 000003.
func releaseOnce(cfg seller.Config, next http.Handler) http.Handler {
	var mu sync.Mutex
	released := map[string]bool{}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		activity, code, ok := licenseCallback(peek(r))
		if !ok || activity != protocol.ReleaseLicenseCode {
			next.ServeHTTP(w, r)
			return
		}
		mu.Lock()
		again := released[code]
		released[code] = true
		mu.Unlock()
		if !again {
			next.ServeHTTP(w, r)
			return
		}
		rewriteAnswer(func(a map[string]any) {
			if a["resultCode"] == string(protocol.ResultSuccess) {
				a["resultCode"], a["resultMsg"] = string(protocol.ResultNoSuchInstance), "license code not found"
			}
		})(cfg, next).ServeHTTP(w, r)
	})
}
