package idp_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/runner/browser"
)

func TestCASLoginAndValidation(t *testing.T) {
	e := newEnv(t, nil)
	service := e.cbURL + "?tenant=" + fixtures.DemoTenantID
	login := e.srv.URL() + "/api/v1/cas/login?service=" + url.QueryEscape(service)
	ticket := func(b *browser.Browser) string {
		t.Helper()
		e.login(t, b, login, fixtures.DemoUser, fixtures.DemoPassword)
		st := e.cb.last(t).Get("ticket")
		if !strings.HasPrefix(st, "ST-") {
			t.Fatalf("callback got ticket %q", st)
		}
		return st
	}
	validate := func(path, st, svc, format string) string {
		q := url.Values{"service": {svc}, "ticket": {st}}
		if format != "" {
			q.Set("format", format)
		}
		_, body := get(t, e.srv.URL()+path+"?"+q.Encode(), "")
		return body
	}

	st := ticket(browser.New(nil))
	p3 := validate("/api/v1/cas/p3/serviceValidate", st, service, "")
	for _, want := range []string{`<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas">`, "<cas:user>zhangsan</cas:user>",
		"<cas:authenticationDate>2026-11-27T08:00:00.000Z</cas:authenticationDate>", "<cas:isFromNewLogin>true</cas:isFromNewLogin>",
		"<cas:role>admin</cas:role>", "<cas:organizationCode>10000</cas:organizationCode>", "<cas:name>张三</cas:name>",
		"<cas:userName>zhangsan</cas:userName>", "<cas:tenant>" + fixtures.DemoTenantID + "</cas:tenant>",
		"<cas:longTermAuthenticationRequestTokenUsed>false</cas:longTermAuthenticationRequestTokenUsed>"} {
		if !strings.Contains(p3, want) {
			t.Errorf("CAS 3.0 answer lacks %s:\n%s", want, p3)
		}
	}
	if again := validate("/api/v1/cas/p3/serviceValidate", st, service, ""); !strings.Contains(again, `<cas:authenticationFailure code="INVALID_TICKET">Ticket `+st+` not recognized</cas:authenticationFailure>`) {
		t.Errorf("second validation of a ticket:\n%s", again)
	}

	b := browser.New(nil)
	st = ticket(b)
	var js map[string]map[string]map[string]any
	if err := json.Unmarshal([]byte(validate("/api/v1/cas/p3/serviceValidate", st, service, "JSON")), &js); err != nil {
		t.Fatal(err)
	}
	ok := js["serviceResponse"]["authenticationSuccess"]
	if ok["user"] != fixtures.DemoUser || ok["attributes"].(map[string]any)["tenant"] != fixtures.DemoTenantID {
		t.Errorf("CAS 3.0 JSON: %v", js)
	}
	// A second login in the same browser goes straight to the service: not a new login.
	st = ticket2(t, e, b, login)
	if body := validate("/api/v1/cas/p3/serviceValidate", st, service, ""); !strings.Contains(body, "<cas:isFromNewLogin>false</cas:isFromNewLogin>") {
		t.Errorf("SSO ticket: %s", body)
	}
	st = ticket2(t, e, b, login)
	if body := validate("/api/v1/cas/serviceValidate", st, e.cbURL+"?other=1", ""); !strings.Contains(body, `code="INVALID_SERVICE"`) {
		t.Errorf("wrong service: %s", body)
	}
	if body := validate("/api/v1/cas/serviceValidate", "", service, "JSON"); !strings.Contains(body, `"code":"INVALID_REQUEST"`) {
		t.Errorf("no ticket: %s", body)
	}
	if body := validate("/api/v1/cas/serviceValidate", "ST-nope", service, "JSON"); body != `{"serviceResponse":{"authenticationFailure":{"code":"INVALID_TICKET","description":"the ticket provided was not valid, ticket is ST-nope"}}}` {
		t.Errorf("unknown ticket JSON: %s", body)
	}
	st = ticket2(t, e, b, login)
	if body := validate("/api/v1/cas/serviceValidate", st, service, ""); !strings.Contains(body, "<cas:user>zhangsan</cas:user>") || strings.Contains(body, "attributes") {
		t.Errorf("CAS 2.0: %s", body)
	}
	st = ticket2(t, e, b, login)
	if body := validate("/api/v1/cas/validate", st, service, ""); body != "yes\nzhangsan" {
		t.Errorf("CAS 1.0: %q", body)
	}
	if body := validate("/api/v1/cas/validate", st, service, ""); body != "no" {
		t.Errorf("CAS 1.0 reuse: %q", body)
	}
	st = ticket2(t, e, b, login)
	e.clk.Advance(5*time.Minute + time.Second)
	if body := validate("/api/v1/cas/serviceValidate", st, service, ""); !strings.Contains(body, `code="INVALID_TICKET"`) {
		t.Errorf("expired ticket: %s", body)
	}
	if _, body := get(t, e.srv.URL()+"/api/v1/cas/login?service="+url.QueryEscape("http://evil.example/"), ""); !strings.Contains(body, "not registered") {
		t.Errorf("unregistered service: %s", body)
	}
	// CAS logout ends the session: the next login shows the form.
	page, err := b.Open(e.ctx, e.srv.URL()+"/api/v1/cas/logout?service="+url.QueryEscape(e.cbURL))
	if err != nil || page.URL.Path != "/login/callback" {
		t.Fatalf("logout: %v %v", err, page.URL)
	}
	if page, _ := b.Open(e.ctx, login); !strings.Contains(page.Body, `name="password"`) {
		t.Errorf("after CAS logout the login form should show:\n%s", page.Body)
	}
	for _, x := range e.journal(t, "cas.p3.serviceValidate") {
		if _, ok := x.Verdict(koomock.RuleCASTicket); !ok || x.TenantID != fixtures.DemoTenantID {
			t.Errorf("journal: %+v", x)
		}
	}
}

