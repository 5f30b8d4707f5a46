package protocol

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"crypto/hmac"
)

// Usage push (按需使用量推送): the seller reports what its on-demand instances used (spec saas-v2 §6.3).
const (
	// UsagePushPath is the new push, signed with ts/nonce/signature headers.
	UsagePushPath = "/api/mkp-openapi-public/global/v1/isv/usage-data"
	// UsagePushOldPath is the old push, signed with APIG AK/SK only; its records carry product_id.
	UsagePushOldPath = "/rest/marketplace/v1/isv/usage-data"
)

// Headers of the new usage push.
const (
	HeaderUsageTS        = "ts"
	HeaderUsageNonce     = "nonce"
	HeaderUsageSignature = "signature"
)

// MaxUsageNonce is the longest nonce the new push accepts.
const MaxUsageNonce = 64

// MaxUsageRecords is how many records one push may carry.
const MaxUsageRecords = 1000

// UsageTimeLayout is record_time, begin_time and end_time: yyyyMMdd'T'HHmmss'Z', UTC, 17 characters.
const UsageTimeLayout = "20060102T150405Z"

// The result codes of the usage push and the other open APIs (spec saas-v2 §6.3).
const (
	MKTSuccess          = "MKT.0000"
	MKTInputInvalid     = "MKT.0100"
	MKTInvalidParam     = "MKT.0101"
	MKTInvalidBodySign  = "MKT.0102"
	MKTRequestParam     = "MKT.0199"
	MKTIllegalOperation = "MKT.0150"
	MKTNoAuthority      = "MKT.0151"
	MKTIllegalToken     = "MKT.0154"
	MKTInternal         = "MKT.0999"
	MKTNoInstance       = "MKT.9001"
	MKTInvalidUsage     = "MKT.9002"
	MKTTooManyRecords   = "MKT.9003"
	MKTTooOld           = "MKT.9004"
)

// UsagePush is the body of both usage pushes.
type UsagePush struct {
	Records []UsageRecord `json:"usage_records"`
}

// UsageRecord is one metered amount of one pay-per-use instance.
type UsageRecord struct {
	InstanceID string `json:"instance_id"`
	// ProductID is carried by the old push only.
	ProductID  string      `json:"product_id,omitempty"`
	RecordTime string      `json:"record_time"`
	BeginTime  string      `json:"begin_time"`
	EndTime    string      `json:"end_time"`
	UsageValue UsageAmount `json:"usage_value"`
	// MeteringSN identifies the record: a record pushed again with the same number is the same record.
	MeteringSN string `json:"metering_sn"`
	// RelatePkgInstance names the package instance the usage is drawn from (mandatory for packages
	// that stop when used up).
	RelatePkgInstance string `json:"relate_pkg_instance,omitempty"`
}

// UsageAmount is usage_value, which the Chinese page types as a string and the international page as
// Double(12,4): it reads both and writes a string, as the spec's vector does.
type UsageAmount string

// UnmarshalJSON accepts a JSON string or number.
func (a *UsageAmount) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*a = UsageAmount(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("usage_value must be a number or a string holding one: %w", err)
	}
	*a = UsageAmount(n)
	return nil
}

// ErrBadUsageValue is returned for a usage_value that is not positive with at most 4 decimals.
var ErrBadUsageValue = errors.New("usage_value must be a number above 0 with at most 4 decimals")

// Value parses the amount: a decimal above 0, with at most 4 decimals and 12 digits in all.
func (a UsageAmount) Value() (float64, error) {
	s := string(a)
	intPart, frac, _ := strings.Cut(s, ".")
	if s == "" || len(frac) > 4 || len(intPart)+len(frac) > 12 || strings.Trim(intPart+frac, "0123456789") != "" || intPart == "" {
		return 0, fmt.Errorf("%w: %q", ErrBadUsageValue, s)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v <= 0 {
		return 0, fmt.Errorf("%w: %q", ErrBadUsageValue, s)
	}
	return v, nil
}

// UsageResult is the answer of a usage push.
type UsageResult struct {
	ErrorCode string `json:"error_code"`
	ErrorMsg  string `json:"error_msg"`
}

// SignUsage returns the new push's signature, base64(HMAC_SHA256(accessKey, "ts={ts}&nonce={nonce}&body={body}")),
// with the access key bound to the basic interfaces (spec saas-v2 §6.3).
func SignUsage(accessKey, ts, nonce string, body []byte) string {
	msg := "ts=" + ts + "&nonce=" + nonce + "&body=" + string(body)
	return base64.StdEncoding.EncodeToString(hmacSHA256(accessKey, []byte(msg)))
}

// Errors returned by VerifyUsage.
var (
	ErrUsageHeaders   = errors.New("usage push without ts, nonce or signature header")
	ErrUsageSignature = errors.New("usage push signature does not match the body")
)

// VerifyUsage checks a new push's signature. The body is signed in its natural order (spec saas-v2 §6.3:
// "按自然排序", keys sorted), so the signature must match the body's canonical form, whatever order the
// keys were sent in: a seller that signs its body unsorted fails, as it would on KooGallery.
func VerifyUsage(accessKey, ts, nonce, signature string, body []byte) error {
	if ts == "" || nonce == "" || signature == "" {
		return ErrUsageHeaders
	}
	got, err := base64.StdEncoding.DecodeString(signature)
	if err != nil {
		return ErrUsageSignature
	}
	canonical, err := CanonicalJSON(body)
	if err != nil {
		return ErrUsageSignature
	}
	want, _ := base64.StdEncoding.DecodeString(SignUsage(accessKey, ts, nonce, canonical))
	if !hmac.Equal(got, want) {
		return ErrUsageSignature
	}
	return nil
}
