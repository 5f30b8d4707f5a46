package protocol

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// Kit (联营) sync interfaces: KooGallery posts them to the seller's production base URL plus a fixed
// sub-path, signed in headers rather than the query (spec saas-v2 §2.3, §5).
const (
	HeaderKitSign      = "x-sign"
	HeaderKitTimestamp = "x-timestamp"
	HeaderKitNonce     = "x-nonce"
)

// The kit scheme names recorded in signing traces.
const (
	// SchemeKit is the official sample's formula (verifyTenantSignature): one HMAC over
	// key + nonce + timestamp + the canonical body.
	SchemeKit = "kit"
	// SchemeKitInnerHMAC is the reading of the docs' generic text: the body replaced by
	// lowerhex(HMAC(key, body)), as in the basic interfaces.
	SchemeKitInnerHMAC = "kit-inner-hmac"
)

// The kit sync interfaces and their V2 sub-paths (spec saas-v2 §5).
const (
	TenantSync      Activity = "tenantSync"
	ApplicationSync Activity = "applicationSync"
	AuthSync        Activity = "authSync"
	SingleOrgSync   Activity = "singleOrgSync"
	AllOrgSync      Activity = "allOrgSync"
)

// KitPathPrefix precedes the interface name in a kit sync's URL: base + "/produceAPI/v2/tenantSync".
const KitPathPrefix = "/produceAPI/v2/"

// KitSyncs lists the kit sync interfaces.
var KitSyncs = []Activity{TenantSync, ApplicationSync, AuthSync, SingleOrgSync, AllOrgSync}

// The flag values of kit syncs (spec saas-v2 §5): what happened to the record.
const (
	KitFlagDelete = 0
	KitFlagAdd    = 1
	KitFlagModify = 2
	// KitFlagCancelAuth withdraws a user's authorisation (authSync only).
	KitFlagCancelAuth = 3
)

// MaxAuthSyncUsers is how many users one authSync carries at most (spec saas-v2 §5).
const MaxAuthSyncUsers = 500

// Errors returned by VerifyKit for missing headers; a bad timestamp or signature gives the same
// errors as VerifyV2.
var (
	ErrNoKitSign      = errors.New("x-sign header missing")
	ErrNoKitTimestamp = errors.New("x-timestamp header missing")
	ErrNoKitNonce     = errors.New("x-nonce header missing")
)

// KitSignature holds every intermediate value of a kit signature.
type KitSignature struct {
	// Canonical is the canonical JSON body.
	Canonical []byte
	// Inner is lowerhex(HMAC(key, Canonical)) in the inner-HMAC variant, empty otherwise.
	Inner     string
	Nonce     string
	Timestamp string
	// Signature is lower-case hex, as the spec's vector.
	Signature    string
	maskedString string
}

// MaskedStringToSign returns the signed string with the key masked out.
func (s KitSignature) MaskedStringToSign() string { return s.maskedString }

// Apply sets the three signature headers on h.
func (s KitSignature) Apply(h http.Header) {
	h.Set(HeaderKitSign, s.Signature)
	h.Set(HeaderKitTimestamp, s.Timestamp)
	h.Set(HeaderKitNonce, s.Nonce)
}

// SignKit signs a canonical kit body (spec saas-v2 §2.3, Huawei's sample verifyTenantSignature):
//
//	x-sign = lowerhex(HMAC_SHA256(kitKey, kitKey + nonce + timestamp + payload))
//
// where payload is the canonical body itself, or, with innerHMAC, lowerhex(HMAC_SHA256(kitKey, body)).
func SignKit(kitKey, nonce string, timestamp time.Time, canonical []byte, innerHMAC bool) KitSignature {
	ts := strconv.FormatInt(timestamp.UnixMilli(), 10)
	payload := string(canonical)
	s := KitSignature{Canonical: canonical, Nonce: nonce, Timestamp: ts}
	if innerHMAC {
		s.Inner = hexHMAC(kitKey, canonical)
		payload = s.Inner
	}
	s.Signature = hexHMAC(kitKey, []byte(kitKey+nonce+ts+payload))
	s.maskedString = MaskSecret(kitKey) + nonce + ts + payload
	return s
}

// VerifyKit checks the x-sign, x-timestamp and x-nonce headers of a kit sync against its raw body, as a
// seller must: the timestamp within 60 s, the signature compared case-insensitively in constant time
// over the re-canonicalised body.
func VerifyKit(kitKey string, h http.Header, body []byte, now time.Time, innerHMAC bool) error {
	sig, nonce := h.Get(HeaderKitSign), h.Get(HeaderKitNonce)
	at, err := checkSigned(sig, h.Get(HeaderKitTimestamp), nonce, now, ErrNoKitSign, ErrNoKitTimestamp, ErrNoKitNonce)
	if err != nil {
		return err
	}
	canonical, err := CanonicalJSON(body)
	if err != nil {
		return err
	}
	if !EqualHex(SignKit(kitKey, nonce, at, canonical, innerHMAC).Signature, sig) {
		return ErrSignatureMismatch
	}
	return nil
}

// chinaStandardTime is UTC+8, the zone of kit timeStamp fields.
var chinaStandardTime = time.FixedZone("UTC+8", 8*60*60)

// KitTimeStamp formats t as kit bodies carry it: yyyyMMddHHmmssSSS in UTC+8 (spec saas-v2 §5).
func KitTimeStamp(t time.Time) string {
	t = t.In(chinaStandardTime)
	return t.Format("20060102150405") + fmt.Sprintf("%03d", t.Nanosecond()/int(time.Millisecond))
}

// ParseKitTimeStamp reads a yyyyMMddHHmmssSSS UTC+8 time stamp.
func ParseKitTimeStamp(s string) (time.Time, error) {
	if len(s) != 17 {
		return time.Time{}, fmt.Errorf("time stamp %q is not yyyyMMddHHmmssSSS", s)
	}
	t, err := time.ParseInLocation("20060102150405", s[:14], chinaStandardTime)
	if err != nil {
		return time.Time{}, fmt.Errorf("time stamp %q is not yyyyMMddHHmmssSSS", s)
	}
	ms, err := strconv.Atoi(s[14:])
	if err != nil {
		return time.Time{}, fmt.Errorf("time stamp %q is not yyyyMMddHHmmssSSS", s)
	}
	return t.Add(time.Duration(ms) * time.Millisecond), nil
}
