package protocol_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/signer"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/request"

	"github.com/koomock/koomock/protocol"
)

// The APIG documentation's vector (spec saas-v2 §6.1): only the last step, HMAC over StringToSign.
func TestAPIGDocVector(t *testing.T) {
	const sk = "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc"
	sts := "SDK-HMAC-SHA256\n20191115T033655Z\nb25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a"
	m := hmac.New(sha256.New, []byte(sk))
	m.Write([]byte(sts))
	if got := hex.EncodeToString(m.Sum(nil)); got != "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe" {
		t.Fatalf("doc vector: %s", got)
	}
}

// The full-request vector of license-login §1.2 (from a public Ruby SDK's spec).
func TestAPIGRequestVector(t *testing.T) {
	h := http.Header{}
	h.Set("X-Stage", "RELEASE")
	h.Set("X-Sdk-Date", "20240317T144237Z")
	h.Set("Content-Type", "application/json")
	req := protocol.APIGRequest{
		Method: "POST", Path: "/api/mkp-openapi-public/global/v1/license/activate",
		Host: "mkt.myhuaweicloud.com", Header: h, Body: []byte(""),
	}
	signed := []string{"content-type", "host", "x-sdk-date", "x-stage"}
	got := protocol.SignAPIG("123", req, signed)
	if got.Signature != "77595ad624b6e4e49990b8c4e84bf1c287457fca61069c4e60b9b6765b52053d" {
		t.Fatalf("signature %s\ncanonical request:\n%s", got.Signature, got.CanonicalRequest)
	}
	if !strings.Contains(got.CanonicalRequest, "\n/api/mkp-openapi-public/global/v1/license/activate/\n") {
		t.Errorf("canonical URI lacks the trailing slash:\n%s", got.CanonicalRequest)
	}
	h.Set("Authorization", "SDK-HMAC-SHA256 Access=AK1, SignedHeaders=content-type;host;x-sdk-date;x-stage, Signature="+got.Signature)
	now := time.Date(2024, 3, 17, 14, 50, 0, 0, time.UTC)
	secret := func(ak string) (string, bool) { return "123", ak == "AK1" }
	if _, _, err := protocol.VerifyAPIG(req, now, secret); err != nil {
		t.Errorf("verify the vector: %v", err)
	}
}

// TestOfficialSDKSignerInterop signs requests with Huawei's official Go SDK signer and verifies them
// with koomock's gateway-side verifier, and the other way round.
func TestOfficialSDKSignerInterop(t *testing.T) {
	const ak, sk = "HPUAEXAMPLEAK0000001", "example-secret-key-of-forty-characters00"
	at := time.Now().UTC()
	cases := []struct {
		name, method, path, body string
		query                    map[string]string
	}{
		{"order query", "GET", "/api/mkp-openapi-public/global/v1/order/query", "", map[string]string{"orderId": "CS2211181819B4LVS", "orderLineId": "CS2211181819B4LVS-000001"}},
		{"license activate", "POST", "/api/mkp-openapi-public/global/v1/license/activate", `{"license":"PLXXXXXX"}`, nil},
		{"query needing escapes", "GET", "/api/mkp-openapi-public/global/v1/order/query", "", map[string]string{"orderId": "a b/c+d", "x": "中"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := request.NewHttpRequestBuilder().WithEndpoint("https://mkt.myhuaweicloud.com").WithPath(c.path).WithMethod(c.method).
				AddHeaderParam("Content-Type", "application/json").
				AddHeaderParam("X-Sdk-Date", at.Format(protocol.SdkDateFormat))
			for k, v := range c.query {
				b.AddQueryParam(k, reflect.ValueOf(v))
			}
			if c.body != "" {
				b.WithBody("application/json", c.body)
			}
			sdkReq := b.Build()
			extra, err := signer.Sign(sdkReq, ak, sk)
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range extra {
				sdkReq.AddHeaderParam(k, v)
			}
			httpReq, err := sdkReq.ConvertRequest()
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(httpReq.Body)
			secret := func(id string) (string, bool) { return sk, id == ak }
			if _, want, err := protocol.VerifyAPIG(protocol.FromHTTP(httpReq, body), at, secret); err != nil {
				t.Fatalf("koomock refuses the official SDK's signature: %v\nexpected canonical request:\n%s", err, want.CanonicalRequest)
			}
			// Tampering with the query must break it.
			q := httpReq.URL.Query()
			q.Set("tampered", "1")
			httpReq.URL.RawQuery = q.Encode()
			if _, _, err := protocol.VerifyAPIG(protocol.FromHTTP(httpReq, body), at, secret); !errors.Is(err, protocol.ErrAPIGMismatch) {
				t.Errorf("tampered request: %v", err)
			}
		})
	}
}

func TestVerifyAPIGRefusals(t *testing.T) {
	const ak, sk = "AK1", "SK1"
	at := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	build := func() (*http.Request, []byte) {
		body := []byte(`{"license":"PL1"}`)
		r, _ := http.NewRequest("POST", "https://mkt.myhuaweicloud.com/api/mkp-openapi-public/global/v1/license/activate", strings.NewReader(string(body)))
		r.Header.Set("Content-Type", "application/json")
		protocol.SignAPIGRequest(r, body, ak, sk, at)
		return r, body
	}
	secret := func(id string) (string, bool) { return sk, id == ak }
	tests := []struct {
		name string
		edit func(r *http.Request, body *[]byte)
		now  time.Time
		want error
	}{
		{"correct", func(*http.Request, *[]byte) {}, at, nil},
		{"no Authorization", func(r *http.Request, _ *[]byte) { r.Header.Del("Authorization") }, at, protocol.ErrNoAuthorization},
		{"not SDK-HMAC-SHA256", func(r *http.Request, _ *[]byte) { r.Header.Set("Authorization", "Bearer x") }, at, protocol.ErrBadAuthorization},
		{"no date", func(r *http.Request, _ *[]byte) { r.Header.Del("X-Sdk-Date") }, at, protocol.ErrNoSdkDate},
		{"16 minutes late", func(*http.Request, *[]byte) {}, at.Add(16 * time.Minute), protocol.ErrSdkDateSkew},
		{"14 minutes late", func(*http.Request, *[]byte) {}, at.Add(14 * time.Minute), nil},
		{"unknown AK", func(r *http.Request, _ *[]byte) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "Access=AK1", "Access=AK2", 1))
		}, at, protocol.ErrUnknownAccessKey},
		{"body changed", func(_ *http.Request, b *[]byte) { *b = []byte(`{"license":"PL2"}`) }, at, protocol.ErrAPIGMismatch},
		{"upper-case hex", func(r *http.Request, _ *[]byte) {
			a := r.Header.Get("Authorization")
			i := strings.Index(a, "Signature=") + len("Signature=")
			r.Header.Set("Authorization", a[:i]+strings.ToUpper(a[i:]))
		}, at, protocol.ErrAPIGMismatch},
		{"host changed in transit", func(r *http.Request, _ *[]byte) { r.Host = "mkt.myhuaweicloud.com:443" }, at, protocol.ErrAPIGMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, body := build()
			tt.edit(r, &body)
			_, _, err := protocol.VerifyAPIG(protocol.FromHTTP(r, body), tt.now, secret)
			if !errors.Is(err, tt.want) {
				t.Errorf("VerifyAPIG = %v, want %v", err, tt.want)
			}
		})
	}
}
