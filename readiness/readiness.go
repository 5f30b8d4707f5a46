// Package readiness checks whether a seller's production interface URL is one KooGallery can call:
// HTTPS on port 443, by domain name, TLS 1.2 or later, with a certificate from a trusted authority
// (spec saas-v2 §1). Every problem is named precisely (expired, wrong host, unknown authority, TLS
// version), because "TLS handshake failed" tells a seller nothing.
package readiness

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/koomock/koomock"
)

// The readiness rules, declared with the others in the root package's registry.
const (
	RuleHTTPS    = koomock.RuleReadinessHTTPS
	RulePort     = koomock.RuleReadinessPort
	RuleDomain   = koomock.RuleReadinessDomain
	RuleTLS      = koomock.RuleReadinessTLS
	RuleCert     = koomock.RuleReadinessCert
	RuleDeadline = koomock.RuleReadinessDeadline
)

// Finding is the judgement of the seller URL against one rule.
type Finding struct {
	Rule    koomock.Rule    `json:"rule"`
	Outcome koomock.Outcome `json:"outcome"`
	Message string          `json:"message"`
}

// Config configures Check.
type Config struct {
	// RootCAs are the authorities trusted for the seller's certificate; the system's when nil.
	RootCAs *x509.CertPool
	// Now is the time certificates are checked at; time.Now when nil.
	Now func() time.Time
	// DialTimeout bounds the TLS connection; 5 s when zero.
	DialTimeout time.Duration
}

// Check judges a seller URL against KooGallery's transport rules, connecting to it for the TLS ones.
func Check(ctx context.Context, raw string, cfg Config) []Finding {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return []Finding{{RuleHTTPS, koomock.Fail, fmt.Sprintf("%q is not an absolute URL", raw)}}
	}
	var out []Finding
	add := func(rule koomock.Rule, o koomock.Outcome, format string, args ...any) {
		out = append(out, Finding{rule, o, fmt.Sprintf(format, args...)})
	}
	if u.Scheme == "https" {
		add(RuleHTTPS, koomock.Pass, "HTTPS")
	} else {
		add(RuleHTTPS, koomock.Fail, "%s:// — KooGallery calls production interfaces over HTTPS only", u.Scheme)
	}
	switch port := u.Port(); {
	case port == "" && u.Scheme == "https", port == "443":
		add(RulePort, koomock.Pass, "port 443")
	case port == "":
		add(RulePort, koomock.Fail, "port 80 (the http default) — KooGallery calls port 443 only")
	default:
		add(RulePort, koomock.Fail, "port %s — KooGallery calls port 443 only", port)
	}
	host := u.Hostname()
	switch {
	case net.ParseIP(host) != nil:
		add(RuleDomain, koomock.Fail, "%s is an IP address — KooGallery calls production interfaces by domain name only", host)
	case !strings.Contains(host, "."):
		add(RuleDomain, koomock.Fail, "%s is not a public domain name — KooGallery must be able to resolve it", host)
	default:
		add(RuleDomain, koomock.Pass, "domain name %s", host)
	}
	if u.Scheme == "https" {
		out = append(out, checkTLS(ctx, u, cfg)...)
	}
	return out
}

// checkTLS connects without verifying, so that the certificate can be judged and the problem named,
// then verifies the chain itself.
func checkTLS(ctx context.Context, u *url.URL, cfg Config) []Finding {
	now := time.Now
	if cfg.Now != nil {
		now = cfg.Now
	}
	timeout := cfg.DialTimeout
	if timeout == 0 {
		timeout = 5 * time.Second
	}
	host := u.Hostname()
	addr := u.Host
	if u.Port() == "" {
		addr = net.JoinHostPort(host, "443")
	}
	d := &tls.Dialer{NetDialer: &net.Dialer{Timeout: timeout}, Config: &tls.Config{
		ServerName: host,
		// Verification is done below, by hand, to name the problem; versions below 1.2 are allowed so
		// that a seller stuck on them is told so rather than seeing a handshake failure.
		InsecureSkipVerify: true, //nolint:gosec // verified explicitly in verifyChain
		MinVersion:         tls.VersionTLS10,
	}}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		var alert tls.AlertError
		if errors.As(err, &alert) && alert == 70 { // protocol_version
			return []Finding{{RuleTLS, koomock.Fail, "the seller offers no TLS version koomock speaks; KooGallery needs TLS 1.2 or later"}}
		}
		return []Finding{{RuleTLS, koomock.Fail, fmt.Sprintf("no TLS connection to %s: %v", addr, err)}}
	}
	defer conn.Close()
	state := conn.(*tls.Conn).ConnectionState()
	var out []Finding
	if state.Version < tls.VersionTLS12 {
		out = append(out, Finding{RuleTLS, koomock.Fail, fmt.Sprintf("the seller negotiated %s; KooGallery needs TLS 1.2 or later", tls.VersionName(state.Version))})
	} else {
		out = append(out, Finding{RuleTLS, koomock.Pass, tls.VersionName(state.Version)})
	}
	return append(out, verifyChain(state.PeerCertificates, host, cfg.RootCAs, now()))
}

