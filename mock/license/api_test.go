package license_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/signer"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/request"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/mock/apig"
	"github.com/koomock/koomock/protocol"
)

const (
	activateV1  = protocol.PathLicenseActivateV1
	activateV2  = protocol.PathLicenseActivateV2
	heartbeatV1 = protocol.PathLicenseHeartbeatV1
	heartbeatV2 = protocol.PathLicenseHeartbeatV2
	usageV2     = protocol.PathLicenseUsageV2
)

func TestActivateThenHeartbeat(t *testing.T) {
	e := newEnv(t, nil)
	c := e.testCode()
	a := e.call(activateV1, `{"license":"`+c.Code+`","real_effect_time":"`+protocol.FormatLicenseTime(start)+`"}`, nil).
		expect(t, 200, protocol.LicenseSuccess)
	if !strings.HasPrefix(a.raw, `{"error_code":"92020000","error_msg":"success","data":{"license_code_info":"{\"status\":\"ALIVE\"`) {
		t.Errorf("license_code_info is not a JSON string inside the JSON, in the spec's field order: %s", a.raw)
	}
	var data protocol.ActivateData
	json.Unmarshal(a.env.Data, &data)
	var info protocol.LicenseCodeInfo
	if err := json.Unmarshal([]byte(data.LicenseCodeInfo), &info); err != nil {
		t.Fatalf("license_code_info %q: %v", data.LicenseCodeInfo, err)
	}
	want := protocol.LicenseCodeInfo{Status: protocol.LicenseAlive, ExpireTime: protocol.FormatLicenseTime(c.ExpireAt),
		ProductID: c.ProductID, Amount: 1, OrderID: c.OrderID}
	if info != want {
		t.Errorf("license_code_info = %+v, want %+v", info, want)
	}

	e.advance("1h")
	a = e.call(heartbeatV1, `{"license":"`+c.Code+`","heartbeatInfo":{"thirdPartyAccount":"wang","ip":"192.168.1.51"}}`, nil).
		expect(t, 200, protocol.LicenseSuccess)
	var li protocol.LicenseInfo
	json.Unmarshal(a.env.Data, &li)
	if li != (protocol.LicenseInfo{LicenseCode: c.Code, Status: protocol.LicenseAlive, ActivateTime: "20261127080000", ExpireTime: protocol.FormatLicenseTime(c.ExpireAt)}) {
		t.Errorf("heartbeat data = %+v", li)
	}

	e.advance("1h")
	e.call(heartbeatV1, `{"license":"`+c.Code+`"}`, nil).expect(t, 200, protocol.LicenseSuccess)
	d := e.detail(c.Code)
	if len(d.Heartbeats) != 2 || d.Heartbeats[0].Status != "ALIVE" || d.Heartbeats[0].ExchangeID == 0 || !d.Heartbeats[0].At.Equal(start.Add(2*time.Hour)) ||
		d.Heartbeats[1].Account != "wang" || d.Heartbeats[1].IP != "192.168.1.51" || d.Heartbeats[1].API != "v1" {
		t.Errorf("heartbeats from the journal = %+v", d.Heartbeats)
	}
	if !d.Code.Activated || !d.Code.HeartbeatSeen || !d.Code.RealEffectAt.Equal(start) {
		t.Errorf("the code does not show activated and heartbeat seen: %+v", d.Code)
	}
	if len(d.History) < 2 || d.History[0].Kind != koomock.LicenseEventHeartbeat || d.History[0].Account != "wang" ||
		d.History[0].Status != "ALIVE" || d.History[1].Kind != koomock.LicenseEventActivated || d.History[1].API != "v1" {
		t.Errorf("history = %+v", d.History)
	}
	journal := e.journal(c.Code)
	if len(journal) != 3 || journal[0].Activity != protocol.LicenseAPIHeartbeat || journal[2].Activity != protocol.LicenseAPIActivate || journal[0].OrderID != c.OrderID {
		t.Fatalf("journal = %+v", journal)
	}
	for _, x := range journal {
		for _, rule := range []koomock.Rule{koomock.RuleAPIGSignature, koomock.RuleRequestSchema, koomock.RuleLicenseCall} {
			if v, ok := x.Verdict(rule); !ok || v.Outcome != koomock.Pass {
				t.Errorf("%s: verdict %s = %+v", x.Activity, rule, v)
			}
		}
	}
}

