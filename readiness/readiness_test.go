package readiness_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/readiness"
)

var now = time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)

// testCA is a private certificate authority that issues server certificates for tests.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pool *x509.CertPool
}

func newCA(t *testing.T) *testCA {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "koomock test CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &testCA{cert: cert, key: key, pool: pool}
}

func (ca *testCA) issue(t *testing.T, host string, notAfter time.Time) tls.Certificate {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: host}, DNSNames: []string{host},
		NotBefore: now.Add(-48 * time.Hour), NotAfter: notAfter, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// serve starts an HTTPS server with cert and the given TLS versions; it returns its port.
func serve(t *testing.T, cert tls.Certificate, minV, maxV uint16) string {
	t.Helper()
	srv := httptest.NewUnstartedServer(http.NotFoundHandler())
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: minV, MaxVersion: maxV}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	return port
}

func find(fs []readiness.Finding, rule koomock.Rule) readiness.Finding {
	for _, f := range fs {
		if f.Rule == rule {
			return f
		}
	}
	return readiness.Finding{}
}

func TestCertificateProblemsAreNamed(t *testing.T) {
	ca := newCA(t)
	// localhost.test is not resolvable, so the URLs dial 127.0.0.1 while naming the host the
	// certificate is checked against.
	tests := []struct {
		name       string
		cert       tls.Certificate
		host       string
		roots      *x509.CertPool
		minV, maxV uint16
		rule       koomock.Rule
		want       string
	}{
		{"trusted", ca.issue(t, "localhost", now.Add(time.Hour)), "localhost", ca.pool, tls.VersionTLS12, 0, readiness.RuleCert, "trusted certificate for localhost"},
		{"expired", ca.issue(t, "localhost", now.Add(-time.Hour)), "localhost", ca.pool, tls.VersionTLS12, 0, readiness.RuleCert, "expired on 2026-11-27"},
		{"wrong host", ca.issue(t, "seller.example.com", now.Add(time.Hour)), "localhost", ca.pool, tls.VersionTLS12, 0, readiness.RuleCert, "wrong host: the certificate is for seller.example.com, not localhost"},
		{"unknown authority", ca.issue(t, "localhost", now.Add(time.Hour)), "localhost", nil, tls.VersionTLS12, 0, readiness.RuleCert, `unknown authority ("koomock test CA")`},
		{"TLS 1.1", ca.issue(t, "localhost", now.Add(time.Hour)), "localhost", ca.pool, tls.VersionTLS10, tls.VersionTLS11, readiness.RuleTLS, "negotiated TLS 1.1; KooGallery needs TLS 1.2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			port := serve(t, tt.cert, tt.minV, tt.maxV)
			fs := readiness.Check(context.Background(), "https://"+tt.host+":"+port+"/produce", readiness.Config{RootCAs: tt.roots, Now: func() time.Time { return now }})
			f := find(fs, tt.rule)
			if !strings.Contains(f.Message, tt.want) {
				t.Errorf("%s finding = %+v, want %q\nall: %+v", tt.rule, f, tt.want, fs)
			}
			wantOutcome := koomock.Fail
			if tt.name == "trusted" {
				wantOutcome = koomock.Pass
			}
			if f.Outcome != wantOutcome {
				t.Errorf("%s outcome = %s, want %s", tt.rule, f.Outcome, wantOutcome)
			}
		})
	}
}

func TestURLRules(t *testing.T) {
	tests := []struct {
		url  string
		rule koomock.Rule
		want koomock.Outcome
		msg  string
	}{
		{"http://127.0.0.1:8080/produce", readiness.RuleHTTPS, koomock.Fail, "HTTPS only"},
		{"http://127.0.0.1:8080/produce", readiness.RulePort, koomock.Fail, "port 8080"},
		{"http://127.0.0.1:8080/produce", readiness.RuleDomain, koomock.Fail, "IP address"},
		{"http://[::1]/produce", readiness.RuleDomain, koomock.Fail, "IP address"},
		{"http://seller:8080/produce", readiness.RuleDomain, koomock.Fail, "not a public domain"},
		{"http://seller.example.com/produce", readiness.RulePort, koomock.Fail, "port 80"},
		{"http://seller.example.com:443/produce", readiness.RulePort, koomock.Pass, "443"},
	}
	for _, tt := range tests {
		f := find(readiness.Check(context.Background(), tt.url, readiness.Config{}), tt.rule)
		if f.Outcome != tt.want || !strings.Contains(f.Message, tt.msg) {
			t.Errorf("%s %s: %+v, want %s mentioning %q", tt.url, tt.rule, f, tt.want, tt.msg)
		}
	}
}

func TestSlowest(t *testing.T) {
	budget := 5 * time.Second
	for _, tt := range []struct {
		took time.Duration
		want koomock.Outcome
	}{{time.Second, koomock.Pass}, {4500 * time.Millisecond, koomock.Warn}, {budget, koomock.Fail}} {
		if f := readiness.Slowest(tt.took, "newInstance", budget); f.Outcome != tt.want {
			t.Errorf("%s: %+v, want %s", tt.took, f, tt.want)
		}
	}
}
