package diagnose_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/koomock/koomock/diagnose"
	"github.com/koomock/koomock/protocol"
)

// Fuzz targets for the diagnoses of what a seller sends: a seller's answer headers and bodies, and
// its signed calls, are outside input. Seed corpora: testdata/fuzz/<target>/; docs/reliability.md.

// FuzzBodySign: any Body-Sign header over any answer body is diagnosed without panicking; "no
// mistake" means the header verifies, and a mistake always comes with a summary to act on.
func FuzzBodySign(f *testing.F) {
	const key = "koomock-demo-access-key"
	body := []byte(`{"resultCode":"000000","resultMsg":"success","instanceId":"i-1"}`)
	f.Add(key, protocol.FormatBodySign(protocol.BodySign(key, body)), body, "1732694400000")
	f.Add(key, `sign_type=HMAC-SHA256, signature=abc`, body, "")
	f.Add("", `sign_type="HMAC-SHA256", signature= ""`, []byte{}, "0")
	f.Fuzz(func(t *testing.T, key, header string, body []byte, timestamp string) {
		d, ok := diagnose.BodySign(key, header, body, timestamp)
		if !ok {
			if err := protocol.VerifyBodySign(key, header, body); err != nil {
				t.Fatalf("no mistake found in %q, but it does not verify: %v", header, err)
			}
			return
		}
		if d.Mistake == "" || d.Summary == "" {
			t.Fatalf("a mistake without a name or summary: %+v", d)
		}
	})
}

// FuzzAPIG: a failed APIG call of any Authorization header, X-Sdk-Date, path, query and body is
// diagnosed without panicking, and a named mistake comes with a summary.
func FuzzAPIG(f *testing.F) {
	now := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	f.Add("SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=00", "20261127T080000Z", "/api/mkp-openapi-public/global/v1/order/query", "orderId=CS1&a=%20", []byte(""))
	f.Add("SDK-HMAC-SHA256 Access=SK, SignedHeaders=x-sdk-date, Signature=ABCDEF", "20261127T160000+0800", "/rest/x", "b=1&a=2", []byte(`{"a": 1}`))
	f.Add("", "", "", "", []byte(nil))
	f.Fuzz(func(t *testing.T, auth, date, path, rawQuery string, body []byte) {
		q, _ := url.ParseQuery(rawQuery)
		h := http.Header{}
		h.Set("Authorization", auth)
		h.Set(protocol.HeaderSdkDate, date)
		h.Set("Content-Type", "application/json")
		d := diagnose.APIG(diagnose.APIGInput{
			Request:  protocol.APIGRequest{Method: http.MethodPost, Path: path, Query: q, Host: "mkt.myhuaweicloud.com", Header: h, Body: body},
			RawQuery: rawQuery, Now: now, AK: "AK", SK: "SK",
		})
		if d.Scheme != "apig" || (d.Mistake != "" && d.Summary == "") {
			t.Fatalf("diagnosis %+v", d)
		}
	})
}

// FuzzUsagePush: a new-style usage push of any ts, nonce, signature and body is diagnosed without
// panicking, always with a named mistake (it is called only for pushes that failed).
func FuzzUsagePush(f *testing.F) {
	f.Add("1732694400000", "n1", "c2lnbmF0dXJl", []byte(`{"usage_records":[{"metering_sn":"1","b":2,"a":1}]}`))
	f.Add("", "", "", []byte(`not json`))
	f.Fuzz(func(t *testing.T, ts, nonce, signature string, body []byte) {
		d := diagnose.UsagePush(diagnose.UsageInput{TS: ts, Nonce: nonce, Signature: signature, Body: body,
			AccessKey: "koomock-demo-access-key", OtherKeys: map[string]string{"the API SK": "SK"}})
		if d.Mistake == "" || d.Summary == "" {
			t.Fatalf("diagnosis without a mistake: %+v", d)
		}
	})
}
