package protocol

import (
	"encoding/json"
	"slices"
	"time"
)

// License 2.0 (spec license-login §1): the open APIs a seller's software calls on KooGallery, behind
// API Gateway, and the callbacks KooGallery sends to the seller's license production URL.

// The License 2.0 open APIs (spec license-login §1.4-§1.6).
const (
	PathLicenseActivateV1  = "/api/mkp-openapi-public/global/v1/license/activate"
	PathLicenseActivateV2  = "/api/mkp-openapi-public/global/v2/license/activate"
	PathLicenseHeartbeatV1 = "/api/mkp-openapi-public/global/v1/license/heartbeat"
	PathLicenseHeartbeatV2 = "/api/mkp-openapi-public/global/v2/license/heartbeat"
	PathLicenseUsageV2     = "/api/mkp-openapi-public/global/v2/license/software-usage-info"
)

// The names of the license APIs in koomock's journal (and in feature tags).
const (
	LicenseAPIActivate  Activity = "licenseActivate"
	LicenseAPIHeartbeat Activity = "licenseHeartbeat"
	LicenseAPIUsage     Activity = "licenseUsage"
)

// MaxLicenseBatch is how many codes one v2 call may carry (spec license-login §1.4, §1.6).
const MaxLicenseBatch = 100

// LicenseTimeFormat is how the license APIs and callbacks write times: UTC yyyyMMddHHmmss.
const LicenseTimeFormat = ExpireTimeLayout

// FormatLicenseTime writes t as the license APIs do: 14 digits, like refreshInstance's documented
// expireTime.
func FormatLicenseTime(t time.Time) string { return FormatExpireTime(t, len(ExpireTimeLayout)) }

// LicenseErrorCode is the error_code of a license API answer (spec license-login §1.3).
type LicenseErrorCode string

// The error codes of spec license-login §1.3. Business outcomes come with HTTP 200; the 9500000x
// codes are the backend's refusals of the request itself, with their own HTTP statuses.
const (
	LicenseSuccess          LicenseErrorCode = "92020000"
	LicenseInternalError    LicenseErrorCode = "92020001"
	LicenseInvalidParam     LicenseErrorCode = "92020002"
	LicenseIllegalState     LicenseErrorCode = "92020003"
	LicenseNotReceived      LicenseErrorCode = "92020004"
	LicenseNotExist         LicenseErrorCode = "92020005"
	LicenseNotActivated     LicenseErrorCode = "92020011"
	LicenseInvalidInBatch   LicenseErrorCode = "92020020"
	LicenseReqInvalid       LicenseErrorCode = "95000001"
	LicenseMethodNotAllowed LicenseErrorCode = "95000002"
	LicenseBadContentType   LicenseErrorCode = "95000003"
	LicenseNotReadable      LicenseErrorCode = "95000004"
)

type licenseError struct {
	msg    string
	status int
}

// The messages are KooGallery's, spelling and punctuation included.
var licenseErrors = map[LicenseErrorCode]licenseError{
	LicenseSuccess:          {"success", 200},
	LicenseInternalError:    {"internal error", 200},
	LicenseInvalidParam:     {"invalid param", 200},
	LicenseIllegalState:     {"illegal state", 200},
	LicenseNotReceived:      {"can not active before user received.", 200},
	LicenseNotExist:         {"license code notexist", 200},
	LicenseNotActivated:     {"license code has been not activated.", 200},
	LicenseInvalidInBatch:   {"Invalid license code exists.", 200},
	LicenseReqInvalid:       {"req param is invalid", 400},
	LicenseMethodNotAllowed: {"Request method not supported", 405},
	LicenseBadContentType:   {"Content type not supported", 415},
	LicenseNotReadable:      {"req message is not readable", 400},
}

// Message returns KooGallery's error_msg for the code.
func (c LicenseErrorCode) Message() string { return licenseErrors[c].msg }

// HTTPStatus returns the HTTP status KooGallery answers the code with.
func (c LicenseErrorCode) HTTPStatus() int {
	if e, ok := licenseErrors[c]; ok {
		return e.status
	}
	return 200
}

// Known reports whether the code is in the spec's table.
func (c LicenseErrorCode) Known() bool {
	_, ok := licenseErrors[c]
	return ok
}

// LicenseStatus is a code's status as the query (heartbeat) API reports it (spec license-login §1.5).
type LicenseStatus string

// The documented statuses. A frozen code's status is not documented (spec §1.5 UNCERTAIN): koomock
// reports EXPIRED by default and can report LicenseFrozen instead.
const (
	LicenseAlive    LicenseStatus = "ALIVE"
	LicenseExpired  LicenseStatus = "EXPIRED"
	LicenseReleased LicenseStatus = "RELEASED"
	LicenseFrozen   LicenseStatus = "FROZEN"
)

