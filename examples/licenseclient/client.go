package licenseclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/koomock/koomock/protocol"
)

// DefaultTimeout bounds each call to KooGallery: a license check must never hang the software.
const DefaultTimeout = 10 * time.Second

// Config configures a Client.
type Config struct {
	// BaseURL is KooGallery's base URL: https://mkt.myhuaweicloud.com, or koomock's.
	BaseURL string
	// AK and SK are the seller's access key and secret (我的凭证 → 访问密钥).
	AK, SK string
	// Code is the license code the buyer gave the software.
	Code string
	// Account identifies the end user in heartbeats and usage reports (thirdPartyAccount, usage id).
	Account string
	// Timeout bounds each call; DefaultTimeout when zero.
	Timeout time.Duration
	// V2 uses the batch (v2) activate and heartbeat APIs instead of v1.
	V2 bool
	// HTTPClient sends the calls; http.DefaultClient when nil.
	HTTPClient *http.Client
	// Now is the clock that dates signatures (X-Sdk-Date); time.Now when nil.
	Now func() time.Time
}

// Client calls KooGallery's License 2.0 APIs for one code.
type Client struct {
	cfg Config
}

// New returns a client.
func New(cfg Config) *Client {
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = http.DefaultClient
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.BaseURL = strings.TrimSuffix(cfg.BaseURL, "/")
	return &Client{cfg: cfg}
}

// Code returns the license code the client checks.
func (c *Client) Code() string { return c.cfg.Code }

// GatewayError is an answer that is not KooGallery's envelope with HTTP 200: API Gateway refusing
// the call (401 APIG.0301), failing (5xx), or the backend refusing the request itself (9500000x).
type GatewayError struct {
	Status int
	Code   string
	Msg    string
}

// Error is the HTTP status with the gateway's code and message.
func (e *GatewayError) Error() string {
	return fmt.Sprintf("HTTP %d %s %s", e.Status, e.Code, e.Msg)
}

// LicenseError is a business refusal: HTTP 200 with an error_code other than 92020000.
type LicenseError struct {
	Code protocol.LicenseErrorCode
	Msg  string
}

// Error is KooGallery's error code and message.
func (e *LicenseError) Error() string { return string(e.Code) + " " + e.Msg }

// IsLicenseError reports whether err is a LicenseError with the given code.
func IsLicenseError(err error, code protocol.LicenseErrorCode) bool {
	var le *LicenseError
	return errors.As(err, &le) && le.Code == code
}

// call posts req to path, signed with AK/SK, and decodes a successful answer's data into data.
func (c *Client) call(ctx context.Context, path string, req, data any) error {
	body, err := json.Marshal(req)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	r, err := http.NewRequestWithContext(ctx, http.MethodPost, c.cfg.BaseURL+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	r.Header.Set("Content-Type", "application/json")
	protocol.SignAPIGRequest(r, body, c.cfg.AK, c.cfg.SK, c.cfg.Now())
	resp, err := c.cfg.HTTPClient.Do(r)
	if err != nil {
		return fmt.Errorf("call %s: %w", path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("read the answer of %s: %w", path, err)
	}
	// API Gateway's errors ({"error_code":"APIG.0301",...}) share the envelope's field names.
	var env protocol.LicenseEnvelope
	if err := json.Unmarshal(raw, &env); err != nil {
		return &GatewayError{Status: resp.StatusCode, Msg: fmt.Sprintf("not JSON: %.80q", raw)}
	}
	if resp.StatusCode != http.StatusOK {
		return &GatewayError{Status: resp.StatusCode, Code: string(env.ErrorCode), Msg: env.ErrorMsg}
	}
	if env.ErrorCode != protocol.LicenseSuccess {
		return &LicenseError{Code: env.ErrorCode, Msg: env.ErrorMsg}
	}
	if data == nil || len(env.Data) == 0 {
		return nil
	}
	if err := json.Unmarshal(env.Data, data); err != nil {
		return fmt.Errorf("the data of %s: %w", path, err)
	}
	return nil
}

// Activate activates the code. Its answer's expiry is only an estimate: Heartbeat has the truth.
func (c *Client) Activate(ctx context.Context) error {
	if c.cfg.V2 {
		return c.call(ctx, protocol.PathLicenseActivateV2, protocol.ActivateBatchRequest{LicenseList: []string{c.cfg.Code}}, nil)
	}
	var data protocol.ActivateData
	if err := c.call(ctx, protocol.PathLicenseActivateV1, protocol.ActivateRequest{License: c.cfg.Code}, &data); err != nil {
		return err
	}
	// license_code_info is a JSON document inside a string.
	var info protocol.LicenseCodeInfo
	if err := json.Unmarshal([]byte(data.LicenseCodeInfo), &info); err != nil {
		return fmt.Errorf("license_code_info %.80q: %w", data.LicenseCodeInfo, err)
	}
	return nil
}

// Heartbeat queries the code's status and expiry (查询授权码, formerly the heartbeat).
func (c *Client) Heartbeat(ctx context.Context) (protocol.LicenseInfo, error) {
	if c.cfg.V2 {
		var list []protocol.LicenseInfo
		if err := c.call(ctx, protocol.PathLicenseHeartbeatV2, protocol.HeartbeatBatchRequest{LicenseList: []string{c.cfg.Code}}, &list); err != nil {
			return protocol.LicenseInfo{}, err
		}
		for _, li := range list {
			if li.LicenseCode == c.cfg.Code {
				return li, nil
			}
		}
		return protocol.LicenseInfo{}, fmt.Errorf("the v2 heartbeat answer does not mention %s", c.cfg.Code)
	}
	var li protocol.LicenseInfo
	req := protocol.HeartbeatRequest{License: c.cfg.Code}
	if c.cfg.Account != "" {
		req.HeartbeatInfo = &protocol.HeartbeatInfo{ThirdPartyAccount: c.cfg.Account}
	}
	err := c.call(ctx, protocol.PathLicenseHeartbeatV1, req, &li)
	return li, err
}

// ReportUsage reports the day's use by the client's account (软件使用统计).
func (c *Client) ReportUsage(ctx context.Context) error {
	account := c.cfg.Account
	if account == "" {
		account = "default"
	}
	var data map[string][]string
	err := c.call(ctx, protocol.PathLicenseUsageV2, protocol.UsageRequest{UsageInfo: []protocol.Usage{{
		License: c.cfg.Code, SoftwareUsageInfo: []protocol.SoftwareUsage{{ID: account}},
	}}}, &data)
	if err != nil {
		return err
	}
	for _, failed := range data {
		if len(failed) > 0 {
			return fmt.Errorf("usage refused for %v", failed)
		}
	}
	return nil
}
