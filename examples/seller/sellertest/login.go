package sellertest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/examples/seller"
)

// LoginFailureVariants are sellers whose web app mishandles a token the identity provider refuses;
// everything else about them is the reference seller. The scripted login failures (koomock verify
// --tags '@failure && @login') must fail on each, naming Rule; the rest of the suite passes.
var LoginFailureVariants = []Variant{
	{Name: "crashes-on-refused-code", Rule: koomock.RuleLoginRefused, Says: "HTTP 500",
		Broken: "answers HTTP 500 with a stack trace when the identity provider refuses the authorization code", wrap: onRefusedLogin(crash)},
	{Name: "hangs-up-on-refused-code", Rule: koomock.RuleLoginRefused, Says: "got no page",
		Broken: "drops the browser's connection when the identity provider refuses the authorization code", wrap: onRefusedLogin(hangUp)},
	{Name: "stack-trace-on-refused-code", Rule: koomock.RuleLoginRefused, Says: "shows a stack trace",
		Broken: "shows the user the exception's stack trace when the identity provider refuses the authorization code", wrap: onRefusedLogin(showTrace)},
	{Name: "session-without-token", Rule: koomock.RuleLoginRefused, Says: "without a valid access token",
		Broken: "keeps showing the user the web app when the identity provider refuses the refresh token", wrap: keepSession},
}

// onRefusedLogin answers the browser with answer when the reference seller's callback answers that
// the login failed.
func onRefusedLogin(answer http.HandlerFunc) func(seller.Config, http.Handler) http.Handler {
	return func(_ seller.Config, next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != seller.CallbackPath {
				next.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			if rec.Code < http.StatusBadRequest {
				copyAnswer(w, rec)
				return
			}
			answer(w, r)
		})
	}
}

// crash is what an unhandled error gives in a web framework that prints it: a 500 with the stack.
func crash(w http.ResponseWriter, _ *http.Request) {
	w.WriteHeader(http.StatusInternalServerError)
	io.WriteString(w, "panic: token exchange: identity provider refused the code\n\ngoroutine 42 [running]:\n"+
		"main.callback(0xc000132000)\n\t/app/login.go:57 +0x1d2\n")
}

// hangUp closes the connection without an answer, as Go's net/http does after a panic.
func hangUp(http.ResponseWriter, *http.Request) { panic(http.ErrAbortHandler) }

// showTrace answers with a status of its own but the exception's stack trace as the page.
func showTrace(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusUnauthorized)
	io.WriteString(w, "<!doctype html><h1>Login failed</h1><pre>com.example.sso.TokenException: invalid_grant\n"+
		"\tat com.example.sso.OAuthClient.redeem(OAuthClient.java:88)\n\tat com.example.web.LoginController.callback(LoginController.java:41)\n</pre>")
}

// keepSession serves the web app's last page again, per session cookie, when the reference seller
// ends the session: the mistake of a seller that keeps the user it remembers when the refresh of
// the access token is refused.
func keepSession(_ seller.Config, next http.Handler) http.Handler {
	var mu sync.Mutex
	pages := map[string]*httptest.ResponseRecorder{}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(seller.SessionCookie)
		if r.URL.Path != seller.MePath || err != nil {
			next.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		mu.Lock()
		if rec.Code == http.StatusOK {
			pages[c.Value] = rec
		} else if kept, ok := pages[c.Value]; ok {
			rec = kept
		}
		mu.Unlock()
		copyAnswer(w, rec)
	})
}
