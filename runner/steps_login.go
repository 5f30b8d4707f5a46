package runner

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/i18n"
	"github.com/koomock/koomock/protocol"
	"github.com/koomock/koomock/runner/browser"
)

// loginState is the scenario's browser and where its login landed.
type loginState struct {
	b *browser.Browser
	// landed is the seller's page the login ended at: "the seller's web app" of later steps.
	landed string
	// from is the journal position before the login, to find the calls it caused.
	from int64
	// last is the page the browser last got from the seller (where the login ended, or the web app as
	// last opened), lastErr why it got none: what the user saw, judged by the failure steps.
	last    *browser.Page
	lastErr error
}

func loginSteps() StepGroup {
	return StepGroup{
		Name: "Login through the tenant's identity provider",
		Doc: "A browser (real HTTP, a cookie jar, koomock's login form parsed and filled in) logs the scenario's user in " +
			"through the seller's web app, by OAuth 2.0 or CAS (spec license-login §2, §3). Without --seller-login-url " +
			"(--seller-cas-login-url for CAS) they skip.",
		Steps: []StepDef{
			{`^the user (?:logs|logged) in through the seller's web app$`,
				"opens --seller-login-url, fills in koomock's login form, and follows the redirects back to the seller",
				"the user logs in through the seller's web app", loginOAuth},
			{`^the user (?:logs|logged) in through the seller's CAS login$`,
				"opens --seller-cas-login-url?tenant=TENANT_ID, fills in koomock's login form, and follows the redirects back",
				"the user logs in through the seller's CAS login", loginCAS},
			{`^the seller holds a session for the user$`,
				"the seller's page the login ended at shows the user's account name",
				"the seller holds a session for the user", holdsSession},
			{`^the seller redeemed the code and read userinfo with the tenant's client credentials$`,
				"since the login the tenant's token and userinfo calls succeeded and broke no rule",
				"the seller redeemed the code and read userinfo with the tenant's client credentials", redeemedAndRead},
			{`^the seller validated the service ticket on the tenant's domain$`,
				"since the login a CAS validation of the tenant succeeded and broke no rule",
				"the seller validated the service ticket on the tenant's domain", validatedTicket},
			{`^(\d+) (seconds|minutes|hours) of clock time pass for the enterprise$`,
				"ages the tenant's codes, tokens and sessions (its own clock), leaving koomock's clock alone",
				"7190 seconds of clock time pass for the enterprise", timePasses},
			{`^the user opens the seller's web app$`, "opens the page the login ended at again", "the user opens the seller's web app", openApp},
			{`^the seller refreshed the access token with the tenant's client credentials$`,
				"since the login the seller used the refresh_token grant with the tenant's client",
				"the seller refreshed the access token with the tenant's client credentials", refreshed},
			{`^the user logs out of the seller's web app$`,
				"follows the logout link on the seller's page", "the user logs out of the seller's web app", logout},
			{`^the seller no longer holds a session for the user$`,
				"the seller's page no longer shows the user", "the seller no longer holds a session for the user", noSession},
			{`^the identity provider asks the user to log in again$`,
				"opening the seller's login again shows koomock's login form: the identity provider's session ended",
				"the identity provider asks the user to log in again", asksAgain},
		},
	}
}

// needLogin skips login scenarios without the seller's login URL (or CAS login URL).
func needLogin(ctx context.Context, cas bool) (string, error) {
	opts := state(ctx).opts
	if cas {
		if opts.SellerCASLoginURL == "" {
			return "", skip(ctx, "needs --seller-cas-login-url: CAS scenarios open the CAS login of the seller's web app")
		}
		return opts.SellerCASLoginURL, nil
	}
	if opts.SellerLoginURL == "" {
		return "", skip(ctx, "needs --seller-login-url: login scenarios open the login page of the seller's web app")
	}
	return opts.SellerLoginURL, nil
}

// needCallback skips login scenarios when koomock has no registered callback for new tenants' apps:
// the identity provider could not send the browser back to the seller.
func needCallback(ctx context.Context) error {
	st, err := state(ctx).api.Settings(ctx)
	if err != nil {
		return harness(fmt.Errorf("read koomock's settings: %w", err))
	}
	if st.Joint == nil || st.Joint.LoginCallbackURL == "" {
		return skip(ctx, "needs --login-callback-url: the identity provider sends the browser back to the app's registered callback")
	}
	return nil
}

func loginOAuth(ctx context.Context) error { return login(ctx, false, false) }
func loginCAS(ctx context.Context) error   { return login(ctx, true, false) }