// TestEveryErrorCode covers each code of spec license-login §1.3 that the issue lists, with its HTTP
// status, and the gateway's 401.
func TestEveryErrorCode(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	active := e.testCode()
	e.call(activateV1, `{"license":"`+active.Code+`"}`, nil).expect(t, 200, protocol.LicenseSuccess)
	fresh := e.testCode()
	bought, err := e.api.BuyLicense(ctx, controlapi.LicensePurchase{NotReceived: true})
	if err != nil {
		t.Fatal(err)
	}
	unreceived := bought.Codes[0].Code
	jsonCT := func(ct string) func(*http.Request) { return func(r *http.Request) { r.Header.Set("Content-Type", ct) } }
	tooMany := `{"license_list":["` + strings.TrimSuffix(strings.Repeat(fresh.Code+`","`, 101), `","`) + `"]}`

	tests := []struct {
		name         string
		path, body   string
		edit         func(*http.Request)
		status       int
		code         protocol.LicenseErrorCode
		wantInReason string
	}{
		{"activating twice", activateV1, `{"license":"` + active.Code + `"}`, nil, 200, protocol.LicenseIllegalState, "already activated"},
		{"before the buyer received the code", activateV1, `{"license":"` + unreceived + `"}`, nil, 200, protocol.LicenseNotReceived, "not received"},
		{"unknown code", activateV1, `{"license":"PLNOSUCHCODE"}`, nil, 200, protocol.LicenseNotExist, "PLNOSUCHCODE"},
		{"heartbeat of an unknown code", heartbeatV1, `{"license":"PLNOSUCHCODE"}`, nil, 200, protocol.LicenseNotExist, "PLNOSUCHCODE"},
		{"query before activation", heartbeatV1, `{"license":"` + fresh.Code + `"}`, nil, 200, protocol.LicenseNotActivated, "activate it first"},
		{"invalid code in an activation batch", activateV2, `{"license_list":["` + fresh.Code + `","PLNOSUCHCODE"]}`, nil, 200, protocol.LicenseInvalidInBatch, "PLNOSUCHCODE"},
		{"invalid code in a heartbeat batch", heartbeatV2, `{"license_list":["` + active.Code + `","` + fresh.Code + `"]}`, nil, 200, protocol.LicenseInvalidInBatch, "not been activated"},
		{"real_effect_time before the order", activateV1, `{"license":"` + fresh.Code + `","real_effect_time":"20200101000000"}`, nil, 200, protocol.LicenseInvalidParam, "earlier than the order time"},
		{"missing mandatory license", activateV1, `{"licence":"` + fresh.Code + `"}`, nil, 400, protocol.LicenseReqInvalid, "license"},
		{"code longer than 64", heartbeatV1, `{"license":"` + strings.Repeat("P", 65) + `"}`, nil, 400, protocol.LicenseReqInvalid, "/license"},
		{"more than 100 codes", activateV2, tooMany, nil, 400, protocol.LicenseReqInvalid, "/license_list"},
		{"real_effect_time not 14 digits", activateV1, `{"license":"` + fresh.Code + `","real_effect_time":"2026-11-27"}`, nil, 400, protocol.LicenseReqInvalid, "/real_effect_time"},
		{"both id and active_num", usageV2, `{"usage_info":[{"license":"` + active.Code + `","software_usage_Info":[{"id":"a","active_num":1}]}]}`, nil, 400, protocol.LicenseReqInvalid, "software_usage_Info"},
		{"software_usage_info spelt without the capital I", usageV2, `{"usage_info":[{"license":"` + active.Code + `","software_usage_info":[{"id":"a"}]}]}`, nil, 400, protocol.LicenseReqInvalid, "software_usage_Info"},
		{"wrong content type", activateV1, `{"license":"` + fresh.Code + `"}`, jsonCT("text/plain"), 415, protocol.LicenseBadContentType, "text/plain"},
		{"form content type", heartbeatV1, `license=` + fresh.Code, jsonCT("application/x-www-form-urlencoded"), 415, protocol.LicenseBadContentType, "x-www-form-urlencoded"},
		{"body not JSON", activateV1, `license: ` + fresh.Code, nil, 400, protocol.LicenseNotReadable, "not valid JSON"},
		{"empty body", heartbeatV1, ``, nil, 400, protocol.LicenseNotReadable, "empty"},
		{"code as a number", activateV1, `{"license":12345}`, nil, 400, protocol.LicenseNotReadable, "license"},
		{"list as a string", activateV2, `{"license_list":"` + fresh.Code + `"}`, nil, 400, protocol.LicenseNotReadable, "license_list"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.t = t
			a := e.call(tt.path, tt.body, tt.edit).expect(t, tt.status, tt.code)
			if tt.status != 200 && len(a.env.Data) != 0 {
				t.Errorf("a refusal carries data: %s", a.raw)
			}
			if strings.Contains(a.raw, "panic") || strings.Contains(a.raw, ".go:") {
				t.Errorf("the answer leaks internals: %s", a.raw)
			}
			list, err := e.api.Exchanges(ctx, koomock.ExchangeFilter{Direction: koomock.Inbound, Limit: 1})
			if err != nil || len(list) != 1 {
				t.Fatal(list, err)
			}
			if msg := verdictMessages(list[0]); !strings.Contains(msg, tt.wantInReason) {
				t.Errorf("the journal does not say why (%q): %s", tt.wantInReason, msg)
			}
		})
	}
	e.t = t
	if d := e.detail(fresh.Code); d.Code.Activated {
		t.Error("a refused batch activated a valid code: v2 activation must be all or nothing")
	}
	if d := e.detail(unreceived); d.Code.Activated {
		t.Error("a code was activated before the buyer received it")
	}
	if _, err := e.api.LicenseAction(ctx, unreceived, "receive", nil); err != nil {
		t.Fatal(err)
	}
	e.call(activateV1, `{"license":"`+unreceived+`"}`, nil).expect(t, 200, protocol.LicenseSuccess)
}

