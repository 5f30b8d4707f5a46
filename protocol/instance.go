package protocol

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Body fields of the instance activities besides the shared ones (spec saas-v2 §3.2-3.7).
const (
	FieldScene       = "scene"
	FieldExpireTime  = "expireTime"
	FieldProductID   = "productId"
	FieldStatus      = "status"
	FieldProductInfo = "productInfo"
)

// Scene says why refreshInstance is sent (spec saas-v2 §3.3).
type Scene string

// The refreshInstance scenes.
const (
	SceneTrialToFormal      Scene = "TRIAL_TO_FORMAL"
	SceneRenewal            Scene = "RENEWAL"
	SceneUnsubscribeRenewal Scene = "UNSUBSCRIBE_RENEWAL_PERIOD"
	SceneRenewalChange      Scene = "RENEWAL_CHANGE"
)

// InstanceStatus is what updateInstanceStatus asks for (spec saas-v2 §3.4).
type InstanceStatus string

// The statuses of updateInstanceStatus.
const (
	StatusFreeze   InstanceStatus = "FREEZE"
	StatusUnfreeze InstanceStatus = "UNFREEZE"
)

// MaxQueryIDs is how many instance IDs one queryInstance may carry; a seller must refuse more with
// 000002 (spec saas-v2 §3.2).
const MaxQueryIDs = 100

// Time layouts of the instance activities, all in UTC.
const (
	// ExpireTimeLayout is refreshInstance's documented expireTime, yyyyMMddHHmmss (14 digits).
	ExpireTimeLayout = "20060102150405"
	// MillisLayoutDigits is the length of yyyyMMddHHmmssSSS, the 17-digit form of expireTime in the
	// documentation's example and the layout of usageInfo's statisticalTime.
	MillisLayoutDigits = 17
)

// ErrBadExpireTime is returned for an expireTime that is neither 14 nor 17 digits of a valid time.
var ErrBadExpireTime = errors.New("expireTime must be yyyyMMddHHmmss (14 digits) or yyyyMMddHHmmssSSS (17 digits), UTC")

// FormatExpireTime renders t in UTC as 14 digits, or 17 digits with milliseconds when digits is 17.
func FormatExpireTime(t time.Time, digits int) string {
	s := t.UTC().Format(ExpireTimeLayout)
	if digits == MillisLayoutDigits {
		s += fmt.Sprintf("%03d", t.UTC().Nanosecond()/int(time.Millisecond))
	}
	return s
}

// FormatMillisTime renders t as yyyyMMddHHmmssSSS in UTC (usageInfo's statisticalTime).
func FormatMillisTime(t time.Time) string { return FormatExpireTime(t, MillisLayoutDigits) }

// ParseExpireTime reads an expireTime of 14 or 17 digits. A seller must accept both: the format the
// documentation states has 14, the example it shows has 17 (spec saas-v2 §3.3).
func ParseExpireTime(s string) (time.Time, error) {
	if (len(s) != 14 && len(s) != MillisLayoutDigits) || strings.Trim(s, "0123456789") != "" {
		return time.Time{}, fmt.Errorf("%w: %q", ErrBadExpireTime, s)
	}
	t, err := time.ParseInLocation(ExpireTimeLayout, s[:14], time.UTC)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: %q", ErrBadExpireTime, s)
	}
	if len(s) == MillisLayoutDigits {
		ms, _ := strconv.Atoi(s[14:])
		t = t.Add(time.Duration(ms) * time.Millisecond)
	}
	return t, nil
}

// ProductInfo is the product a changeInstanceCheck asks about (spec saas-v2 §3.7) and each product of
// an order line in the order query (§6.2).
type ProductInfo struct {
	ProductID   string `json:"productId"`
	SKUCode     string `json:"skuCode"`
	LinearValue int    `json:"linearValue,omitempty"`
	ProductName string `json:"productName"`
}

// InstanceInfo is one instance in a queryInstance answer (spec saas-v2 §3.2).
type InstanceInfo struct {
	InstanceID string      `json:"instanceId"`
	AppInfo    *AppInfo    `json:"appInfo,omitempty"`
	UsageInfo  []UsageInfo `json:"usageInfo,omitempty"`
}

// AppInfo tells the buyer how to reach the instance. V2 sends it in plain text.
type AppInfo struct {
	FrontEndURL string `json:"frontEndUrl"`
	AdminURL    string `json:"adminUrl,omitempty"`
	UserName    string `json:"userName,omitempty"`
	Password    string `json:"password,omitempty"`
	// Memo is free text; KooGallery asks for non-ASCII characters as \uXXXX escapes.
	Memo string `json:"memo,omitempty"`
}

// UsageInfo is what an on-demand or package instance has used: for on-demand the cumulative total,
// for a package the amount used (spec saas-v2 §3.2).
type UsageInfo struct {
	RelatedInstanceID string  `json:"relatedInstanceId,omitempty"`
	UsageValue        float64 `json:"usageValue"`
	StatisticalTime   string  `json:"statisticalTime"`
	DashboardURL      string  `json:"dashboardUrl,omitempty"`
}

// EscapeNonASCII rewrites every non-ASCII character of a JSON text as a \uXXXX escape (surrogate
// pairs beyond the Basic Multilingual Plane), which KooGallery asks for in free-text fields such as
// appInfo.memo. Outside strings JSON has no non-ASCII bytes, so the whole text can be rewritten.
func EscapeNonASCII(b []byte) []byte {
	var out []byte
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if out != nil {
				out = append(out, c)
			}
			i++
			continue
		}
		if out == nil {
			out = append(make([]byte, 0, len(b)+16), b[:i]...)
		}
		r, size := utf8.DecodeRune(b[i:])
		if r >= 0x10000 {
			r -= 0x10000
			out = fmt.Appendf(out, `\u%04x\u%04x`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
		} else {
			out = fmt.Appendf(out, `\u%04x`, r)
		}
		i += size
	}
	if out == nil {
		return b
	}
	return out
}