// login plays the user's browser: the seller's login URL, redirects to koomock's login form, the
// form filled in and submitted, redirects back to the seller. A tentative login (the scripted
// failures) keeps whatever the seller answered after the form for later steps to judge.
func login(ctx context.Context, cas, tentative bool) error {
	start, err := needLogin(ctx, cas)
	if err != nil {
		return err
	}
	if err := needCallback(ctx); err != nil {
		return err
	}
	s, j := state(ctx), jointOf(ctx)
	if j.tenant == nil || j.user.UserName == "" {
		return harness(fmt.Errorf("no enterprise with an authorised user in this scenario"))
	}
	if cas {
		start = withTenant(start, j.tenant.Tenant.ID)
	}
	from, err := journalEnd(ctx)
	if err != nil {
		return err
	}
	j.login = &loginState{b: browser.New(s.opts.BrowserTransport), from: from}
	page, err := j.login.b.Open(ctx, start)
	if err != nil {
		return loginBroke(ctx, "verdict.loginSession.openFailed", start, err)
	}
	form, err := page.Form()
	if err != nil || !form.Has("password") {
		return loginBroke(ctx, "verdict.loginSession.noForm",
			start, page.URL, page.Status, strings.Join(page.Hops, " → "))
	}
	fill := map[string]string{"username": j.user.UserName, "password": j.password}
	if form.Has("tenant") {
		fill["tenant"] = j.tenant.Tenant.Code
	}
	page, err = j.login.b.Submit(ctx, form, fill)
	j.login.last, j.login.lastErr = page, err
	if err != nil && !tentative {
		return loginBroke(ctx, "verdict.loginSession.browserFailed", err)
	}
	j.login.landed = pageURL(page)
	return nil
}

// pageURL is where a navigation ended, or the last address it tried when it got no answer.
func pageURL(p *browser.Page) string {
	switch {
	case p == nil:
		return ""
	case p.URL != nil:
		return p.URL.String()
	case len(p.Hops) > 0:
		return p.Hops[len(p.Hops)-1]
	}
	return ""
}

func withTenant(raw, tenantID string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	q := u.Query()
	q.Set("tenant", tenantID)
	u.RawQuery = q.Encode()
	return u.String()
}

// loginBroke fails a login step with the failed verdicts of the tenant's identity-provider calls since
// the login started, or, when koomock saw nothing wrong, with what the browser saw.
func loginBroke(ctx context.Context, key string, args ...any) error {
	j := jointOf(ctx)
	var from int64
	if j.login != nil {
		from = j.login.from
	}
	list, err := tenantExchanges(ctx, from)
	if err != nil {
		return err
	}
	verdicts, first := failedVerdicts(list)
	if v, ok := unrefreshed(list); ok {
		verdicts = append(verdicts, v)
	}
	verdicts = append(verdicts, i18n.Verdict(koomock.RuleLoginSession, koomock.Fail, "verdict.loginSession.broke",
		i18n.Phrase(key, args...), describeCalls(list)))
	state(ctx).last = first
	return &ruleError{what: "the login through the seller's web app failed", exchange: first, verdicts: verdicts}
}

// unrefreshed names a session lost to an expired access token: userinfo refused it as expired and no
// refresh followed.
func unrefreshed(list []koomock.Exchange) (koomock.Verdict, bool) {
	expired := false
	for _, e := range list {
		if v, ok := e.Verdict(koomock.RuleOAuthAccessToken); ok && v.Outcome == koomock.Warn {
			expired = true
		}
		if v, ok := e.Verdict(koomock.RuleOAuthRefresh); ok && v.Outcome == koomock.Pass {
			expired = false
		}
	}
	return i18n.Verdict(koomock.RuleOAuthRefresh, koomock.Fail, "verdict.refresh.never"), expired
}

func (j *joint) loggedIn() (*loginState, error) {
	if j.login == nil || j.login.landed == "" {
		return nil, harness(fmt.Errorf("no login in this scenario"))
	}
	return j.login, nil
}

// showsUser opens the seller's page the login landed at and reports whether it shows the user.
func showsUser(ctx context.Context) (bool, *browser.Page, error) {
	j := jointOf(ctx)
	l, err := j.loggedIn()
	if err != nil {
		return false, nil, err
	}
	page, err := l.b.Open(ctx, l.landed)
	l.last, l.lastErr = page, err
	if err != nil {
		return false, page, nil
	}
	return page.Status == 200 && strings.Contains(page.Body, j.user.UserName), page, nil
}

func holdsSession(ctx context.Context) error {
	ok, page, err := showsUser(ctx)
	if err != nil || ok {
		return err
	}
	status := 0
	if page != nil {
		status = page.Status
	}
	return loginBroke(ctx, "verdict.loginSession.noUser",
		jointOf(ctx).login.landed, status, jointOf(ctx).user.UserName)
}

