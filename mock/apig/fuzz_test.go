package apig_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/mock/apig"
	"github.com/koomock/koomock/mock/inbound"
	"github.com/koomock/koomock/protocol"
)

// discardJournal keeps nothing: a fuzzer's millions of calls would fill any journal.
type discardJournal struct{}

func (discardJournal) Record(context.Context, *koomock.Exchange) error { return nil }
func (discardJournal) Arriving(int64)                                  {}

// FuzzAuthenticate sends the gateway, as a caller can, any Authorization header, X-Sdk-Date, path,
// query and body. It must answer the API (a valid signature) or its own 401 APIG.0301 body, never
// panic or answer anything else; and a request koomock's own signer signed must pass, whatever the
// path, query and body. Seed corpus: testdata/fuzz/FuzzAuthenticate/.
func FuzzAuthenticate(f *testing.F) {
	now := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	rec := inbound.NewRecorder(discardJournal{}, func() time.Time { return now }, nil)
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, `{"resultCode":"MKT.0000"}`) })
	f.Add("", "", "/api/mkp-openapi-public/global/v1/order/query", "orderId=CS1", []byte(nil), true)
	f.Add("SDK-HMAC-SHA256 Access="+ak+", SignedHeaders=host;x-sdk-date, Signature=00", "20261127T080000Z", "/a b/%2F", "b=&a=1&a=0", []byte(`{"a":1}`), false)
	f.Fuzz(func(t *testing.T, auth, date, path, rawQuery string, body []byte, sign bool) {
		u := &url.URL{Scheme: "http", Host: "mkt.myhuaweicloud.com", Path: "/" + path, RawQuery: rawQuery}
		r, err := http.NewRequest(http.MethodPost, u.String(), bytes.NewReader(body))
		if err != nil {
			return // not a request a client could send
		}
		if sign {
			protocol.SignAPIGRequest(r, body, ak, sk, now)
		} else {
			r.Header.Set("Authorization", auth)
			r.Header.Set(protocol.HeaderSdkDate, date)
		}
		// A gateway per call: five failures lock the access key out, and a fuzzer fails many more.
		gw := &apig.Gateway{
			Credentials: func(id string) (string, bool) { return sk, id == ak },
			Now:         func() time.Time { return now },
			RequestID:   func() string { return "req-1" },
			AK:          ak, SK: sk, Explain: true,
		}
		w := httptest.NewRecorder()
		rec.Middleware("orderQuery", gw.TooLarge())(gw.Authenticate(api)).ServeHTTP(w, r)
		switch w.Code {
		case http.StatusOK:
			if !sign && auth == "" {
				t.Fatalf("an unsigned call passed the gateway")
			}
		case http.StatusUnauthorized:
			var e apig.Error
			if sign {
				t.Fatalf("a call signed by koomock's signer was refused: %s", w.Body)
			}
			if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Code != apig.CodeAuthFailed || e.RequestID == "" {
				t.Fatalf("401 not in the gateway's format: %s", w.Body)
			}
		default:
			t.Fatalf("HTTP %d: %s", w.Code, w.Body)
		}
	})
}
