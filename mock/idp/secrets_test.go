package idp_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/runner/browser"
)

// TestNoStoredExchangeHoldsACredential walks every identity-provider route that takes or returns a
// credential (authorize's code, the token endpoint's code, tokens and client secret, the refresh grant,
// userinfo's bearer token, the login form's password, CAS tickets and their validation) and then reads
// the whole journal: no exchange may hold any of them.
func TestNoStoredExchangeHoldsACredential(t *testing.T) {
	e := newEnv(t, nil)
	secrets := []string{fixtures.DemoClientSecret, fixtures.DemoPassword}
	conf := oauthConfig(e, e.srv.URL(), fixtures.DemoClientID, fixtures.DemoClientSecret, oauth2.AuthStyleInParams)
	e.login(t, browser.New(nil), conf.AuthCodeURL("st"), fixtures.DemoUser, fixtures.DemoPassword)
	code := e.cb.last(t).Get("code")
	tok, err := conf.Exchange(e.ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	get(t, e.srv.URL()+"/api/v1/oauth2/userinfo", tok.AccessToken)
	tok.Expiry = time.Now().Add(-time.Second)
	fresh, err := conf.TokenSource(e.ctx, tok).Token()
	if err != nil {
		t.Fatal(err)
	}
	// A code redeemed twice: the refusal must not echo it either.
	conf.Exchange(e.ctx, code)
	secrets = append(secrets, code, tok.AccessToken, tok.RefreshToken, fresh.AccessToken)

	service := e.cbURL + "?tenant=" + fixtures.DemoTenantID
	e.login(t, browser.New(nil), e.srv.URL()+"/api/v1/cas/login?service="+url.QueryEscape(service), fixtures.DemoUser, fixtures.DemoPassword)
	ticket := e.cb.last(t).Get("ticket")
	for range 2 { // the second validation's failure names the ticket
		get(t, e.srv.URL()+"/api/v1/cas/p3/serviceValidate?"+url.Values{"service": {service}, "ticket": {ticket}}.Encode(), "")
	}
	secrets = append(secrets, ticket)

	list, err := e.api.Exchanges(e.ctx, koomock.ExchangeFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) < 8 {
		t.Fatalf("only %d exchanges journaled", len(list))
	}
	for _, x := range list {
		raw, _ := json.Marshal(x)
		for _, s := range secrets {
			if s == "" {
				t.Fatal("a credential of the flow is empty")
			}
			if strings.Contains(string(raw), s) || strings.Contains(string(raw), url.QueryEscape(s)) {
				t.Errorf("exchange #%d (%s) holds a credential %.6s…: %s", x.ID, x.Activity, s, raw)
			}
		}
	}
}
