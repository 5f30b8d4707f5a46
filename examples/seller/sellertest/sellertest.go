// Package sellertest provides deliberately broken variants of the reference seller, each breaking one
// KooGallery rule, so that tests can prove koomock's suite catches every broken seller and names the
// rule it broke. Each variant wraps the correct seller and changes only what its name says.
package sellertest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/examples/seller"
	"github.com/koomock/koomock/protocol"
)

// Variant is one broken seller.
type Variant struct {
	Name string
	// Rule is the rule the suite must report as broken.
	Rule koomock.Rule
	// Broken says what the variant does wrong.
	Broken string
	// Says is a phrase the suite's report must contain besides the rule, if any.
	Says string
	// Timeout, when set, is the callback timeout to test the variant with: a variant that never
	// answers makes every callback wait it out.
	Timeout time.Duration
	wrap    func(cfg seller.Config, next http.Handler) http.Handler
	// configure changes the reference seller's settings before it is built.
	configure func(cfg *seller.Config)
}

// Variants lists every broken seller: each breaks a required rule, so the suite fails it.
var Variants = []Variant{
	{Name: "no-signature-check", Rule: koomock.RuleRefused,
		Broken: "accepts callbacks whatever their signature and timestamp", wrap: ignoreSignature},
	{Name: "new-instance-on-resend", Rule: koomock.RuleIdempotent,
		Broken: "creates a new instance every time newInstance is resent", wrap: freshInstanceIDs},
	{Name: "no-instance-id", Rule: koomock.RuleInstanceID,
		Broken: "answers 000000 without an instanceId", wrap: rewriteAnswer(func(a map[string]any) { delete(a, "instanceId") })},
	{Name: "slow", Rule: koomock.RuleDeadline, Timeout: 50 * time.Millisecond,
		Broken: "never answers within KooGallery's 5 s", wrap: holdUntilCancelled},
	{Name: "case-sensitive-signature", Rule: koomock.RuleSucceeded,
		Broken: "compares the signature case-sensitively with lower-case hex, so refuses every correct callback with 000001",
		Says:   "comparing case-sensitively", wrap: caseSensitiveVerifier},
	{Name: "wrong-result-code", Rule: koomock.RuleResultCode,
		Broken: "answers success with the unknown code 100000", wrap: rewriteAnswer(func(a map[string]any) {
			if a["resultCode"] == string(protocol.ResultSuccess) {
				a["resultCode"] = "100000"
			}
		})},
	{Name: "release-not-idempotent", Rule: koomock.RuleReleaseIdempotent,
		Broken: "answers 000003 when an instance it released is released again", wrap: releaseOnce},
	{Name: "query-missing-id", Rule: koomock.RuleQueryAllIDs,
		Broken: "leaves the last requested instance out of queryInstance's info", wrap: editInfo(func(info []any) []any { return info[:len(info)-1] })},
	{Name: "no-front-end-url", Rule: koomock.RuleQueryAppInfo,
		Broken: "answers queryInstance without appInfo.frontEndUrl", wrap: editEachInfo(func(i map[string]any) { delete(appInfo(i), "frontEndUrl") })},
	{Name: "accepts-too-many-ids", Rule: koomock.RuleQueryLimit,
		Broken: "answers a queryInstance of more than 100 IDs with 000000", wrap: acceptTooManyIDs},
	{Name: "unknown-instance-succeeds", Rule: koomock.RuleUnknownInstance,
		Broken: "answers 000000 instead of 000003 about an instance it does not have", wrap: rewriteAnswer(func(a map[string]any) {
			if a["resultCode"] == string(protocol.ResultNoSuchInstance) {
				a["resultCode"] = string(protocol.ResultSuccess)
			}
		})},
	{Name: "no-usage-info", Rule: koomock.RuleQueryUsageInfo,
		Broken: "answers queryInstance without usageInfo for on-demand and package instances", wrap: editEachInfo(func(i map[string]any) { delete(i, "usageInfo") })},
	{Name: "usage-below-pushed", Rule: koomock.RuleQueryUsage,
		Broken: "reports a usage of 0 in queryInstance after pushing more", wrap: editEachInfo(func(i map[string]any) {
			for _, u := range asList(i["usageInfo"]) {
				if m, ok := u.(map[string]any); ok {
					m["usageValue"] = 0
				}
			}
		})},
	{Name: "wrong-order-query-signing", Rule: koomock.RuleAPIGSignature,
		Broken: "signs its order queries with a wrong SK", configure: func(c *seller.Config) { c.SK = "not-the-secret-key" }},
	{Name: "bad-usage-signature", Rule: koomock.RuleUsageSignature,
		Broken: "signs its usage pushes wrongly", configure: func(c *seller.Config) { c.HTTPClient = &http.Client{Transport: tamperUsageSignature{}} }},
	{Name: "refuses-17-digit-expire-time", Rule: koomock.RuleSucceeded,
		Broken: "refuses refreshInstance when expireTime has 17 digits", wrap: refuse17Digits},
	{Name: "async-never-ready", Rule: koomock.RuleAsyncCreation,
		Broken: "keeps answering 000004 for an instance it creates asynchronously", wrap: neverReady},
	{Name: "dial-tests-fail", Rule: koomock.RuleDialTest,
		Broken: "answers a debug call once, then fails every replay of it", wrap: debugOnce},
	{Name: "ignores-kit-sign", Rule: koomock.RuleRefused,
		Broken: "accepts kit syncs whatever their x-sign", wrap: ignoreKitSignature},
	{Name: "kit-inner-hmac", Rule: koomock.RuleSucceeded,
		Broken: "verifies kit syncs with the basic interfaces' inner-HMAC formula, so refuses them with 000001",
		Says:   "basic-interface formula", configure: func(cfg *seller.Config) { cfg.Joint.InnerHMAC = true }},
	{Name: "cannot-decrypt-secret", Rule: koomock.RuleKitClientSecret,
		Broken: "decrypts clientSecret with the wrong OAEP digest and answers 000101", configure: wrongOAEP},
	{Name: "hard-coded-domain", Rule: koomock.RuleOAuthDomain,
		Broken: "calls koomock's root URL instead of the tenant's domainName", configure: viaTransport(hardCodedDomain)},
	{Name: "never-refreshes", Rule: koomock.RuleOAuthRefresh,
		Broken: "never sends the refresh_token grant", configure: viaTransport(noRefresh)},
	{Name: "reuses-code", Rule: koomock.RuleOAuthCodeReuse,
		Broken: "redeems every authorization code twice", configure: viaTransport(redeemTwice)},
	{Name: "refuses-framing", Rule: koomock.RuleWorkbenchFraming, Says: "X-Frame-Options: DENY",
		Broken: "sends X-Frame-Options: DENY, so the workbench cannot frame it", wrap: refuseFraming},
	{Name: "own-login-state", Rule: koomock.RuleWorkbenchState,
		Broken: "refuses a callback unless its own login page started the login", wrap: ownLoginOnly},
}