// LicenseEnvelope is the body of every license API answer: {error_code, error_msg, data}.
type LicenseEnvelope struct {
	ErrorCode LicenseErrorCode `json:"error_code"`
	ErrorMsg  string           `json:"error_msg"`
	Data      json.RawMessage  `json:"data,omitempty"`
}

// ActivateRequest is the v1 activate body.
type ActivateRequest struct {
	License string `json:"license"`
	// RealEffectTime is the real start of use, UTC yyyyMMddHHmmss, not before the order time.
	RealEffectTime string `json:"real_effect_time,omitempty"`
}

// ActivateBatchRequest is the v2 activate body: up to 100 codes.
type ActivateBatchRequest struct {
	LicenseList    []string `json:"license_list"`
	RealEffectTime string   `json:"real_effect_time,omitempty"`
}

// ActivateData is the data of a v1 activate answer. LicenseCodeInfo is a JSON document inside a JSON
// string, as KooGallery sends it.
type ActivateData struct {
	LicenseCodeInfo string `json:"license_code_info"`
}

// LicenseCodeInfo is what license_code_info holds; the field order is the spec's example's.
type LicenseCodeInfo struct {
	Status LicenseStatus `json:"status"`
	// ExpireTime is an estimate (yyyyMMddHHmmss): the query API has the real status and expiry.
	ExpireTime string `json:"expire_time"`
	ProductID  string `json:"product_id"`
	Amount     int    `json:"amount"`
	OrderID    string `json:"order_id"`
}

// HeartbeatRequest is the v1 query (heartbeat) body.
type HeartbeatRequest struct {
	License string `json:"license"`
	// HeartbeatInfo is sunset (usage goes to software-usage-info) but still accepted.
	HeartbeatInfo *HeartbeatInfo `json:"heartbeatInfo,omitempty"`
}

// HeartbeatInfo identifies the end user inside the seller's software.
type HeartbeatInfo struct {
	ThirdPartyAccount string `json:"thirdPartyAccount"`
	IP                string `json:"ip,omitempty"`
}

// HeartbeatBatchRequest is the v2 query body (spec §1.5 UNCERTAIN: by analogy with activate v2).
type HeartbeatBatchRequest struct {
	LicenseList []string `json:"license_list"`
}

// LicenseInfo is a code's status as the query API answers it. Clients must ignore unknown fields.
type LicenseInfo struct {
	LicenseCode  string        `json:"license_code"`
	Status       LicenseStatus `json:"status"`
	ActivateTime string        `json:"activate_time"`
	ExpireTime   string        `json:"expire_time"`
}

// LicenseInfoList is the data of a v2 query answer in the "object" shape.
type LicenseInfoList struct {
	LicenseInfoList []LicenseInfo `json:"license_info_list"`
}

// UsageRequest is the software-usage-info body: up to 100 codes.
type UsageRequest struct {
	UsageInfo []Usage `json:"usage_info"`
}

// Usage is one code's usage of the day. The capital I of software_usage_Info is KooGallery's.
type Usage struct {
	License           string          `json:"license"`
	SoftwareUsageInfo []SoftwareUsage `json:"software_usage_Info"`
}

// SoftwareUsage carries exactly one of ID (a client login: account ID, device code) or ActiveNum (the
// day's number of active clients).
type SoftwareUsage struct {
	ID        string `json:"id,omitempty"`
	ActiveNum *int   `json:"active_num,omitempty"`
}

// The License 2.0 callbacks KooGallery sends to the seller's license production URL (spec §1.7),
// signed like the basic interfaces.
const (
	RefreshLicenseCode      Activity = "refreshLicenseCode"
	UpdateLicenseCodeStatus Activity = "updateLicenseCodeStatus"
	ReleaseLicenseCode      Activity = "releaseLicenseCode"
)

// Body fields of the license callbacks besides the shared ones: license; scene, expireTime,
// productId and status are spelt as for the instance activities, and so are the scenes
// (SceneRenewal, SceneUnsubscribeRenewal) and statuses (StatusFreeze, StatusUnfreeze).
const FieldLicense = "license"

// LicenseCallbacks are the callbacks KooGallery sends a License seller about its codes (spec §1.7).
var LicenseCallbacks = []Activity{RefreshLicenseCode, UpdateLicenseCodeStatus, ReleaseLicenseCode}

// ResultCodesFor returns the result codes a callback of activity may be answered with:
// LicenseCallbackResults for the license callbacks, nil (every code of the basic interfaces' table)
// for the others.
func ResultCodesFor(a Activity) []ResultCode {
	if slices.Contains(LicenseCallbacks, a) {
		return LicenseCallbackResults
	}
	return nil
}

// LicenseCallbackResults are the result codes a license callback may be answered with (spec §1.7):
// 000000 ok, 000001 auth failed, 000002 bad params, 000003 code not found, 000004 processing, 000005
// internal error.
var LicenseCallbackResults = []ResultCode{
	ResultSuccess, ResultAuthFailed, ResultInvalidParam, ResultNoSuchInstance, ResultProcessing, ResultInternalError,
}
