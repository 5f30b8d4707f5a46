package idp_test

import (
	"encoding/json"
	"encoding/xml"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/mock"
	"github.com/koomock/koomock/mock/mocktest"
)

// FuzzCASValidate sends CAS ticket validation any query: the service, ticket and format parameters a
// seller's CAS client (or anyone) sends, and whatever else. Each of the three validation routes must
// answer in its own format (CAS 1.0 "yes"/"no" lines, a CAS 2.0/3.0 serviceResponse in XML or JSON),
// never a 5xx or a panic, and never accept a ticket koomock did not issue. Seed corpus:
// testdata/fuzz/FuzzCASValidate/.
func FuzzCASValidate(f *testing.F) {
	h := mocktest.New(f, mocktest.Options{NoSeller: true, RealClock: true, Config: func(c *mock.Config) {
		c.Logger = slog.New(slog.DiscardHandler)
		c.Joint = mock.JointConfig{KitKey: fixtures.DemoKitKey, LoginCallbackURL: "https://seller.example/login/callback"}
	}}).Server.Handler()
	f.Add(uint8(0), "service=https%3A%2F%2Fseller.example%2Flogin%2Fcallback&ticket=ST-1")
	f.Add(uint8(1), "ticket=ST-&service=x&format=JSON")
	f.Add(uint8(2), "format=XML&format=JSON&ticket=ST-%00&service=%ZZ")
	paths := []string{"/api/v1/cas/validate", "/api/v1/cas/serviceValidate", "/api/v1/cas/p3/serviceValidate"}
	f.Fuzz(func(t *testing.T, route uint8, rawQuery string) {
		path := paths[int(route)%len(paths)]
		r := httptest.NewRequest(http.MethodGet, "http://localhost"+path, nil)
		r.URL.RawQuery = rawQuery
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		body := w.Body.String()
		if w.Code >= 500 {
			t.Fatalf("%s?%s: HTTP %d %s", path, rawQuery, w.Code, body)
		}
		if w.Code != http.StatusOK {
			return // refused before validation (a malformed query): the route's own error
		}
		switch {
		case path == paths[0]:
			if body != "no\n\n" {
				t.Fatalf("CAS 1.0 answered %q to a ticket never issued", body)
			}
		case strings.Contains(w.Header().Get("Content-Type"), "json"):
			var v struct {
				ServiceResponse struct {
					AuthenticationFailure *struct{ Code string } `json:"authenticationFailure"`
				} `json:"serviceResponse"`
			}
			if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil || v.ServiceResponse.AuthenticationFailure == nil {
				t.Fatalf("JSON answer is no authentication failure: %s (%v)", body, err)
			}
		default:
			var v struct {
				Failure *struct {
					Code string `xml:"code,attr"`
				} `xml:"authenticationFailure"`
			}
			if err := xml.Unmarshal(w.Body.Bytes(), &v); err != nil || v.Failure == nil || v.Failure.Code == "" {
				t.Fatalf("XML answer is no authentication failure: %s (%v)", body, err)
			}
		}
	})
}