// WarnVariants break one advisory rule each: KooGallery accepts them, so the suite passes with a
// warning naming the rule, and fails them only under --strict.
var WarnVariants = []Variant{
	{Name: "raw-non-ascii-memo", Rule: koomock.RuleQueryMemo,
		Broken: "sends appInfo.memo's Chinese as raw UTF-8 instead of \\uXXXX escapes", wrap: unescapedAnswers},
	{Name: "wrong-body-sign", Rule: koomock.RuleBodySign,
		Broken: "sends a Body-Sign that does not match the answer", wrap: wrongBodySign},
	{Name: "lax-session-cookie", Rule: koomock.RuleWorkbenchCookie,
		Broken: "sets its session cookie SameSite=Lax, which a browser drops in the workbench's iframe", wrap: laxSessionCookie},
}

// Lookup returns the variant with the given name.
func Lookup(name string) (Variant, bool) {
	for _, v := range append(Variants, WarnVariants...) {
		if v.Name == name {
			return v, true
		}
	}
	return Variant{}, false
}

// Handler returns the broken seller: the reference seller built from cfg, wrapped.
func (v Variant) Handler(cfg seller.Config) http.Handler {
	if v.configure != nil {
		v.configure(&cfg)
	}
	if v.wrap == nil {
		return seller.New(cfg)
	}
	return v.wrap(cfg, seller.New(cfg))
}

// ignoreSignature re-signs every callback correctly, at the seller's own time, before the reference
// seller verifies it: the effect of a seller that skips verification, while everything else stays
// correct.
func ignoreSignature(cfg seller.Config, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if canonical, err := protocol.CanonicalJSON(body); err == nil {
			nonce := r.URL.Query().Get(protocol.QueryNonce)
			if nonce == "" {
				nonce = "NONCE"
			}
			sig := protocol.SignV2(cfg.AccessKey, nonce, now(cfg), canonical)
			q := r.URL.Query()
			for k, v := range sig.Query() {
				q[k] = v
			}
			r.URL.RawQuery = q.Encode()
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		next.ServeHTTP(w, r)
	})
}

// freshInstanceIDs replaces every instanceId in answers with a new one.
func freshInstanceIDs(cfg seller.Config, next http.Handler) http.Handler {
	var n atomic.Int64
	return rewriteAnswer(func(a map[string]any) {
		if _, ok := a["instanceId"]; ok {
			a["instanceId"] = "instance-" + strconv.FormatInt(n.Add(1), 10)
		}
	})(cfg, next)
}

// rewriteAnswer edits the reference seller's JSON answer and signs the edited body again, so that only
// the edit is wrong.
func rewriteAnswer(edit func(map[string]any)) func(seller.Config, http.Handler) http.Handler {
	return func(cfg seller.Config, next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			var a map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &a); err != nil {
				http.Error(w, fmt.Sprintf("sellertest: reference answer is not JSON: %v", err), http.StatusInternalServerError)
				return
			}
			edit(a)
			body, _ := json.Marshal(a)
			body = protocol.EscapeNonASCII(body)
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.Header().Set(protocol.BodySignHeader, protocol.FormatBodySign(protocol.BodySign(cfg.AccessKey, body)))
			w.Header().Del("Content-Length")
			w.WriteHeader(rec.Code)
			w.Write(body)
		})
	}
}

// holdUntilCancelled reads the callback and then waits until koomock gives up, never answering.
func holdUntilCancelled(_ seller.Config, _ http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.ReadAll(r.Body) // net/http notices the client hanging up only once the body is read
		<-r.Context().Done()
	})
}

// caseSensitiveVerifier refuses, with 000001, every callback whose signature is not exactly the
// lower-case hex it computes itself: the mistake of a seller comparing with ==.
func caseSensitiveVerifier(cfg seller.Config, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		q := r.URL.Query()
		ts, _ := strconv.ParseInt(q.Get(protocol.QueryTimestamp), 10, 64)
		canonical, _ := protocol.CanonicalJSON(body)
		want := strings.ToLower(protocol.SignV2(cfg.AccessKey, q.Get(protocol.QueryNonce), time.UnixMilli(ts), canonical).Signature)
		if q.Get(protocol.QuerySignature) != want {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"resultCode":"000001","resultMsg":"token is invalid"}`)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		next.ServeHTTP(w, r)
	})
}

func now(cfg seller.Config) time.Time {
	if cfg.Now == nil {
		return time.Now()
	}
	return cfg.Now()
}
