package inbound_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
	"time"
	"unicode"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/i18n"
	"github.com/koomock/koomock/mock/inbound"
	"github.com/koomock/koomock/mock/journal"
	"github.com/koomock/koomock/openapi"
)

// TestNoOperationWarningSpeaksTheReadersLanguage: a route the document has no operation for reaches
// its handler with a warning that a zh-CN reader reads in Chinese and an English reader as the journal
// keeps it.
func TestNoOperationWarningSpeaksTheReadersLanguage(t *testing.T) {
	spec, err := openapi.Load(fstest.MapFS{"t.yaml": {Data: []byte(`openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /q:
    get:
      responses: {"200": {description: ok}}
`)}}, "t.yaml")
	if err != nil {
		t.Fatal(err)
	}
	j := &memJournal{}
	jr := journal.New(j, nil, nil)
	rec := inbound.NewRecorder(jr, func() time.Time { return now }, nil)
	reached := false
	h := rec.Middleware("orderQuery", nil)(inbound.Validate(spec, func(w http.ResponseWriter, r *http.Request, v []openapi.Violation) {
		w.WriteHeader(400)
	})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { reached = true })))
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/elsewhere")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	jr.Close()
	v, _ := j.snapshot()[0].Verdict(koomock.RuleRequestSchema)
	if !reached || v.Outcome != koomock.Warn || !strings.HasPrefix(v.Message, openapi.ErrNoOperation.Error()+": GET /elsewhere") {
		t.Fatalf("reached=%v verdict=%+v", reached, v)
	}
	zh := i18n.For(i18n.Chinese).Why(v)
	if !strings.ContainsFunc(zh, func(r rune) bool { return unicode.Is(unicode.Han, r) }) || !strings.Contains(zh, "GET /elsewhere") {
		t.Errorf("a zh-CN reader reads %q", zh)
	}
	if en := i18n.For(i18n.English).Why(v); en != v.Message {
		t.Errorf("English renders %q, the journal keeps %q", en, v.Message)
	}
}