// verifyChain judges the seller's certificate chain as KooGallery's client would, naming the problem.
func verifyChain(certs []*x509.Certificate, host string, roots *x509.CertPool, now time.Time) Finding {
	if len(certs) == 0 {
		return Finding{RuleCert, koomock.Fail, "the seller presented no certificate"}
	}
	leaf := certs[0]
	inter := x509.NewCertPool()
	for _, c := range certs[1:] {
		inter.AddCert(c)
	}
	_, err := leaf.Verify(x509.VerifyOptions{DNSName: host, Roots: roots, Intermediates: inter, CurrentTime: now})
	if err == nil {
		return Finding{RuleCert, koomock.Pass, fmt.Sprintf("trusted certificate for %s, valid until %s", host, leaf.NotAfter.UTC().Format(time.DateOnly))}
	}
	var invalid x509.CertificateInvalidError
	var hostErr x509.HostnameError
	var unknown x509.UnknownAuthorityError
	switch {
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired && now.After(leaf.NotAfter):
		return Finding{RuleCert, koomock.Fail, fmt.Sprintf("the certificate expired on %s", leaf.NotAfter.UTC().Format(time.DateOnly))}
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		return Finding{RuleCert, koomock.Fail, fmt.Sprintf("the certificate is not valid before %s", leaf.NotBefore.UTC().Format(time.DateOnly))}
	case errors.As(err, &hostErr):
		names := leaf.DNSNames
		if len(names) == 0 {
			names = []string{leaf.Subject.CommonName}
		}
		return Finding{RuleCert, koomock.Fail, fmt.Sprintf("wrong host: the certificate is for %s, not %s", strings.Join(names, ", "), host)}
	case errors.As(err, &unknown):
		return Finding{RuleCert, koomock.Fail, fmt.Sprintf("signed by an unknown authority (%q): KooGallery trusts public certificate authorities; for a private CA in tests pass --seller-ca FILE", leaf.Issuer.CommonName)}
	}
	return Finding{RuleCert, koomock.Fail, "the certificate does not verify: " + err.Error()}
}

// round shows a duration the way people read it: 1.234s, 12.3ms, 340µs.
func round(d time.Duration) time.Duration {
	switch {
	case d >= time.Second:
		return d.Round(time.Millisecond)
	case d >= time.Millisecond:
		return d.Round(100 * time.Microsecond)
	}
	return d.Round(time.Microsecond)
}

// Slowest judges the slowest answers against KooGallery's budget: a failure at or over it, a warning
// from 80 % of it.
func Slowest(slowest time.Duration, activity string, budget time.Duration) Finding {
	switch {
	case slowest >= budget:
		return Finding{RuleDeadline, koomock.Fail, fmt.Sprintf("the slowest answer (%s) took %s; KooGallery gives up after %s", activity, round(slowest), budget)}
	case slowest >= budget*8/10:
		return Finding{RuleDeadline, koomock.Warn, fmt.Sprintf("the slowest answer (%s) took %s, close to KooGallery's %s", activity, round(slowest), budget)}
	}
	return Finding{RuleDeadline, koomock.Pass, fmt.Sprintf("the slowest answer (%s) took %s of KooGallery's %s", activity, round(slowest), budget)}
}
