package runner

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"

	"golang.org/x/net/publicsuffix"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/i18n"
	"github.com/koomock/koomock/protocol"
	"github.com/koomock/koomock/runner/browser"
)

// workbenchLaunch is how the scenario's app was opened from the 开天 workbench: the workbench's origin
// and the answers the app's iframe got, redirects included, which the framing and cookie checks read.
type workbenchLaunch struct {
	origin *url.URL
	// app is the workbench's page of the app, frame the address its iframe starts at.
	app       string
	frame     string
	responses []browser.Response
	// home is the workbench's page with the sign-out form.
	home *browser.Page
}

func workbenchSteps() StepGroup {
	return StepGroup{
		Name: "The 开天 aPaaS enterprise workbench",
		Doc: "The scenario's user signs in at koomock's workbench (joint.workbenchUrl), opens the app, and follows its iframe, " +
			"which starts the login at the tenant's authorize and lands on the app's callback with code and tenant (spec " +
			"license-login §2.8). The checks read the answers the iframe got. Without --seller-login-url they skip.",
		Steps: []StepDef{
			{`^the user (?:signs|signed) in at the workbench and (?:opens|opened) the app$`,
				"signs in at the workbench, opens the app's page and follows its iframe to the seller",
				"the user signs in at the workbench and opens the app", workbenchOpen},
			{`^the seller accepted the login the workbench started$`,
				"the page the iframe landed at shows the user: the callback took code and tenant without a state of the app's own",
				"the seller accepted the login the workbench started", workbenchAccepted},
			{`^the seller's pages can be framed by the workbench$`,
				"the app's page in the iframe sends no X-Frame-Options DENY/SAMEORIGIN and no frame-ancestors refusing the workbench",
				"the seller's pages can be framed by the workbench", workbenchFramable},
			{`^the seller's session cookie works inside the workbench's iframe$`,
				"the cookies the app set in the iframe carry SameSite=None; Secure (advisory: a warning explains what a browser does)",
				"the seller's session cookie works inside the workbench's iframe", workbenchCookie},
			{`^the app renders at (\d+) px without horizontal scrolling$`,
				"opens the app's page in the mobile workbench in headless Chromium (skipped when there is none) and measures the framed app",
				"the app renders at 375 px without horizontal scrolling", workbenchFits},
			{`^the user signs out of the workbench$`,
				"submits the workbench's sign-out form, which ends the identity provider's session",
				"the user signs out of the workbench", workbenchSignOut},
		},
	}
}

// workbenchOpen plays the enterprise user: the workbench's sign-in form, the app's tile, its iframe.
// What koomock's own pages do wrong is a harness error; where the iframe ends is the seller's.
func workbenchOpen(ctx context.Context) error {
	if _, err := needLogin(ctx, false); err != nil {
		return err
	}
	if err := needCallback(ctx); err != nil {
		return err
	}
	s, j := state(ctx), jointOf(ctx)
	if j.tenant == nil || j.user.UserName == "" {
		return harness(fmt.Errorf("no enterprise with an authorised user in this scenario"))
	}
	st, err := s.api.Settings(ctx)
	if err != nil || st.Joint == nil || st.Joint.WorkbenchURL == "" {
		return harness(fmt.Errorf("koomock's settings name no workbench (joint.workbenchUrl): %v", err))
	}
	origin, err := url.Parse(st.Joint.WorkbenchURL)
	if err != nil {
		return harness(err)
	}
	from, err := journalEnd(ctx)
	if err != nil {
		return err
	}
	b := browser.New(s.opts.BrowserTransport)
	page, err := b.Open(ctx, st.Joint.WorkbenchURL)
	if err != nil {
		return harness(fmt.Errorf("open the workbench: %w", err))
	}
	form, err := page.Form()
	if err != nil || !form.Has("password") {
		return harness(fmt.Errorf("the workbench at %s shows no sign-in form (HTTP %d)", page.URL, page.Status))
	}
	home, err := b.Submit(ctx, form, map[string]string{"username": j.user.UserName, "password": j.password, "tenant": j.tenant.Tenant.Code})
	if err != nil || home.Status != http.StatusOK {
		return harness(fmt.Errorf("sign in at the workbench as %s: %v", j.user.UserName, pageError(home, err)))
	}
	tile, ok := home.Link("/workbench/apps/")
	if !ok {
		return harness(fmt.Errorf("the workbench's home page offers the user no app to open"))
	}
	app, err := b.Open(ctx, tile)
	if err != nil || app.Status != http.StatusOK || len(app.Frames()) == 0 {
		return harness(fmt.Errorf("the app's page %s frames nothing: %v", tile, pageError(app, err)))
	}
	frame := app.Frames()[0]
	j.login = &loginState{b: b, from: from}
	j.workbench = &workbenchLaunch{origin: origin, app: tile, frame: frame, home: home}
	landed, err := b.Open(ctx, frame)
	j.login.last, j.login.lastErr = landed, err
	j.workbench.responses = landed.Responses
	if err != nil {
		return loginBroke(ctx, "verdict.loginSession.iframeFailed", frame, err)
	}
	j.login.landed = pageURL(landed)
	return nil
}

