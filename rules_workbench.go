package koomock

// The rules of the 开天 aPaaS enterprise workbench (license-login §2.8): the workbench opens a web app
// inside an iframe and starts its OAuth login itself.
const (
	// RuleWorkbenchFraming: the app's pages let the workbench frame them: no X-Frame-Options DENY or
	// SAMEORIGIN, and a Content-Security-Policy frame-ancestors, when sent, that admits the workbench's
	// origin. An app that refuses framing never opens in the workbench, which is the only way it runs
	// there (§2.8: web apps must open inside an iframe).
	RuleWorkbenchFraming Rule = "workbench.framing"
	// RuleWorkbenchCookie: the session cookie the app sets after the callback carries SameSite=None and
	// Secure. Inside the workbench's iframe the app is a third party (KooGallery's site is not the
	// seller's): browsers neither store nor send a Lax or Strict cookie there, so the app loses its
	// session right after the login. Advisory: KooGallery never looks at the cookie, an app may keep its
	// session another way, and over plain HTTP on one machine the two are the same site and browsers
	// relax the rule, so koomock cannot see the failure happen.
	RuleWorkbenchCookie Rule = "workbench.cookie"
	// RuleWorkbenchState: the callback accepts a login the app did not start: code and tenant, with no
	// state of its own. The workbench starts the authorization, so an app that insists on the state it
	// put in its own authorize request can never be launched from it.
	RuleWorkbenchState Rule = "workbench.state"
	// RuleWorkbenchMobile: the framed app renders at the mobile workbench's 375 px width without
	// horizontal scrolling (H5 light apps; checked in headless Chromium when one is available).
	RuleWorkbenchMobile Rule = "workbench.mobile"
)
