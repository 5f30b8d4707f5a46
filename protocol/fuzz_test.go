package protocol_test

import (
	"bytes"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/koomock/koomock/protocol"
)

// Fuzz targets for the parsers that read what a caller sends. Their seed corpora are in
// testdata/fuzz/<target>/; docs/reliability.md says how to run them.

// FuzzDecodeObject: any bytes either decode to one JSON object or fail with ErrNotJSONObject, never
// panic; and what decodes canonicalises to bytes that are their own canonical form (signing the
// canonical body twice gives one signature).
func FuzzDecodeObject(f *testing.F) {
	for _, s := range []string{`{}`, `{"b":1,"a":"x"}`, `{"n":1.50e3,"z":null}`, `{"a":{"c":1,"b":[1,"<&>"]}}`, `[1]`, `{"a":1} {}`, `{"a":1`, `null`, "\xff"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		obj, err := protocol.DecodeObject(body)
		if err != nil {
			if !errors.Is(err, protocol.ErrNotJSONObject) {
				t.Fatalf("DecodeObject(%q) = %v, not ErrNotJSONObject", body, err)
			}
			return
		}
		if obj == nil {
			t.Fatalf("DecodeObject(%q) gave no object and no error", body)
		}
		once, err := protocol.CanonicalJSON(body)
		if err != nil {
			t.Fatalf("CanonicalJSON(%q) failed after DecodeObject succeeded: %v", body, err)
		}
		twice, err := protocol.CanonicalJSON(once)
		if err != nil || !bytes.Equal(once, twice) {
			t.Fatalf("canonical form is not stable: %q -> %q -> %q (%v)", body, once, twice, err)
		}
	})
}

// FuzzParseAPIGAuthorization: any Authorization header parses or fails with one of the documented
// errors, and a header that parses names an access key, headers and a signature.
func FuzzParseAPIGAuthorization(f *testing.F) {
	for _, s := range []string{
		"SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=abc",
		"SDK-HMAC-SHA256 Access=AK,SignedHeaders=host,Signature=",
		"SDK-HMAC-SHA256 ", "Bearer x", "", "SDK-HMAC-SHA256 Access==, SignedHeaders=;, Signature==",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		a, err := protocol.ParseAPIGAuthorization(h)
		switch {
		case err == nil:
			if a.AccessKey == "" || len(a.SignedHeaders) == 0 || a.Signature == "" {
				t.Fatalf("ParseAPIGAuthorization(%q) accepted %+v", h, a)
			}
		case !errors.Is(err, protocol.ErrNoAuthorization) && !errors.Is(err, protocol.ErrBadAuthorization):
			t.Fatalf("ParseAPIGAuthorization(%q) = %v", h, err)
		}
	})
}

// FuzzVerifyAPIG: a request of any method, path, query, header value and body that koomock's own
// signer signs verifies, and the same request with its body changed does not. The canonical request
// (URI and query escaping, header trimming) must agree with itself on any input.
func FuzzVerifyAPIG(f *testing.F) {
	f.Add("GET", "/api/mkp-openapi-public/global/v1/order/query", "orderId=CS1&b=2&a=1", "application/json", []byte(""))
	f.Add("POST", "/a b/ü/", "x=%20&x=+&y", "  spaced  value ", []byte(`{"a":1}`))
	f.Add("PUT", "", "=&&=", "", []byte{0})
	now := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	secret := func(ak string) (string, bool) { return "SK", ak == "AK" }
	f.Fuzz(func(t *testing.T, method, path, rawQuery, value string, body []byte) {
		u := &url.URL{Scheme: "http", Host: "mkt.example", Path: "/" + strings.TrimPrefix(path, "/"), RawQuery: rawQuery}
		r, err := http.NewRequest(method, u.String(), nil)
		if err != nil {
			return // not a request net/http could send
		}
		r.Header.Set("Content-Type", value)
		protocol.SignAPIGRequest(r, body, "AK", "SK", now)
		req := protocol.FromHTTP(r, body)
		if _, _, err := protocol.VerifyAPIG(req, now, secret); err != nil {
			t.Fatalf("a request signed by SignAPIGRequest does not verify: %v\n%s", err, protocol.CanonicalAPIGRequest(req, protocol.DefaultSignedHeaders(r.Header)))
		}
		req.Body = append(append([]byte{}, body...), 'x')
		if _, _, err := protocol.VerifyAPIG(req, now, secret); !errors.Is(err, protocol.ErrAPIGMismatch) {
			t.Fatalf("a changed body verified (err %v)", err)
		}
	})
}