func verdictMessages(x koomock.Exchange) string {
	var b strings.Builder
	for _, v := range x.Verdicts {
		b.WriteString(string(v.Rule) + " " + string(v.Outcome) + ": " + v.Message + "\n")
	}
	return b.String()
}

// TestWrongMethodIsAuthenticatedFirst: the gateway authenticates a GET like any call, then the
// backend refuses the method with 95000002.
func TestWrongMethodIsAuthenticatedFirst(t *testing.T) {
	e := newEnv(t, nil)
	for _, path := range []string{activateV1, heartbeatV2, usageV2} {
		r, _ := http.NewRequest(http.MethodGet, e.srv.URL()+path, nil)
		protocol.SignAPIGRequest(r, nil, fixtures.DemoAK, fixtures.DemoSK, e.clk.Wall())
		e.do(r).expect(t, 405, protocol.LicenseMethodNotAllowed)

		r, _ = http.NewRequest(http.MethodPut, e.srv.URL()+path, strings.NewReader("{}"))
		if a := e.do(r); a.status != 401 || !strings.Contains(a.raw, apig.CodeAuthFailed) {
			t.Errorf("unsigned PUT %s: HTTP %d %s, want the gateway's 401", path, a.status, a.raw)
		}
	}
	r, _ := http.NewRequest(http.MethodPost, e.srv.URL()+"/api/mkp-openapi-public/global/v1/license/nothing", strings.NewReader("{}"))
	if a := e.do(r); a.status != 404 || !strings.Contains(a.raw, apig.CodeNotFound) {
		t.Errorf("unknown license path: HTTP %d %s, want APIG.0101", a.status, a.raw)
	}
}

func TestBadSignaturesGetTheGatewaysAnswer(t *testing.T) {
	e := newEnv(t, nil)
	c := e.testCode()
	body := `{"license":"` + c.Code + `"}`
	for name, edit := range map[string]func(*http.Request){
		"tampered signature": func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "Signature=", "Signature=0", 1))
		},
		"other SK": func(r *http.Request) {
			protocol.SignAPIGRequest(r, []byte(body), fixtures.DemoAK, "not-the-secret", e.clk.Wall())
		},
		"X-Sdk-Date 20 minutes off": func(r *http.Request) {
			protocol.SignAPIGRequest(r, []byte(body), fixtures.DemoAK, fixtures.DemoSK, e.clk.Wall().Add(-20*60e9))
		},
		"no Authorization": func(r *http.Request) { r.Header.Del("Authorization") },
	} {
		t.Run(name, func(t *testing.T) {
			e.t = t
			a := e.call(activateV1, body, edit)
			var ge apig.Error
			json.Unmarshal([]byte(a.raw), &ge)
			if a.status != 401 || ge.Code != apig.CodeAuthFailed || ge.Message != apig.MsgAuthFailed {
				t.Errorf("HTTP %d %s, want 401 APIG.0301", a.status, a.raw)
			}
		})
	}
	e.t = t
	if d := e.detail(c.Code); d.Code.Activated {
		t.Error("a refused call activated the code")
	}
}

