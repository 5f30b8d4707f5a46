package inbound_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/mock/inbound"
)

// lastJournal keeps the exchanges of one call.
type lastJournal struct{ got []*koomock.Exchange }

func (j *lastJournal) Record(_ context.Context, e *koomock.Exchange) error {
	j.got = append(j.got, e)
	return nil
}

// Where FuzzMiddleware puts its secret: as the credentials a caller sends or koomock answers.
const (
	secretInQuery    = iota // ?code=SECRET
	secretInForm            // client_secret=SECRET in a form body
	secretAsBearer          // Authorization: Bearer SECRET
	secretInAnswer          // {"access_token":"SECRET"} answered
	secretInLocation        // a redirect to ...?code=SECRET
	secretPlaces
)

// FuzzMiddleware sends the inbound middleware any method, path, query, Content-Type, extra header and
// body, with a credential placed where a caller sends or koomock answers one. Every call must be
// journaled exactly once with its method, status and answer, the handler must see the body as sent
// and the caller get the handler's answer unchanged, nothing is answered 5xx, and the credential (6
// characters or more, as it is or query-escaped) appears nowhere in the stored exchange. Seed corpus:
// testdata/fuzz/FuzzMiddleware/.
func FuzzMiddleware(f *testing.F) {
	f.Add("POST", "/api/v1/oauth2/token", "grant_type=authorization_code", "application/x-www-form-urlencoded", "X-Sdk-Date", "20261127T080000Z", []byte("code=abc"), "s3cr3t-value", uint8(secretInForm))
	f.Add("GET", "/api/v1/oauth2/userinfo", "", "", "Cookie", "sid=1", []byte(nil), "Bearer-token-1", uint8(secretAsBearer))
	f.Add("GET", "/api/v1/cas/serviceValidate", "service=http%3A%2F%2Fx&ticket=ST-1", "", "", "", []byte(nil), "ST-123456", uint8(secretInQuery))
	f.Add("POST", "/api/v1/oauth2/token", "", "application/json", "Authorization", "Basic eDp5", []byte(`{"a":1}`), "at-with a space&amp", uint8(secretInAnswer))
	f.Add("GET", "/api/v1/oauth2/authorize", "redirect_uri=http://s/cb", "", "", "", []byte(nil), "code/with?odd=chars", uint8(secretInLocation))
	f.Fuzz(func(t *testing.T, method, path, rawQuery, contentType, header, value string, body []byte, secret string, place uint8) {
		place %= secretPlaces
		// Where the fuzzer put the secret text itself (a body, a path, a header), it is no credential
		// the middleware can know of: only the places below carry one.
		elsewhere := bytes.Contains(body, []byte(secret)) || strings.Contains(method+path+rawQuery+contentType+header+value, secret)
		q := rawQuery
		if place == secretInQuery {
			q = strings.TrimPrefix(q+"&code="+url.QueryEscape(secret), "&")
		}
		if place == secretInForm {
			body = append(body, []byte("&client_secret="+url.QueryEscape(secret))...)
			contentType = "application/x-www-form-urlencoded"
		}
		u := &url.URL{Scheme: "http", Host: "koomock.local", Path: "/" + strings.TrimPrefix(path, "/"), RawQuery: q}
		r, err := http.NewRequest(method, u.String(), bytes.NewReader(body))
		if err != nil {
			return // not a request a client could send
		}
		if header != "" {
			r.Header.Set(header, value)
		}
		if contentType != "" {
			r.Header.Set("Content-Type", contentType)
		}
		if place == secretAsBearer {
			r.Header.Set("Authorization", "Bearer "+secret)
		}
		if r.Header.Get("Content-Type") != contentType && place == secretInForm {
			return // the extra header changed the Content-Type the form needs
		}
		var answer []byte
		status := http.StatusOK
		if place == secretInAnswer {
			answer, _ = json.Marshal(map[string]string{"access_token": secret, "token_type": "bearer"})
		}
		j := &lastJournal{}
		rec := inbound.NewRecorder(j, func() time.Time { return now }, nil)
		h := rec.Middleware("fuzz", nil)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			seen, _ := io.ReadAll(r.Body)
			if !bytes.Equal(seen, body) || !bytes.Equal(inbound.Body(r.Context()), body) {
				t.Errorf("the handler saw %q, not the body sent %q", seen, body)
			}
			if place == secretInLocation {
				w.Header().Set("Location", "http://seller.example/cb?code="+url.QueryEscape(secret)+"&state=s")
				status = http.StatusFound
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			w.Write(answer)
		}))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code >= 500 || w.Code != status || !bytes.Equal(w.Body.Bytes(), answer) {
			t.Fatalf("caller got HTTP %d %q, handler answered %d %q", w.Code, w.Body, status, answer)
		}
		if len(j.got) != 1 {
			t.Fatalf("%d exchanges journaled for one call", len(j.got))
		}
		e := j.got[0]
		if method == "" {
			method = http.MethodGet // what net/http sends for no method
		}
		if e.Direction != koomock.Inbound || e.Request.Method != method || e.Response == nil || e.Response.Status != status {
			t.Fatalf("journaled %s %s -> %+v, want %s -> %d", e.Direction, e.Request.Method, e.Response, method, status)
		}
		if len(secret) < 6 || strings.Contains("<masked>", secret) || elsewhere {
			return // too short to be scrubbed, the mask itself, or also sent where no credential goes
		}
		stored, _ := json.Marshal(struct {
			URL, ReqBody, RespBody string
			ReqHeader, RespHeader  http.Header
		}{e.Request.URL, e.Request.Body, e.Response.Body, e.Request.Header, e.Response.Header})
		raw := e.Request.URL + "\n" + e.Request.Body + "\n" + e.Response.Body + "\n" + headerValues(e.Request.Header) + headerValues(e.Response.Header)
		for _, form := range []string{secret, url.QueryEscape(secret)} {
			if strings.Contains(raw, form) {
				t.Fatalf("the credential %q (placed %d) is in the journal: %s", form, place, stored)
			}
		}
	})
}

func headerValues(h http.Header) string {
	var b strings.Builder
	for _, vs := range h {
		for _, v := range vs {
			b.WriteString(v + "\n")
		}
	}
	return b.String()
}
