package mock

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/localca"
)

// TLSConfig is koomock's optional HTTPS listener: the same handler as the HTTP one, for software that
// hard-codes https://mkt.myhuaweicloud.com and is pointed at koomock by a hosts-file entry.
type TLSConfig struct {
	// Addr is the HTTPS listen address; empty serves HTTP only.
	Addr string
	// Certificate is the server certificate (with its chain) and key, e.g. from localca.
	Certificate tls.Certificate
	// CA is the PEM certificate of the CA that issued Certificate: what clients trust. The control API
	// serves it at GET /_mock/ca.pem.
	CA []byte
}

// normalize checks the HTTPS settings. Like the HTTP listener, one beyond loopback needs an admin
// token: the guard is the same whichever listener a request arrives on.
func (t TLSConfig) normalize(adminToken string) error {
	if t.Addr == "" {
		return nil
	}
	if len(t.Certificate.Certificate) == 0 || t.Certificate.PrivateKey == nil {
		return errors.New("the HTTPS listener needs a server certificate")
	}
	if len(t.CA) == 0 {
		return errors.New("the HTTPS listener needs the CA certificate its clients trust")
	}
	if adminToken == "" && !isLoopback(t.Addr) {
		return fmt.Errorf("koomock would listen for HTTPS on %s: %w", t.Addr, ErrAdminTokenRequired)
	}
	return nil
}

// listenTLS binds the HTTPS listener, if one is configured.
func (s *Server) listenTLS() (net.Listener, error) {
	if s.cfg.TLS.Addr == "" {
		return nil, nil
	}
	ln, err := net.Listen("tcp", s.cfg.TLS.Addr)
	if err != nil {
		return nil, fmt.Errorf("listen for HTTPS on %s: %w", s.cfg.TLS.Addr, err)
	}
	// The cap goes under TLS: net/http negotiates HTTP/2 only on a connection it sees as a *tls.Conn.
	return tls.NewListener(s.cfg.Limits.limit(ln), s.tlsConfig()), nil
}

// tlsConfig is the listener's TLS settings (TLS 1.2 and later), offering HTTP/2 as net/http's own
// ServeTLS would.
func (s *Server) tlsConfig() *tls.Config {
	cfg := localca.ServerConfig(s.cfg.TLS.Certificate)
	cfg.NextProtos = []string{"h2", "http/1.1"}
	return cfg
}

// TLSURL returns the HTTPS base URL (https://host:port), or "" when koomock serves no HTTPS or is not
// open. Like URL, every interface is named by loopback.
func (s *Server) TLSURL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tlsLn == nil {
		return ""
	}
	addr, ok := s.tlsLn.Addr().(*net.TCPAddr)
	if ok && addr.IP.IsUnspecified() {
		return "https://" + net.JoinHostPort("127.0.0.1", strconv.Itoa(addr.Port))
	}
	return "https://" + s.tlsLn.Addr().String()
}

// DomainURL returns the base of the tenants' identity-provider domains, which tenantSync delivers as
// domainName. KooGallery's domains are https:// URLs (saas-v2 §5, license-login §2: the domain
// includes the scheme), so once the HTTPS listener is on they are https: the public URL when it is
// https already, else the public URL's host on the HTTPS listener's port (the HTTPS URL when no public
// URL is set). With only HTTP, it is the public URL, and the banner says the scheme differs.
func (s *Server) DomainURL() string {
	public, secure := s.PublicURL(), s.TLSURL()
	if secure == "" || strings.HasPrefix(public, "https://") {
		return public
	}
	if s.cfg.PublicURL == "" {
		return secure
	}
	u, err := url.Parse(public)
	if err != nil {
		return secure // normalize checked the public URL; this is only a fallback
	}
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(secure, "https://"))
	u.Scheme, u.Host = "https", net.JoinHostPort(u.Hostname(), port)
	return strings.TrimSuffix(u.String(), "/")
}

// handleCA serves the CA certificate the HTTPS listener's certificate chains to: public, never a key.
func (s *Server) handleCA(w http.ResponseWriter, r *http.Request) {
	if len(s.cfg.TLS.CA) == 0 {
		controlapi.WriteError(w, nil, controlapi.Errorf(controlapi.CodeNotFound,
			"koomock serves no HTTPS: start it with --tls-addr (KOOMOCK_TLS_ADDR), e.g. 127.0.0.1:8443"))
		return
	}
	w.Header().Set("Content-Type", "application/x-pem-file")
	w.Header().Set("Content-Disposition", `attachment; filename="koomock-ca.pem"`)
	w.Write(s.cfg.TLS.CA)
}

// httpsSettings describes the HTTPS listener for the settings, or nil when koomock serves none.
func (s *Server) httpsSettings() *controlapi.HTTPSSettings {
	url := s.TLSURL()
	if url == "" {
		return nil
	}
	fp, err := localca.FingerprintPEM(s.cfg.TLS.CA)
	if err != nil {
		s.cfg.Logger.Warn("the HTTPS CA certificate does not parse", "err", err)
	}
	return &controlapi.HTTPSSettings{URL: url, CAFingerprint: fp, CACert: string(s.cfg.TLS.CA)}
}