// pageError describes why a navigation did not give the page expected.
func pageError(p *browser.Page, err error) string {
	switch {
	case err != nil:
		return err.Error()
	case p == nil:
		return "no page"
	}
	return fmt.Sprintf("HTTP %d at %s", p.Status, p.URL)
}

func (j *joint) launched() (*workbenchLaunch, error) {
	if j.workbench == nil || j.login == nil {
		return nil, harness(fmt.Errorf("the app was not opened from the workbench in this scenario"))
	}
	return j.workbench, nil
}

// workbenchAccepted passes when the app holds a session after the workbench's launch. When the seller
// never redeemed the code, its callback refused a login it did not start: workbench.state.
func workbenchAccepted(ctx context.Context) error {
	j := jointOf(ctx)
	w, err := j.launched()
	if err != nil {
		return err
	}
	ok, page, err := showsUser(ctx)
	if err != nil || ok {
		return err
	}
	list, err := tenantExchanges(ctx, j.login.from)
	if err != nil {
		return err
	}
	if len(list) > 0 && calls(list, protocol.OAuthToken, koomock.RuleOAuthCode) > 0 {
		return holdsSession(ctx)
	}
	return &ruleError{what: "the seller refused the login the workbench started", verdicts: []koomock.Verdict{
		i18n.Verdict(koomock.RuleWorkbenchState, koomock.Fail, "verdict.workbench.state", w.frame, pageError(page, nil), describeCalls(list))}}
}

// sellerAnswers are the iframe's answers that came from the seller, not from koomock.
func (w *workbenchLaunch) sellerAnswers() []browser.Response {
	var out []browser.Response
	for _, r := range w.responses {
		if r.URL.Host != w.origin.Host {
			out = append(out, r)
		}
	}
	return out
}

// workbenchFramable checks the page the iframe rendered (a redirect is not rendered, so its headers
// do not count, as in a browser).
func workbenchFramable(ctx context.Context) error {
	w, err := jointOf(ctx).launched()
	if err != nil {
		return err
	}
	answers := w.sellerAnswers()
	if len(answers) == 0 {
		return harness(fmt.Errorf("the iframe got no answer from the seller"))
	}
	last := answers[len(answers)-1]
	if why := refusesFraming(last.Header, w.origin); why != "" {
		return &ruleError{what: "the seller's page refuses to be framed by the workbench", verdicts: []koomock.Verdict{
			i18n.Verdict(koomock.RuleWorkbenchFraming, koomock.Fail, "verdict.workbenchFraming.fail", last.URL, last.Status, why)}}
	}
	return nil
}

// refusesFraming says why a page's headers forbid framing by origin, or "" when they allow it. A
// frame-ancestors directive overrides X-Frame-Options in browsers that know CSP.
func refusesFraming(h http.Header, origin *url.URL) string {
	for _, policy := range h.Values("Content-Security-Policy") {
		for directive := range strings.SplitSeq(policy, ";") {
			fields := strings.Fields(directive)
			if len(fields) == 0 || !strings.EqualFold(fields[0], "frame-ancestors") {
				continue
			}
			if !ancestorsAdmit(fields[1:], origin) {
				return i18n.Phrase("verdict.workbenchFraming.csp", strings.TrimSpace(directive), origin.Scheme+"://"+origin.Host)
			}
			return ""
		}
	}
	switch xfo := strings.ToUpper(strings.TrimSpace(h.Get("X-Frame-Options"))); xfo {
	case "DENY", "SAMEORIGIN":
		return i18n.Phrase("verdict.workbenchFraming.xfo", xfo)
	}
	return ""
}

// ancestorsAdmit matches origin against a frame-ancestors source list (CSP3 §6.4.2, host sources
// with an optional scheme, *. wildcard and port).
func ancestorsAdmit(sources []string, origin *url.URL) bool {
	for _, src := range sources {
		src = strings.ToLower(strings.Trim(src, "'\""))
		switch {
		case src == "none":
			return false
		case src == "*":
			return true
		case src == "self":
			continue // the app's own origin; the workbench is not it
		case strings.HasSuffix(src, ":") && !strings.Contains(src, "/"):
			if strings.TrimSuffix(src, ":") == origin.Scheme {
				return true
			}
			continue
		}
		scheme, host := "", src
		if s, rest, ok := strings.Cut(src, "://"); ok {
			scheme, host = s, rest
		}
		host, _, _ = strings.Cut(host, "/")
		if scheme != "" && scheme != origin.Scheme {
			continue
		}
		name, port := host, ""
		if i := strings.LastIndex(host, ":"); i >= 0 && !strings.Contains(host[i:], "]") {
			name, port = host[:i], host[i+1:]
		}
		if port != "" && port != "*" && port != portOf(origin) {
			continue
		}
		if name == origin.Hostname() || strings.HasPrefix(name, "*.") && strings.HasSuffix(origin.Hostname(), name[1:]) {
			return true
		}
	}
	return false
}

func portOf(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if u.Scheme == "https" {
		return "443"
	}
	return "80"
}

