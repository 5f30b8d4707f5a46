package protocol

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Query parameter names KooGallery adds to every basic-interface callback (spec saas-v2 §2.2).
const (
	QuerySignature = "signature"
	QueryTimestamp = "timestamp"
	QueryNonce     = "nonce"
)

// SignatureWindow is how far a callback's timestamp may lie from the receiver's clock (spec saas-v2
// §2.2: "difference ≤ 60 s").
const SignatureWindow = 60 * time.Second

// SchemeV2 names the basic-interface signature in journals and traces.
const SchemeV2 = "v2-basic"

// Errors returned by VerifyV2. Huawei's sample answers 000001 for the signature ones and 000002 for the
// timestamp and nonce ones.
var (
	ErrNoSignature       = errors.New("signature query parameter missing")
	ErrNoTimestamp       = errors.New("timestamp query parameter missing")
	ErrBadTimestamp      = errors.New("timestamp is not milliseconds since the epoch")
	ErrStaleTimestamp    = errors.New("timestamp outside the 60 s window")
	ErrNoNonce           = errors.New("nonce query parameter missing")
	ErrSignatureMismatch = errors.New("signature does not match")
)

// V2Signature holds every intermediate value of a basic-interface signature.
type V2Signature struct {
	// Canonical is the payload: the canonical JSON body.
	Canonical []byte
	// Inner is lowerhex(HMAC_SHA256(key, Canonical)).
	Inner string
	// Nonce and Timestamp are the values sent as query parameters.
	Nonce     string
	Timestamp string
	// Signature is upper-case hex of HMAC_SHA256(key, key + nonce + timestamp + Inner).
	Signature string
	// maskedString is the signed string with the key replaced by a mask, safe to show.
	maskedString string
}

// MaskedStringToSign returns the string that was signed with the access key masked out.
func (s V2Signature) MaskedStringToSign() string { return s.maskedString }

// Query returns the three query parameters that carry the signature.
func (s V2Signature) Query() url.Values {
	return url.Values{QuerySignature: {s.Signature}, QueryTimestamp: {s.Timestamp}, QueryNonce: {s.Nonce}}
}

// SignV2 signs a canonical body the way KooGallery signs basic-interface callbacks (spec saas-v2 §2.2,
// Huawei's sample IsvProduceAPI):
//
//	inner     = lowerhex(HMAC_SHA256(accessKey, payload))
//	signature = HEX(HMAC_SHA256(accessKey, accessKey + nonce + timestamp + inner))
func SignV2(accessKey, nonce string, timestamp time.Time, canonical []byte) V2Signature {
	ts := strconv.FormatInt(timestamp.UnixMilli(), 10)
	inner := hexHMAC(accessKey, canonical)
	signed := accessKey + nonce + ts + inner
	return V2Signature{
		Canonical:    canonical,
		Inner:        inner,
		Nonce:        nonce,
		Timestamp:    ts,
		Signature:    strings.ToUpper(hexHMAC(accessKey, []byte(signed))),
		maskedString: MaskSecret(accessKey) + nonce + ts + inner,
	}
}

// VerifyV2 checks the signature, timestamp and nonce query parameters of a basic-interface callback
// against its raw body, as a seller must. The body is re-canonicalised, so a body whose keys arrive in
// another order still verifies, as with Huawei's sample. Hex is compared case-insensitively and in
// constant time.
func VerifyV2(accessKey string, query url.Values, body []byte, now time.Time) error {
	sig, nonce := query.Get(QuerySignature), query.Get(QueryNonce)
	at, err := checkSigned(sig, query.Get(QueryTimestamp), nonce, now, ErrNoSignature, ErrNoTimestamp, ErrNoNonce)
	if err != nil {
		return err
	}
	canonical, err := CanonicalJSON(body)
	if err != nil {
		return err
	}
	if !EqualHex(SignV2(accessKey, nonce, at, canonical).Signature, sig) {
		return ErrSignatureMismatch
	}
	return nil
}

// checkSigned checks the signature, timestamp and nonce values that the basic and the kit schemes
// both carry (in the query or in headers), in the order Huawei's sample checks them, and returns the
// signing time. The no* errors name each missing value in the scheme's own words.
func checkSigned(sig, tsText, nonce string, now time.Time, noSig, noTS, noNonce error) (time.Time, error) {
	if sig == "" {
		return time.Time{}, noSig
	}
	if tsText == "" {
		return time.Time{}, noTS
	}
	ms, err := strconv.ParseInt(tsText, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: %q", ErrBadTimestamp, tsText)
	}
	at := time.UnixMilli(ms)
	if skew := now.Sub(at).Abs(); skew > SignatureWindow {
		return at, fmt.Errorf("%w: %s away from now", ErrStaleTimestamp, skew.Round(time.Second))
	}
	if nonce == "" {
		return at, noNonce
	}
	return at, nil
}

// EqualHex compares two hex strings case-insensitively in constant time (for equal lengths).
func EqualHex(a, b string) bool {
	ab, errA := hex.DecodeString(a)
	bb, errB := hex.DecodeString(b)
	if errA != nil || errB != nil {
		return false
	}
	return hmac.Equal(ab, bb)
}

// MaskSecret hides a secret in traces and logs, keeping only its length visible.
func MaskSecret(secret string) string {
	return "<key:" + strconv.Itoa(len(secret)) + " chars>"
}

func hexHMAC(key string, msg []byte) string {
	return hex.EncodeToString(hmacSHA256(key, msg))
}

func hmacSHA256(key string, msg []byte) []byte {
	m := hmac.New(sha256.New, []byte(key))
	m.Write(msg)
	return m.Sum(nil)
}
