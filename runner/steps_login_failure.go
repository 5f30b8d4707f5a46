package runner

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/i18n"
	"github.com/koomock/koomock/protocol"
)

// faultTokenError is the identity provider's fault that refuses token calls (mock/idp).
const faultTokenError = controlapi.FaultOAuthTokenError

// grants maps the steps' words to the token endpoint's grant types, the fault's targets, and to the
// rule the identity provider judges the call under.
var grants = map[string]struct {
	grantType string
	rule      koomock.Rule
}{
	"authorization code": {"authorization_code", koomock.RuleOAuthCode},
	"refresh token":      {"refresh_token", koomock.RuleOAuthRefresh},
}

func loginFailureSteps() StepGroup {
	return StepGroup{
		Name: "Login failures",
		Doc: "The tenant's identity provider refuses the seller a token, and the scenario judges what the user's browser " +
			"got from the seller (spec license-login §2.4, §2.5). Without --seller-login-url they skip.",
		Steps: []StepDef{
			{`^the identity provider refuses every (authorization code|refresh token) with (\w+)$`,
				"switches on oauth-token-error for that grant type: the token endpoint answers the OAuth error (invalid_grant, server_error, …) instead of redeeming it (@exclusive)",
				"the identity provider refuses every refresh token with invalid_grant", refuseGrant},
			{`^the user tries to log in through the seller's web app$`,
				"logs in as the user logs in through the seller's web app, leaving what the seller answers after koomock's login form to later steps",
				"the user tries to log in through the seller's web app", tryLogin},
			{`^the identity provider refused the seller's (authorization code|refresh token)$`,
				"since the login the seller called the tenant's token endpoint with that grant and the fault refused it, and its calls broke no rule",
				"the identity provider refused the seller's refresh token", refusedGrant},
			{`^the seller shows the user a page, not an error of its own$`,
				"the last page the browser got from the seller came, with any status but 500, and shows no stack trace",
				"the seller shows the user a page, not an error of its own", showsAPage},
			{`^the seller holds no session for the user$`,
				"the last page the browser got from the seller (where the login ended, or the web app as last opened) does not show the user's account name",
				"the seller holds no session for the user", holdsNoSession},
		},
	}
}

func refuseGrant(ctx context.Context, grant, oauthError string) error {
	if _, err := needLogin(ctx, false); err != nil {
		return err
	}
	if err := needExclusive(ctx, "a fault"); err != nil {
		return err
	}
	f, err := state(ctx).api.SetFault(ctx, koomock.Fault{Name: faultTokenError, Target: grants[grant].grantType, Value: oauthError})
	if err != nil {
		return harness(fmt.Errorf("switch on %s for %s: %w", faultTokenError, grants[grant].grantType, err))
	}
	st := saas(ctx)
	st.faults = append(st.faults, f.ID)
	return nil
}

func tryLogin(ctx context.Context) error { return login(ctx, false, true) }

// refusedGrant checks the scenario reached the failure it scripts: the seller asked for the token and
// the fault refused it.
func refusedGrant(ctx context.Context, grant string) error {
	l, err := jointOf(ctx).loggedIn()
	if err != nil {
		return err
	}
	list, err := tenantExchanges(ctx, l.from)
	if err != nil {
		return err
	}
	verdicts, first := failedVerdicts(list)
	g := grants[grant]
	refused := false
	for i, e := range list {
		if v, ok := e.Verdict(g.rule); e.Activity == protocol.OAuthToken && ok && v.Outcome == koomock.Warn && strings.Contains(v.Message, faultTokenError) {
			refused = true
			// Stepping through, the developer sees the refused call as the last exchange.
			state(ctx).last = &list[i]
		}
	}
	if !refused {
		why := i18n.Phrase("verdict.loginGrant.neverRedeemed")
		if g.grantType == "refresh_token" {
			why = i18n.Phrase("verdict.loginGrant.neverRefreshed")
		}
		verdicts = append(verdicts, i18n.Verdict(g.rule, koomock.Fail, "verdict.loginGrant.fail", why, describeCalls(list)))
	}
	if len(verdicts) == 0 {
		return nil
	}
	state(ctx).last = first
	return &ruleError{what: "the seller's calls to the identity provider did not go as the scenario scripts", exchange: first, verdicts: verdicts}
}

// stackTrace matches the first lines of the stack traces that Go, Python, Java and Node.js print, which
// tell an attacker what the seller runs and have nothing to tell the user.
var stackTrace = regexp.MustCompile(`goroutine \d+ \[[a-z ]+\]:|Traceback \(most recent call last\)|` +
	`(?m)^\s+at [\w$.<>]+ ?\([\w./\\:-]+\.(?:java|kt|scala|js|ts|mjs|cjs):\d+`)

// showsAPage passes when the seller answered the browser with a page of its own: a refusal by the
// identity provider is not an error of the seller's service, so HTTP 500 (or a crash) is wrong; any
// other status, including a 502 or 503 naming the identity provider, is a page.
func showsAPage(ctx context.Context) error {
	l, err := jointOf(ctx).loggedIn()
	if err != nil {
		return err
	}
	var v koomock.Verdict
	switch p := l.last; {
	case l.lastErr != nil || p == nil:
		v = i18n.Verdict(koomock.RuleLoginRefused, koomock.Fail, "verdict.loginRefused.noPage", l.landed, fmt.Sprint(l.lastErr))
	case p.Status == 500:
		v = i18n.Verdict(koomock.RuleLoginRefused, koomock.Fail, "verdict.loginRefused.http500", p.URL)
		if trace := stackTrace.FindString(p.Body); trace != "" {
			v = i18n.Verdict(koomock.RuleLoginRefused, koomock.Fail, "verdict.loginRefused.http500Trace", p.URL, trace)
		}
	case stackTrace.MatchString(p.Body):
		v = i18n.Verdict(koomock.RuleLoginRefused, koomock.Fail, "verdict.loginRefused.trace", p.URL, p.Status, stackTrace.FindString(p.Body))
	default:
		return nil
	}
	return &ruleError{what: "the seller did not answer the browser with a page of its own", verdicts: []koomock.Verdict{v}}
}

func holdsNoSession(ctx context.Context) error {
	j := jointOf(ctx)
	l, err := j.loggedIn()
	if err != nil {
		return err
	}
	p := l.last
	if l.lastErr != nil || p == nil || p.Status != 200 || !strings.Contains(p.Body, j.user.UserName) {
		return nil
	}
	return &ruleError{what: "the seller still holds a session for the user", verdicts: []koomock.Verdict{
		i18n.Verdict(koomock.RuleLoginRefused, koomock.Fail, "verdict.loginRefused.session", p.URL, j.user.UserName)}}
}