func openApp(ctx context.Context) error {
	_, _, err := showsUser(ctx)
	return err
}

// checkCalls passes when the tenant's calls since from broke no rule and include what want counts.
func checkCalls(ctx context.Context, from int64, what string, want map[protocol.Activity]koomock.Rule) error {
	list, err := tenantExchanges(ctx, from)
	if err != nil {
		return err
	}
	verdicts, first := failedVerdicts(list)
	for activity, rule := range want {
		if calls(list, activity, rule) == 0 {
			verdicts = append(verdicts, i18n.Verdict(rule, koomock.Fail, "verdict.login.noCall", activity, describeCalls(list)))
		}
	}
	if len(verdicts) == 0 {
		return nil
	}
	state(ctx).last = first
	return &ruleError{what: what, exchange: first, verdicts: verdicts}
}

func redeemedAndRead(ctx context.Context) error {
	l, err := jointOf(ctx).loggedIn()
	if err != nil {
		return err
	}
	return checkCalls(ctx, l.from, "the seller's calls to the identity provider broke rules", map[protocol.Activity]koomock.Rule{
		protocol.OAuthToken: koomock.RuleOAuthCode, protocol.OAuthUserinfo: koomock.RuleOAuthAccessToken,
	})
}

func validatedTicket(ctx context.Context) error {
	l, err := jointOf(ctx).loggedIn()
	if err != nil {
		return err
	}
	list, err := tenantExchanges(ctx, l.from)
	if err != nil {
		return err
	}
	want := map[protocol.Activity]koomock.Rule{}
	if calls(list, protocol.CASValidate, koomock.RuleCASTicket)+calls(list, protocol.CASServiceValidate, koomock.RuleCASTicket) == 0 {
		want[protocol.CASP3ServiceValidate] = koomock.RuleCASTicket
	}
	return checkCalls(ctx, l.from, "the seller's CAS validation broke rules", want)
}

func timePasses(ctx context.Context, n int, unit string) error {
	s, j := state(ctx), jointOf(ctx)
	id, err := j.tenantID()
	if err != nil {
		return err
	}
	if _, err := s.api.AdvanceTenantClock(ctx, id, fmt.Sprintf("%d%s", n, unit[:1])); err != nil {
		return harness(fmt.Errorf("let time pass for the tenant: %w", err))
	}
	return nil
}

func refreshed(ctx context.Context) error {
	l, err := jointOf(ctx).loggedIn()
	if err != nil {
		return err
	}
	return checkCalls(ctx, l.from, "the seller did not keep the user's session by refreshing the access token", map[protocol.Activity]koomock.Rule{
		protocol.OAuthToken: koomock.RuleOAuthRefresh,
	})
}

func logout(ctx context.Context) error {
	j := jointOf(ctx)
	l, err := j.loggedIn()
	if err != nil {
		return err
	}
	page, err := l.b.Open(ctx, l.landed)
	if err != nil {
		return harness(err)
	}
	link, ok := page.Link("logout")
	if !ok {
		return &ruleError{what: "the seller's page after login has no logout link", verdicts: []koomock.Verdict{
			i18n.Verdict(koomock.RuleLoginLogout, koomock.Fail, "verdict.logout.noLink", l.landed)}}
	}
	if _, err := l.b.Open(ctx, link); err != nil {
		return harness(fmt.Errorf("follow the logout link %s: %w", link, err))
	}
	return nil
}

func noSession(ctx context.Context) error {
	ok, _, err := showsUser(ctx)
	if err != nil || !ok {
		return err
	}
	return &ruleError{what: "after logout the seller still shows the user", verdicts: []koomock.Verdict{
		i18n.Verdict(koomock.RuleLoginLogout, koomock.Fail, "verdict.logout.stillShown", jointOf(ctx).login.landed)}}
}

func asksAgain(ctx context.Context) error {
	start, err := needLogin(ctx, false)
	if err != nil {
		return err
	}
	j := jointOf(ctx)
	l, err := j.loggedIn()
	if err != nil {
		return err
	}
	from := l.from
	page, err := l.b.Open(ctx, start)
	if err != nil {
		return harness(err)
	}
	if form, err := page.Form(); err == nil && form.Has("password") {
		return nil
	}
	list, _ := tenantExchanges(ctx, from)
	return &ruleError{what: "after logout the identity provider still had a session", verdicts: []koomock.Verdict{
		i18n.Verdict(koomock.RuleLoginLogout, koomock.Fail, "verdict.logout.idpSession", page.URL, describeCalls(list))}}
}