// TestOfficialSDKSigner: a license call signed by Huawei's official Go SDK signer is accepted; the
// same request with its body changed after signing is refused as API Gateway does.
func TestOfficialSDKSigner(t *testing.T) {
	e := newEnv(t, nil)
	c := e.testCode()
	sign := func(body string) *http.Request {
		b := request.NewHttpRequestBuilder().WithEndpoint(e.srv.URL()).WithPath(activateV1).WithMethod("POST").
			AddHeaderParam("Content-Type", "application/json").
			AddHeaderParam("X-Sdk-Date", e.clk.Wall().Format(protocol.SdkDateFormat)).
			WithBody("body", body)
		req := b.Build()
		extra, err := signer.Sign(req, fixtures.DemoAK, fixtures.DemoSK)
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range extra {
			req.AddHeaderParam(k, v)
		}
		r, err := req.ConvertRequest()
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	body := `{"license":"` + c.Code + `"}`
	r := sign(body)
	if !strings.Contains(r.Header.Get("Authorization"), "SignedHeaders=") {
		t.Fatalf("the SDK did not sign: %v", r.Header)
	}
	e.do(r).expect(t, 200, protocol.LicenseSuccess)

	other := e.testCode()
	signed := sign(`{"license":"` + other.Code + `"}`)
	r, _ = http.NewRequest(signed.Method, signed.URL.String(), strings.NewReader(`{"license":"`+c.Code+`"}`))
	r.Header = signed.Header
	if a := e.do(r); a.status != 401 || !strings.Contains(a.raw, apig.CodeAuthFailed) {
		t.Errorf("body changed after signing: HTTP %d %s, want 401", a.status, a.raw)
	}
}

func TestBatchesAndTheV2HeartbeatShape(t *testing.T) {
	for _, shape := range []string{"array", "object"} {
		t.Run(shape, func(t *testing.T) {
			e := newEnv(t, func(c *mockConfig) { c.License.V2HeartbeatShape = shape })
			a, b := e.testCode(), e.testCode()
			list := `{"license_list":["` + a.Code + `","` + b.Code + `","` + a.Code + `"]}`
			e.call(activateV2, list, nil).expect(t, 200, protocol.LicenseSuccess)
			ans := e.call(heartbeatV2, list, nil).expect(t, 200, protocol.LicenseSuccess)
			var infos []protocol.LicenseInfo
			if shape == "array" {
				json.Unmarshal(ans.env.Data, &infos)
			} else {
				var obj protocol.LicenseInfoList
				json.Unmarshal(ans.env.Data, &obj)
				infos = obj.LicenseInfoList
			}
			if len(infos) != 2 || infos[0].LicenseCode != a.Code || infos[1].LicenseCode != b.Code || infos[1].Status != protocol.LicenseAlive {
				t.Errorf("v2 heartbeat data = %s", ans.env.Data)
			}
			for _, c := range []string{a.Code, b.Code} {
				if d := e.detail(c); !d.Code.Activated || !d.Code.HeartbeatSeen || d.History[0].API != "v2" {
					t.Errorf("%s after v2 calls: %+v", c, d)
				}
			}
		})
	}
}

func TestUsageStatistics(t *testing.T) {
	for _, field := range []string{"", "check_fail_list"} {
		t.Run("field "+field, func(t *testing.T) {
			e := newEnv(t, func(c *mockConfig) { c.License.UsageFailField = field })
			c, fresh := e.testCode(), e.testCode()
			e.call(activateV1, `{"license":"`+c.Code+`"}`, nil).expect(t, 200, protocol.LicenseSuccess)
			body := `{"usage_info":[{"license":"` + c.Code + `","software_usage_Info":[{"id":"account1"},{"active_num":100}]},` +
				`{"license":"` + fresh.Code + `","software_usage_Info":[{"id":"x"}]},{"license":"PLNOSUCH","software_usage_Info":[{"id":"y"}]}]}`
			a := e.call(usageV2, body, nil).expect(t, 200, protocol.LicenseSuccess)
			want := field
			if want == "" {
				want = "check_fail_license_list"
			}
			if string(a.env.Data) != `{"`+want+`":["`+fresh.Code+`","PLNOSUCH"]}` {
				t.Errorf("data = %s", a.env.Data)
			}
			d := e.detail(c.Code)
			if !d.Code.UsageSeen || len(d.History) < 3 || d.History[0].Kind != koomock.LicenseEventUsage ||
				d.History[0].ActiveNum == nil || *d.History[0].ActiveNum != 100 || d.History[1].Account != "account1" {
				t.Errorf("usage history = %+v", d.History)
			}
			a = e.call(usageV2, `{"usage_info":[{"license":"`+c.Code+`","software_usage_Info":[{"id":"account2"}]}]}`, nil).
				expect(t, 200, protocol.LicenseSuccess)
			if string(a.env.Data) != `{"`+want+`":[]}` {
				t.Errorf("all accepted: data = %s", a.env.Data)
			}
		})
	}
}