// workbenchCookie checks the cookies the seller set in the iframe: each needs SameSite=None; Secure
// to survive a third-party iframe. The finding explains what the browser does here and on KooGallery.
func workbenchCookie(ctx context.Context) error {
	w, err := jointOf(ctx).launched()
	if err != nil {
		return err
	}
	var problems []string
	var app *url.URL
	for _, r := range w.sellerAnswers() {
		for _, line := range r.Header.Values("Set-Cookie") {
			c, err := http.ParseSetCookie(line)
			if err != nil || c.MaxAge < 0 || c.Value == "" {
				continue // a deletion is no session
			}
			app = r.URL
			switch {
			case c.SameSite != http.SameSiteNoneMode:
				problems = append(problems, i18n.Phrase("verdict.workbenchCookie.sameSite", c.Name, sameSiteName(c.SameSite)))
			case !c.Secure:
				problems = append(problems, i18n.Phrase("verdict.workbenchCookie.noSecure", c.Name))
			case r.URL.Scheme == "http" && !browser.Loopback(r.URL.Hostname()):
				problems = append(problems, i18n.Phrase("verdict.workbenchCookie.plainHTTP", c.Name, r.URL.Host))
			}
		}
	}
	if len(problems) == 0 {
		return nil
	}
	where := i18n.Phrase("verdict.workbenchCookie.crossSite", w.origin.Scheme+"://"+w.origin.Host, app.Scheme+"://"+app.Host)
	if sameSite(w.origin, app) {
		where = i18n.Phrase("verdict.workbenchCookie.sameSiteHere", w.origin.Scheme+"://"+w.origin.Host, app.Scheme+"://"+app.Host)
	}
	return &ruleError{what: "the seller's session cookie would not survive the workbench's iframe", verdicts: []koomock.Verdict{
		i18n.Verdict(koomock.RuleWorkbenchCookie, koomock.Fail, "verdict.workbenchCookie.fail", strings.Join(problems, "; "), where)}}
}

func sameSiteName(m http.SameSite) string {
	switch m {
	case http.SameSiteStrictMode:
		return "SameSite=Strict"
	case http.SameSiteLaxMode:
		return "SameSite=Lax"
	}
	return "no SameSite attribute (browsers default to Lax)"
}

// sameSite compares two origins' sites: scheme and registrable domain (the host itself for an IP
// address or a name without a public suffix).
func sameSite(a, b *url.URL) bool {
	site := func(u *url.URL) string {
		h := u.Hostname()
		if net.ParseIP(h) != nil {
			return u.Scheme + "://" + h
		}
		if d, err := publicsuffix.EffectiveTLDPlusOne(h); err == nil {
			h = d
		}
		return u.Scheme + "://" + h
	}
	return site(a) == site(b)
}

// workbenchSignOut submits the workbench's sign-out form.
func workbenchSignOut(ctx context.Context) error {
	j := jointOf(ctx)
	w, err := j.launched()
	if err != nil {
		return err
	}
	form, err := w.home.Form()
	if err != nil {
		return harness(fmt.Errorf("the workbench's home page has no sign-out form: %w", err))
	}
	if _, err := j.login.b.Submit(ctx, form, nil); err != nil {
		return harness(fmt.Errorf("sign out of the workbench: %w", err))
	}
	return nil
}

// workbenchFits opens the app's page of the mobile (H5) workbench in headless Chromium, signed in with
// the scenario's session, and measures the app in the iframe: a page wider than the phone scrolls
// sideways. Without Chromium the scenario skips, unless KOOMOCK_REQUIRE_BROWSER says a browser must be
// there (CI).
func workbenchFits(ctx context.Context, width int) error {
	j := jointOf(ctx)
	w, err := j.launched()
	if err != nil {
		return err
	}
	chromium := browser.Chromium()
	if chromium == "" {
		if os.Getenv("KOOMOCK_REQUIRE_BROWSER") != "" {
			return harness(fmt.Errorf("KOOMOCK_REQUIRE_BROWSER is set but no Chromium was found (KOOMOCK_CHROMIUM, chromium, google-chrome)"))
		}
		return skip(ctx, "needs headless Chromium for the mobile-width check: install chromium or set KOOMOCK_CHROMIUM")
	}
	h5 := w.app + "?view=h5"
	layout, err := browser.MeasureFrame(ctx, chromium, h5, width, j.login.b.Cookies(h5))
	if err != nil {
		return harness(fmt.Errorf("measure the framed app at %d px: %w", width, err))
	}
	if u, err := url.Parse(layout.URL); err == nil && u.Host == w.origin.Host {
		return harness(fmt.Errorf("the iframe in Chromium stayed on koomock (%s): the launch did not reach the app", layout.URL))
	}
	if layout.ScrollWidth <= layout.ClientWidth+1 {
		return nil
	}
	return &ruleError{what: "the app does not fit the mobile workbench", verdicts: []koomock.Verdict{
		i18n.Verdict(koomock.RuleWorkbenchMobile, koomock.Fail, "verdict.workbench.mobile", width, layout.URL, layout.ScrollWidth, layout.ClientWidth)}}
}
