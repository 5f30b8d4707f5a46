package kit_test

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"testing"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/mock/mocktest"
)

// fuzzSeller answers every kit sync with the status, Content-Type and body it is given.
type fuzzSeller struct {
	mu          sync.Mutex
	status      int
	contentType string
	body        []byte
}

func (s *fuzzSeller) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	w.Header().Set("Content-Type", s.contentType)
	w.WriteHeader(s.status)
	w.Write(s.body)
}

func (s *fuzzSeller) set(status int, contentType string, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.status, s.contentType, s.body = status, contentType, body
}

// FuzzKitSyncAnswer has a seller answer koomock's kit syncs (a resync of the demo tenant: tenantSync,
// applicationSync, allOrgSync, authSync) with any status, Content-Type and body. koomock must judge
// every answer, never fail the resync itself: each sync is journaled with the seller's status and
// verdicts that have a rule, an outcome and a message (an answer net/http cannot read is journaled
// with its transport error), and an answer that is not HTTP 200 with a JSON
// object whose resultCode is 000000 always has a failed verdict. Seed corpus:
// testdata/fuzz/FuzzKitSyncAnswer/.
func FuzzKitSyncAnswer(f *testing.F) {
	s := &fuzzSeller{status: http.StatusOK, contentType: "application/json", body: []byte(`{"resultCode":"000000","resultMsg":"Success"}`)}
	m := mocktest.New(f, mocktest.Options{Handler: s, Joint: true})
	f.Add(uint16(0), "application/json", []byte(`{"resultCode":"000000","resultMsg":"Success"}`))
	f.Add(uint16(0), "text/html", []byte(`<html>ok</html>`))
	f.Add(uint16(300), "application/json", []byte(`{"resultCode":"000000"}`))
	f.Add(uint16(0), "application/json", []byte(`{"resultCode":"000001","resultMsg":"clientSecret decrypt failed"}`))
	f.Add(uint16(0), "application/json;charset=UTF-8", []byte(`{"resultCode":0,"resultMsg":null}`))
	f.Add(uint16(0), "", []byte(`[{"resultCode":"000000"}] `))
	f.Fuzz(func(t *testing.T, status uint16, contentType string, body []byte) {
		code := 200 + int(status)%400
		s.set(code, contentType, body)
		res, err := m.API.Resync(context.Background(), fixtures.DemoTenantID)
		if err != nil {
			t.Fatalf("resync with the seller answering HTTP %d %q: %v", code, body, err)
		}
		if len(res.Exchanges) == 0 {
			t.Fatalf("a resync sent nothing")
		}
		var obj map[string]any
		accepted := code == http.StatusOK && json.Unmarshal(body, &obj) == nil && obj["resultCode"] == "000000"
		for _, e := range res.Exchanges {
			switch {
			case e.Response == nil && e.Error == "":
				t.Fatalf("%s journaled with neither an answer nor an error", e.Activity)
			case e.Response == nil:
				accepted = false // an answer net/http cannot read (a control byte in a header) is a transport error
			case e.Response.Status != code:
				t.Fatalf("%s journaled with HTTP %d, the seller answered HTTP %d", e.Activity, e.Response.Status, code)
			}
			failed := false
			for _, v := range e.Verdicts {
				if v.Rule == "" || v.Message == "" || (v.Outcome != koomock.Pass && v.Outcome != koomock.Fail && v.Outcome != koomock.Warn) {
					t.Fatalf("%s: verdict without rule, outcome or message: %+v", e.Activity, v)
				}
				failed = failed || v.Outcome == koomock.Fail
			}
			if !accepted && !failed {
				t.Fatalf("%s: HTTP %d %q passed every check", e.Activity, code, body)
			}
		}
	})
}
