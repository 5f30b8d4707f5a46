package controlapi

import (
	"context"
	"net/http"
	"net/url"

	"github.com/koomock/koomock"
)

// LicensePurchase asks koomock to sell License 2.0 codes as a buyer's purchase would: an order of
// Count codes (1 by default) of the license product, for PeriodNumber PeriodType (1 year by default).
// The buyer receives the codes at once unless NotReceived is set (then activation answers 92020004
// until the codes are received).
type LicensePurchase struct {
	PeriodType   koomock.PeriodType `json:"periodType,omitempty"`
	PeriodNumber int                `json:"periodNumber,omitempty"`
	// Amount is the quantity attribute reported in license_code_info; 1 by default.
	Amount      int  `json:"amount,omitempty"`
	Count       int  `json:"count,omitempty"`
	NotReceived bool `json:"notReceived,omitempty"`
}

// TestCodesRequest asks for test codes, as 卖家中心 → 测试授权码 makes them: Count codes (1 by default,
// at most 100) valid for Validity ("30d", "720h"; 30 days by default), received, testFlag "1".
type TestCodesRequest struct {
	Count    int    `json:"count,omitempty"`
	Validity string `json:"validity,omitempty"`
	Amount   int    `json:"amount,omitempty"`
}

// LicenseRenewal asks to renew a code for PeriodNumber PeriodType (1 year by default).
type LicenseRenewal struct {
	PeriodType   koomock.PeriodType `json:"periodType,omitempty"`
	PeriodNumber int                `json:"periodNumber,omitempty"`
}

// LicenseCodes carries codes, with the order that issued them when there is one.
type LicenseCodes struct {
	Order *koomock.Order        `json:"order,omitempty"`
	Codes []koomock.LicenseCode `json:"codes"`
}

// LicenseCodeDetail is one code with its history, newest first: the events that changed it or were
// reported about it (issue, receipt, activation, first heartbeat, usage, renewals, freeze, release),
// and its heartbeats as the journal recorded them.
type LicenseCodeDetail struct {
	Code       koomock.LicenseCode    `json:"code"`
	History    []koomock.LicenseEvent `json:"history"`
	Heartbeats []koomock.LicenseEvent `json:"heartbeats"`
}

// LicenseResult is a code after a lifecycle step, with the callbacks the step sent (and their
// verdicts), in the order sent.
type LicenseResult struct {
	Code      koomock.LicenseCode `json:"code"`
	Callbacks []*koomock.Exchange `json:"callbacks"`
}

// LicenseProbe asks koomock to send a deliberately faulty license callback (Activity one of
// refreshLicenseCode, updateLicenseCodeStatus, releaseLicenseCode) for a code that does not exist.
type LicenseProbe = ProbeRequest

// BuyLicense sells license codes.
func (c *Client) BuyLicense(ctx context.Context, req LicensePurchase) (LicenseCodes, error) {
	var out LicenseCodes
	err := c.do(ctx, http.MethodPost, "/_mock/license/orders", req, &out)
	return out, err
}

// TestCodes creates test codes.
func (c *Client) TestCodes(ctx context.Context, req TestCodesRequest) (LicenseCodes, error) {
	var out LicenseCodes
	err := c.do(ctx, http.MethodPost, "/_mock/license/test-codes", req, &out)
	return out, err
}

// LicenseCodeList returns every license code, newest first.
func (c *Client) LicenseCodeList(ctx context.Context) ([]koomock.LicenseCode, error) {
	var out LicenseCodes
	err := c.do(ctx, http.MethodGet, "/_mock/license/codes", nil, &out)
	return out.Codes, err
}

// LicenseCode returns one code with its history.
func (c *Client) LicenseCode(ctx context.Context, code string) (LicenseCodeDetail, error) {
	var out LicenseCodeDetail
	err := c.do(ctx, http.MethodGet, "/_mock/license/codes/"+url.PathEscape(code), nil, &out)
	return out, err
}

// LicenseAction runs a lifecycle step on a code: receive, activate (as another installation of the
// software would), renew (with a LicenseRenewal), unsubscribe-renewal, expire, release, unsubscribe.
func (c *Client) LicenseAction(ctx context.Context, code string, action LicenseAction, req any) (LicenseResult, error) {
	var out LicenseResult
	err := c.do(ctx, http.MethodPost, "/_mock/license/codes/"+url.PathEscape(code)+"/"+url.PathEscape(string(action)), req, &out)
	return out, err
}

// LicenseProbe sends a deliberately faulty license callback.
func (c *Client) LicenseProbe(ctx context.Context, req LicenseProbe) (*koomock.Exchange, error) {
	var r ExchangeResult
	err := c.do(ctx, http.MethodPost, "/_mock/license/probes", req, &r)
	return r.Exchange, err
}

// LicenseAction names a lifecycle step the control API runs on a license code
// (POST /_mock/license/codes/{code}/{action}).
type LicenseAction string

// The license lifecycle steps, in LicenseActions' order.
const (
	// LicenseReceive: the buyer receives the code.
	LicenseReceive LicenseAction = "receive"
	// LicenseActivate: another installation of the software activates the code.
	LicenseActivate LicenseAction = "activate"
	// LicenseRenew: the buyer renews (with a LicenseRenewal).
	LicenseRenew LicenseAction = "renew"
	// LicenseUnsubscribeRenewal: the last renewal period is taken back.
	LicenseUnsubscribeRenewal LicenseAction = "unsubscribe-renewal"
	// LicenseExpire: the code's period ends now; it is frozen.
	LicenseExpire LicenseAction = "expire"
	// LicenseRelease: the freeze window ends; the code is released.
	LicenseRelease LicenseAction = "release"
	// LicenseUnsubscribe: the buyer unsubscribes.
	LicenseUnsubscribe LicenseAction = "unsubscribe"
)

// LicenseActions lists every license lifecycle step.
var LicenseActions = []LicenseAction{
	LicenseReceive, LicenseActivate, LicenseRenew, LicenseUnsubscribeRenewal, LicenseExpire, LicenseRelease,
	LicenseUnsubscribe,
}
