package license_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"golang.org/x/net/http/httpguts"

	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/mock"
	"github.com/koomock/koomock/mock/mocktest"
	"github.com/koomock/koomock/protocol"
)

// fuzzPaths are the license APIs FuzzLicenseAPI calls.
var fuzzPaths = []string{
	protocol.PathLicenseActivateV1, protocol.PathLicenseActivateV2,
	protocol.PathLicenseHeartbeatV1, protocol.PathLicenseHeartbeatV2, protocol.PathLicenseUsageV2,
}

// FuzzLicenseAPI posts any body, with any Content-Type (application/json when empty), to each license
// API of a running koomock, over HTTP and correctly signed. "CODE" in a body stands for a real test
// code, so that the fuzzer reaches activation, heartbeats and usage reports of a code that exists.
// Every answer must be the license API's envelope with a code of its table, that code's message and
// its HTTP status; never 5xx, never the gateway's 401 (the signature is valid), never "internal
// error". Seed corpus: testdata/fuzz/FuzzLicenseAPI/.
func FuzzLicenseAPI(f *testing.F) {
	m := mocktest.New(f, mocktest.Options{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		io.WriteString(w, `{"resultCode":"000000","resultMsg":"success."}`)
	}), Config: func(c *mock.Config) { c.License.Key = licenseKey }})
	codes, err := m.API.TestCodes(context.Background(), controlapi.TestCodesRequest{})
	if err != nil {
		f.Fatal(err)
	}
	code := []byte(codes.Codes[0].Code)
	f.Add(uint8(0), "", []byte(`{"license":"CODE"}`))
	f.Add(uint8(1), "", []byte(`{"license_list":["CODE","CODE","nope"],"real_effect_time":"2026-11-27 08:00:00"}`))
	f.Add(uint8(2), "application/json; charset=UTF-8", []byte(`{"license":"CODE","heartbeatInfo":{"thirdPartyAccount":"a","ip":"10.0.0.1"}}`))
	f.Add(uint8(3), "", []byte(`{"license_list":[]}`))
	f.Add(uint8(4), "", []byte(`{"license":"CODE","software_usage_Info":[{"id":"u1","active_num":-1}]}`))
	f.Add(uint8(0), "text/plain", []byte(`{"license":1}`))
	f.Add(uint8(2), "", []byte(`{"license":"CODE"`))
	f.Add(uint8(3), "", []byte("\xff\xfe"))
	f.Fuzz(func(t *testing.T, api uint8, contentType string, body []byte) {
		body = bytes.ReplaceAll(body, []byte("CODE"), code)
		r, err := http.NewRequest(http.MethodPost, m.URL+fuzzPaths[int(api)%len(fuzzPaths)], bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if contentType == "" {
			contentType = "application/json"
		}
		if !httpguts.ValidHeaderFieldValue(contentType) {
			return // not a header value a client can send
		}
		r.Header.Set("Content-Type", contentType)
		protocol.SignAPIGRequest(r, body, fixtures.DemoAK, fixtures.DemoSK, m.Clock.Wall())
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatalf("%s: %v", r.URL.Path, err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var env protocol.LicenseEnvelope
		if err := json.Unmarshal(raw, &env); err != nil {
			t.Fatalf("%s %q: HTTP %d, not the license envelope: %q", r.URL.Path, body, resp.StatusCode, raw)
		}
		switch {
		case resp.StatusCode >= 500 || resp.StatusCode == http.StatusUnauthorized:
			t.Fatalf("%s %q: HTTP %d %s", r.URL.Path, body, resp.StatusCode, raw)
		case !env.ErrorCode.Known() || env.ErrorMsg != env.ErrorCode.Message() || resp.StatusCode != env.ErrorCode.HTTPStatus():
			t.Fatalf("%s %q: HTTP %d %s is not an answer of the license API's table", r.URL.Path, body, resp.StatusCode, raw)
		case env.ErrorCode == protocol.LicenseInternalError:
			t.Fatalf("%s %q: koomock answered internal error: %s", r.URL.Path, body, raw)
		}
	})
}
