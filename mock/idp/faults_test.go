package idp_test

import (
	"errors"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/mock/idp"
	"github.com/koomock/koomock/runner/browser"
)

// TestTokenErrorFault switches oauth-token-error on through the control API and checks, over real
// HTTP with an unchanged OAuth client, that the token endpoint answers each error with its status and
// RFC 6749 body, leaves the code usable, is narrowed by grant type, and stops after its count.
func TestTokenErrorFault(t *testing.T) {
	e := newEnv(t, nil)
	list, err := e.api.Faults(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	offered := false
	for _, d := range list.Offered {
		if d.Name == idp.FaultTokenError && len(d.Targets) == 2 && len(d.Choices) > 0 {
			offered = true
		}
	}
	if !offered {
		t.Fatalf("%s is not offered with its targets and choices: %+v", idp.FaultTokenError, list.Offered)
	}

	conf := oauthConfig(e, e.srv.URL(), fixtures.DemoClientID, fixtures.DemoClientSecret, oauth2.AuthStyleInParams)
	e.login(t, browser.New(nil), conf.AuthCodeURL("s"), fixtures.DemoUser, fixtures.DemoPassword)
	code := e.cb.last(t).Get("code")

	tests := []struct {
		value  string
		status int
		want   string // the body
	}{
		{"invalid_grant", 400, `{"error":"invalid_grant","error_description":"Invalid authorization code"}`},
		{"invalid_client", 401, `{"error":"invalid_client","error_description":"Bad client credentials"}`},
		{"temporarily_unavailable", 503, `{"error":"temporarily_unavailable","error_description":"The authorization server is temporarily unavailable"}`},
		{"", 500, `{"error":"server_error","error_description":"The authorization server encountered an unexpected condition"}`},
	}
	for _, tt := range tests {
		if _, err := e.api.SetFault(e.ctx, koomock.Fault{Name: idp.FaultTokenError, Target: "authorization_code", Value: tt.value, Remaining: 1}); err != nil {
			t.Fatal(err)
		}
		_, err := conf.Exchange(e.ctx, code)
		var re *oauth2.RetrieveError
		if !errors.As(err, &re) || re.Response.StatusCode != tt.status || string(re.Body) != tt.want+"\n" {
			t.Fatalf("fault %q: %v", tt.value, err)
		}
		if ex := e.journal(t, "oauth2.token")[0]; verdict(ex, koomock.RuleOAuthCode) != koomock.Warn {
			t.Errorf("fault %q: verdicts %+v, want a warning naming the fault", tt.value, ex.Verdicts)
		}
	}
	// The fault fired once each time and is gone; the code was never used up.
	tok, err := conf.Exchange(e.ctx, code)
	if err != nil {
		t.Fatalf("the code after the faults: %v", err)
	}

	// Aimed at refresh_token, the fault leaves code redemption alone and refuses the refresh.
	if _, err := e.api.SetFault(e.ctx, koomock.Fault{Name: idp.FaultTokenError, Target: "refresh_token", Value: "invalid_grant"}); err != nil {
		t.Fatal(err)
	}
	e.login(t, browser.New(nil), conf.AuthCodeURL("s"), fixtures.DemoUser, fixtures.DemoPassword)
	if _, err := conf.Exchange(e.ctx, e.cb.last(t).Get("code")); err != nil {
		t.Fatalf("a refresh_token fault refused a code: %v", err)
	}
	tok.Expiry = time.Now().Add(-time.Second)
	_, err = conf.TokenSource(e.ctx, tok).Token()
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.Response.StatusCode != 400 || re.ErrorDescription != "Invalid refresh token" {
		t.Fatalf("refresh under the fault: %v", err)
	}
	if err := e.api.ClearFault(e.ctx, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := conf.TokenSource(e.ctx, tok).Token(); err != nil {
		t.Fatalf("the refresh token after the fault was switched off: %v", err)
	}
}
