package sellertest

import (
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/examples/seller"
)

// The workbench variants break what the 开天 workbench needs of a web app it frames (spec
// license-login §2.8); each is the reference seller otherwise. Two are in Variants (required rules),
// the Lax cookie in WarnVariants (workbench.cookie is advisory).

// refuseFraming sends X-Frame-Options: DENY on every page of the web app, as many frameworks do by
// default (Spring Security, Django, helmet): the workbench shows an empty frame.
func refuseFraming(_ seller.Config, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, seller.ProducePath) {
			w.Header().Set("X-Frame-Options", "DENY")
		}
		next.ServeHTTP(w, r)
	})
}

// laxSessionCookie sets the session cookie SameSite=Lax, Go's and most frameworks' choice: the cookie
// a browser drops inside the workbench's third-party iframe.
func laxSessionCookie(_ seller.Config, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != seller.CallbackPath {
			next.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		cookies := rec.Header().Values("Set-Cookie")
		rec.Header().Del("Set-Cookie")
		for _, line := range cookies {
			if c, err := http.ParseSetCookie(line); err == nil && c.Name == seller.SessionCookie {
				c.SameSite, c.Secure = http.SameSiteLaxMode, false
				line = c.String()
			}
			rec.Header().Add("Set-Cookie", line)
		}
		copyAnswer(w, rec)
	})
}

// loginPendingCookie marks a login the web app started itself.
const loginPendingCookie = "login_pending"

// ownLoginOnly keeps login state of its own: its login page sets a cookie, and its callback refuses a
// login without it, as an app does that checks the state (or nonce) it stored when it sent the user to
// log in. Logins from its own page work; every launch from the workbench, which starts the
// authorization itself, is refused.
func ownLoginOnly(_ seller.Config, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case seller.LoginPath:
			http.SetCookie(w, &http.Cookie{Name: loginPendingCookie, Value: "1", Path: "/", HttpOnly: true})
		case seller.CallbackPath:
			if _, err := r.Cookie(loginPendingCookie); err != nil && r.URL.Query().Get("ticket") == "" {
				http.Error(w, "invalid login state: start the login on this app's login page", http.StatusBadRequest)
				return
			}
			http.SetCookie(w, &http.Cookie{Name: loginPendingCookie, Value: "", Path: "/", MaxAge: -1})
		}
		next.ServeHTTP(w, r)
	})
}

// BrowserVariants break a rule only a real browser can see (the layout of the framed app); the
// runner's tests play them when headless Chromium is there. They break advisory rules: the suite
// passes them with a warning naming the rule.
var BrowserVariants = []Variant{
	{Name: "fixed-width-page", Rule: koomock.RuleWorkbenchMobile,
		Broken: "lays its page out 1200 px wide, so the mobile workbench scrolls sideways", wrap: fixedWidth},
}

// fixedWidth puts the web app's page in a 1200 px wide box, a desktop-only layout.
func fixedWidth(_ seller.Config, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != seller.MePath {
			next.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		body := strings.Replace(rec.Body.String(), "<body>", `<body><div style="width:1200px">`, 1)
		rec.Body.Reset()
		rec.Body.WriteString(body)
		rec.Header().Del("Content-Length")
		copyAnswer(w, rec)
	})
}
