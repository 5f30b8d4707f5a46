package openapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"testing"

	"github.com/koomock/koomock/openapi"
)

// fuzzRoutes are routes of marketplace.yaml the fuzzer aims at, with the method each takes.
var fuzzRoutes = []struct{ method, path string }{
	{"POST", "/api/mkp-openapi-public/global/v1/license/activate"},
	{"POST", "/api/mkp-openapi-public/global/v2/license/activate"},
	{"POST", "/api/mkp-openapi-public/global/v1/license/heartbeat"},
	{"POST", "/api/mkp-openapi-public/global/v2/license/heartbeat"},
	{"POST", "/api/mkp-openapi-public/global/v2/license/software-usage-info"},
	{"GET", "/api/mkp-openapi-public/global/v1/order/query"},
	{"GET", "/api/mkp-openapi-public/v1/asset/deployed-object"},
	{"POST", "/unified-login/portal-login"},
	{"POST", "/api/mkp-openapi-public/global/v1/isv/usage-data"},
	{"POST", "/api/v1/oauth2/token"},
	{"GET", "/api/v1/oauth2/authorize"},
	{"GET", "/api/v1/cas/serviceValidate"},
	{"GET", "/healthz"},
}

// FuzzCheckHTTPRequest sends the request validator, for a known route of marketplace.yaml, any query,
// Content-Type, extra header and body. It must answer a list of violations (empty when the request
// is valid) and no error, each violation saying where it is and why, never panic. Seed corpus:
// testdata/fuzz/FuzzCheckHTTPRequest/.
func FuzzCheckHTTPRequest(f *testing.F) {
	spec, err := openapi.Load(nil, openapi.MarketplaceFile)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(uint8(0), "", "application/json", "X-Sdk-Date", "20261127T080000Z", []byte(`{"license":"L1"}`))
	f.Add(uint8(3), "a=1&a=2", "application/json; charset=utf-8", "", "", []byte(`{"licenses":[{"license":"L","extInfo":null}]}`))
	f.Add(uint8(9), "", "application/x-www-form-urlencoded", "Authorization", "Basic eA==", []byte("grant_type=authorization_code&code=c"))
	f.Add(uint8(10), "response_type=code&client_id=%ff", "", "", "", []byte(nil))
	f.Add(uint8(11), "ticket=ST-1&service=http://x&format=JSON", "text/plain", "", "", []byte("\xff"))
	f.Fuzz(func(t *testing.T, route uint8, rawQuery, contentType, header, value string, body []byte) {
		rt := fuzzRoutes[int(route)%len(fuzzRoutes)]
		u := &url.URL{Scheme: "http", Host: "mkt.myhuaweicloud.com", Path: rt.path, RawQuery: rawQuery}
		r, err := http.NewRequest(rt.method, u.String(), bytes.NewReader(body))
		if err != nil {
			return
		}
		if contentType != "" {
			r.Header.Set("Content-Type", contentType)
		}
		if header != "" {
			r.Header.Set(header, value)
		}
		got, err := spec.CheckHTTPRequest(context.Background(), r, body)
		if err != nil {
			t.Fatalf("%s %s?%s: %v", rt.method, rt.path, rawQuery, err)
		}
		checkViolations(t, got, "body", "query", "header", "path", "cookie", "")
	})
}

// FuzzCheckAnswer gives the answer validator, for each webhook of seller.yaml, any JSON a seller may
// answer. It must answer violations with a message and no error, never panic; bytes that are not JSON
// are the caller's to refuse and are skipped. Seed corpus: testdata/fuzz/FuzzCheckAnswer/.
func FuzzCheckAnswer(f *testing.F) {
	spec, err := openapi.Load(nil, openapi.SellerFile)
	if err != nil {
		f.Fatal(err)
	}
	hooks := spec.Webhooks()
	slices.Sort(hooks)
	if len(hooks) == 0 {
		f.Fatal("seller.yaml has no webhooks")
	}
	f.Add(uint8(0), []byte(`{"resultCode":"000000","resultMsg":"success.","instanceId":"i"}`))
	f.Add(uint8(1), []byte(`{"resultCode":0,"instanceId":["i"]}`))
	f.Add(uint8(2), []byte(`[{"resultCode":"000000"}]`))
	f.Add(uint8(3), []byte(`null`))
	f.Add(uint8(4), []byte(`{"resultCode":"000000","appInfo":{"frontEndUrl":"x","userName":1e400}}`))
	f.Fuzz(func(t *testing.T, hook uint8, body []byte) {
		var answer any
		if json.Unmarshal(body, &answer) != nil {
			return
		}
		name := hooks[int(hook)%len(hooks)]
		got, err := spec.CheckAnswer(name, answer)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		checkViolations(t, got, "")
	})
}

func checkViolations(t *testing.T, got []openapi.Violation, in ...string) {
	t.Helper()
	for _, v := range got {
		if v.Message == "" || !slices.Contains(in, v.In) {
			t.Fatalf("violation %+v: no message, or in %q", v, v.In)
		}
	}
}