// ticket2 gets a ticket with a browser that already has a session.
func ticket2(t *testing.T, e *env, b *browser.Browser, login string) string {
	t.Helper()
	if _, err := b.Open(e.ctx, login); err != nil {
		t.Fatal(err)
	}
	return e.cb.last(t).Get("ticket")
}

func TestLoginPageEscapesAndRefuses(t *testing.T) {
	e := newEnv(t, nil)
	b := browser.New(nil)
	page, err := b.Open(e.ctx, e.srv.URL()+"/unified-login/portal-login?ind=UNOP&appId="+url.QueryEscape(`"><script>alert(1)</script>`))
	if err != nil || strings.Contains(page.Body, "<script>alert(1)") {
		t.Fatalf("the app ID is not escaped: %v\n%s", err, page.Body)
	}
	for _, q := range []string{"", "?ind=NOPE&appId=x", "?return_to=https://evil.example/", "?return_to=//evil.example/"} {
		if page, _ := b.Open(e.ctx, e.srv.URL()+"/unified-login/portal-login"+q); page.Status != 400 {
			t.Errorf("%q: HTTP %d", q, page.Status)
		}
	}
	// A wrong password shows the form again with the reason; the right one goes to the callback with code
	// and tenant.
	page, _ = b.Open(e.ctx, e.srv.URL()+"/unified-login/portal-login?ind=UNOP&appId="+fixtures.DemoAppID)
	form, err := page.Form()
	if err != nil {
		t.Fatal(err)
	}
	if bad, _ := b.Submit(e.ctx, form, map[string]string{"username": fixtures.DemoUser, "password": "nope"}); bad.Status != 401 || !strings.Contains(bad.Body, "password is wrong") {
		t.Errorf("wrong password: HTTP %d", bad.Status)
	}
	if ok, _ := b.Submit(e.ctx, form, map[string]string{"username": fixtures.DemoUser, "password": fixtures.DemoPassword}); ok.Status != 200 {
		t.Fatalf("login: HTTP %d %s", ok.Status, ok.Body)
	}
	q := e.cb.last(t)
	if q.Get("code") == "" || q.Get("tenant") != fixtures.DemoTenantID || q.Has("state") {
		t.Errorf("unified login callback: %v", q)
	}
	if page, _ := b.Open(e.ctx, e.srv.URL()+"/unified-login/"); page.Status != 200 || !strings.Contains(page.Body, "#/portal-login") {
		t.Errorf("index: %d", page.Status)
	}
	for _, body := range []string{page.Body} {
		if strings.Contains(body, ".go:") || strings.Contains(body, "panic") {
			t.Errorf("leak: %s", body)
		}
	}
}
