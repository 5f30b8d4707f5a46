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
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/i18n"
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
	// Message is the finding in English; Key and Args are its catalog message, which a reader
	// renders in its language (Verdict, then i18n's Printer.Why).
	Message string   `json:"message"`
	Key     string   `json:"key,omitempty"`
	Args    []string `json:"args,omitempty"`
}

// finding is a Finding whose message is the catalog's key with its arguments.
func finding(rule koomock.Rule, o koomock.Outcome, key string, args ...any) Finding {
	v := i18n.Verdict(rule, o, key, args...)
	return Finding{Rule: rule, Outcome: o, Message: v.Message, Key: v.Key, Args: v.Args}
}

// Verdict is the finding as a verdict, for the readers that render verdicts in their language.
func (f Finding) Verdict() koomock.Verdict {
	return koomock.Verdict{Rule: f.Rule, Outcome: f.Outcome, Message: f.Message, Key: f.Key, Args: f.Args}
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
		return []Finding{finding(RuleHTTPS, koomock.Fail, "finding.notAbsolute", raw)}
	}
	var out []Finding
	add := func(rule koomock.Rule, o koomock.Outcome, key string, args ...any) {
		out = append(out, finding(rule, o, key, args...))
	}
	if u.Scheme == "https" {
		add(RuleHTTPS, koomock.Pass, "finding.https")
	} else {
		add(RuleHTTPS, koomock.Fail, "finding.notHTTPS", u.Scheme)
	}
	switch port := u.Port(); {
	case port == "" && u.Scheme == "https", port == "443":
		add(RulePort, koomock.Pass, "finding.port443")
	case port == "":
		add(RulePort, koomock.Fail, "finding.port80")
	default:
		add(RulePort, koomock.Fail, "finding.port", port)
	}
	host := u.Hostname()
	switch {
	case net.ParseIP(host) != nil:
		add(RuleDomain, koomock.Fail, "finding.ipAddress", host)
	case !strings.Contains(host, "."):
		add(RuleDomain, koomock.Fail, "finding.notPublic", host)
	default:
		add(RuleDomain, koomock.Pass, "finding.domain", host)
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
			return []Finding{finding(RuleTLS, koomock.Fail, "finding.noTLSVersion")}
		}
		return []Finding{finding(RuleTLS, koomock.Fail, "finding.noTLS", addr, err)}
	}
	defer conn.Close()
	state := conn.(*tls.Conn).ConnectionState()
	var out []Finding
	if state.Version < tls.VersionTLS12 {
		out = append(out, finding(RuleTLS, koomock.Fail, "finding.oldTLS", tls.VersionName(state.Version)))
	} else {
		out = append(out, finding(RuleTLS, koomock.Pass, "finding.tls", tls.VersionName(state.Version)))
	}
	return append(out, verifyChain(state.PeerCertificates, host, cfg.RootCAs, now()))
}

// verifyChain judges the seller's certificate chain as KooGallery's client would, naming the problem.
func verifyChain(certs []*x509.Certificate, host string, roots *x509.CertPool, now time.Time) Finding {
	if len(certs) == 0 {
		return finding(RuleCert, koomock.Fail, "finding.noCert")
	}
	leaf := certs[0]
	inter := x509.NewCertPool()
	for _, c := range certs[1:] {
		inter.AddCert(c)
	}
	_, err := leaf.Verify(x509.VerifyOptions{DNSName: host, Roots: roots, Intermediates: inter, CurrentTime: now})
	if err == nil {
		return finding(RuleCert, koomock.Pass, "finding.trusted", host, leaf.NotAfter.UTC().Format(time.DateOnly))
	}
	var invalid x509.CertificateInvalidError
	var hostErr x509.HostnameError
	var unknown x509.UnknownAuthorityError
	switch {
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired && now.After(leaf.NotAfter):
		return finding(RuleCert, koomock.Fail, "finding.expired", leaf.NotAfter.UTC().Format(time.DateOnly))
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		return finding(RuleCert, koomock.Fail, "finding.notYetValid", leaf.NotBefore.UTC().Format(time.DateOnly))
	case errors.As(err, &hostErr):
		names := leaf.DNSNames
		if len(names) == 0 {
			names = []string{leaf.Subject.CommonName}
		}
		return finding(RuleCert, koomock.Fail, "finding.wrongHost", strings.Join(names, ", "), host)
	case errors.As(err, &unknown):
		return finding(RuleCert, koomock.Fail, "finding.unknownAuthority", leaf.Issuer.CommonName)
	}
	return finding(RuleCert, koomock.Fail, "finding.notVerified", err)
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
		return finding(RuleDeadline, koomock.Fail, "finding.tooSlow", activity, round(slowest), budget)
	case slowest >= budget*8/10:
		return finding(RuleDeadline, koomock.Warn, "finding.nearlySlow", activity, round(slowest), budget)
	}
	return finding(RuleDeadline, koomock.Pass, "finding.inTime", activity, round(slowest), budget)
}

// NoSellerURL is the finding when there is no seller URL to check: a warning.
func NoSellerURL() Finding {
	return finding(RuleHTTPS, koomock.Warn, "finding.noSellerURL")
}
