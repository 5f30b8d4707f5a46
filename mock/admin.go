package mock

import (
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/koomock/koomock/controlapi"
)

// ErrAdminTokenRequired is returned by New when koomock would listen beyond loopback without an admin
// token: the control API can make koomock send requests to any URL and reads every secret, so it is
// never open to the network.
var ErrAdminTokenRequired = errors.New("listening beyond loopback needs an admin token")

// isLoopback reports whether a listen address or Host header (port optional) names only this
// machine. An empty host (":8080") listens on every interface.
func isLoopback(hostport string) bool {
	host := hostname(hostport)
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// hostname drops the port and IPv6 brackets from a host[:port].
func hostname(hostport string) string {
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		return h
	}
	return strings.Trim(hostport, "[]")
}

// guardAdmin protects the administrative surfaces, the control API and the console, and nothing
// else: the APIs KooGallery offers sellers must answer whatever the admin settings.
//   - Cross-origin browser requests that change state are refused (net/http's CrossOriginProtection,
//     from Sec-Fetch-Site and Origin), so no web page a developer visits can drive their koomock.
//     Programs (curl, the runner, the testcontainers module) send neither header and pass.
//   - Without an admin token koomock listens on loopback only, and then also refuses Host names other
//     than loopback ones and the public URL's: a DNS-rebinding page cannot reach it either.
func (s *Server) guardAdmin(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		controlapi.WriteError(w, nil, &controlapi.Error{Code: controlapi.CodeForbidden,
			Message: "cross-origin requests from a browser may not change koomock's state"})
	}))
	publicHost := ""
	if u, err := url.Parse(s.cfg.PublicURL); err == nil {
		publicHost = u.Hostname()
	}
	guarded := cop.Handler(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.cfg.AdminToken == "" && !isLoopback(r.Host) && (publicHost == "" || !strings.EqualFold(hostname(r.Host), publicHost)) {
			controlapi.WriteError(w, nil, controlapi.Errorf(controlapi.CodeForbidden,
				"koomock's control API and console answer only to localhost unless an admin token is set"))
			return
		}
		guarded.ServeHTTP(w, r)
	})
}

// requireToken admits control-API requests carrying "Authorization: Bearer <admin token>", when a
// token is set.
func (s *Server) requireToken(next http.Handler) http.Handler {
	if s.cfg.AdminToken == "" {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if token, ok := controlapi.BearerToken(r); !ok || !controlapi.TokenEqual(token, s.cfg.AdminToken) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="koomock"`)
			controlapi.WriteError(w, nil, controlapi.Errorf(controlapi.CodeUnauthorized,
				"the control API needs the admin token: send Authorization: Bearer <token>"))
			return
		}
		next.ServeHTTP(w, r)
	})
}
