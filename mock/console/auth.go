package console

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/koomock/koomock/controlapi"
)

// SessionTTL is how long a console login lasts.
const SessionTTL = 12 * time.Hour

// sessionCookie holds the session ID; it is HttpOnly and SameSite=Strict and only sent to the console.
const sessionCookie = "koomock_console"

// csrfField is the form field every POST carries.
const csrfField = "csrf"

// sessions are the logged-in browsers, in memory: a restart of koomock asks for the token again.
type sessions struct {
	mu sync.Mutex
	m  map[string]time.Time // session ID → expiry
}

func (s *sessions) add(id string, expires time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string]time.Time{}
	}
	s.m[id] = expires
}

func (s *sessions) valid(id string, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	exp, ok := s.m[id]
	if ok && !now.Before(exp) {
		delete(s.m, id)
		return false
	}
	return ok
}

func (s *sessions) remove(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, id)
}

// sessionID returns the request's valid session, or "".
func (c *Console) sessionID(r *http.Request) string {
	ck, err := r.Cookie(sessionCookie)
	if err != nil || !c.sessions.valid(ck.Value, c.cfg.Now()) {
		return ""
	}
	return ck.Value
}

// csrfToken is the token the request's forms must carry: a MAC of its session (of nothing, without an
// admin token), which a page of another origin can neither read nor compute.
func (c *Console) csrfToken(r *http.Request) string {
	m := hmac.New(sha256.New, c.csrfKey)
	m.Write([]byte("console-csrf\x00" + c.sessionID(r)))
	return hex.EncodeToString(m.Sum(nil))
}

// csrfHeader carries the token of a request whose body is not a form: a package upload, whose body
// is the file. A page of another origin cannot set it without the console's consent (CORS).
const csrfHeader = "X-Koomock-CSRF"

// checkCSRF refuses every POST whose csrf field (or, for a body that is not a form, header) is not
// the request's token.
func (c *Console) checkCSRF(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token := r.Header.Get(csrfHeader)
		if ct := r.Header.Get("Content-Type"); token == "" || strings.HasPrefix(ct, "application/x-www-form-urlencoded") || strings.HasPrefix(ct, "multipart/") {
			token = r.PostFormValue(csrfField)
		}
		if r.Method == http.MethodPost && !hmac.Equal([]byte(token), []byte(c.csrfToken(r))) {
			c.renderError(w, r, controlapi.Errorf(controlapi.CodeForbidden,
				"the form's CSRF token is missing or stale: reload the page and try again"))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// requireSession admits requests of a logged-in browser when an admin token is set. Pages send the
// browser to the login; the event stream and actions are refused outright.
func (c *Console) requireSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c.cfg.Token == "" || c.sessionID(r) != "" {
			next.ServeHTTP(w, r)
			return
		}
		if r.Method == http.MethodGet && r.URL.Path != Prefix+"/journal/events" {
			http.Redirect(w, r, Prefix+"/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		c.renderError(w, r, controlapi.Errorf(controlapi.CodeUnauthorized, "log in to the console first"))
	})
}

// loginPage is what the login template shows.
type loginPage struct {
	Next  string
	Wrong bool
}

func (c *Console) handleLoginPage(w http.ResponseWriter, r *http.Request) {
	if c.cfg.Token == "" {
		http.Redirect(w, r, Prefix+"/", http.StatusSeeOther)
		return
	}
	if token := r.URL.Query().Get("token"); token != "" {
		c.loginWith(w, r, token, safeBack(r.URL.Query().Get("next")))
		return
	}
	c.render(w, r, http.StatusOK, "login", "", loginPage{Next: safeBack(r.URL.Query().Get("next"))})
}

func (c *Console) handleLogin(w http.ResponseWriter, r *http.Request) {
	next := safeBack(r.PostFormValue("next"))
	if next == "" {
		next = Prefix + "/"
	}
	if c.cfg.Token == "" {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	c.loginWith(w, r, r.PostFormValue("token"), next)
}

// loginWith starts a session when token is the admin token, from the login form or from the login
// URL koomock serve prints with a token it generated (/console/login?token=...), as Jupyter does;
// either way the browser is sent on without the token in its address bar.
func (c *Console) loginWith(w http.ResponseWriter, r *http.Request, token, next string) {
	if next == "" {
		next = Prefix + "/"
	}
	if !controlapi.TokenEqual(token, c.cfg.Token) {
		c.cfg.Logger.Warn("console: wrong admin token", "remote", r.RemoteAddr)
		c.render(w, r, http.StatusUnauthorized, "login", "", loginPage{Next: next, Wrong: true})
		return
	}
	id := c.cfg.IDs.Token(32)
	c.sessions.add(id, c.cfg.Now().Add(SessionTTL))
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: id, Path: Prefix, MaxAge: int(SessionTTL / time.Second),
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil,
	})
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (c *Console) handleLogout(w http.ResponseWriter, r *http.Request) {
	if id := c.sessionID(r); id != "" {
		c.sessions.remove(id)
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: Prefix, MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, Prefix+"/login", http.StatusSeeOther)
}

// safeBack returns path if it is a page of the console, and "" otherwise, so that a redirect target
// taken from a form or a query can never lead off koomock.
func safeBack(path string) string {
	if !strings.HasPrefix(path, Prefix+"/") || strings.ContainsAny(path, "\\\r\n") {
		return ""
	}
	if u, err := url.Parse(path); err != nil || u.Host != "" || u.Scheme != "" {
		return ""
	}
	return path
}
