package localca_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/koomock/koomock/localca"
)

var t0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

func at(t time.Time) func() time.Time { return func() time.Time { return t } }

func TestTheCAIsMadeOnceAndKept(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "tls")
	ca, err := localca.Load(dir, at(t0))
	if err != nil {
		t.Fatal(err)
	}
	if ca.Path() != filepath.Join(dir, localca.CertFile) {
		t.Errorf("path %q", ca.Path())
	}
	again, err := localca.Load(dir, at(t0.Add(24*time.Hour)))
	if err != nil {
		t.Fatal(err)
	}
	if again.Fingerprint() != ca.Fingerprint() {
		t.Error("a second Load made a new CA")
	}
	cert := parse(t, ca.CertPEM())
	if !cert.IsCA || !cert.NotAfter.Equal(t0.Add(localca.CAValidity)) {
		t.Errorf("CA %v valid until %v", cert.IsCA, cert.NotAfter)
	}
	if k, ok := cert.PublicKey.(*ecdsa.PublicKey); !ok || k.Curve != elliptic.P256() {
		t.Errorf("CA key %T, want ECDSA P-256", cert.PublicKey)
	}
	if strings.Contains(string(ca.CertPEM()), "PRIVATE") {
		t.Error("the CA certificate holds a key")
	}
	if runtime.GOOS != "windows" {
		for name, want := range map[string]os.FileMode{".": 0o700, "ca-key.pem": 0o600, "ca.pem": 0o644} {
			fi, err := os.Stat(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			if got := fi.Mode().Perm(); got != want {
				t.Errorf("%s is %o, want %o", name, got, want)
			}
		}
	}
}

func TestServerCertificatesAreReusedUntilNamesChangeOrTheyNearTheirEnd(t *testing.T) {
	dir := t.TempDir()
	ca, err := localca.Load(dir, at(t0))
	if err != nil {
		t.Fatal(err)
	}
	names := append(slices.Clone(localca.DefaultNames), "koomock.test")
	first, issued, err := ca.ServerCertificate(names, at(t0))
	if err != nil || !issued {
		t.Fatalf("issued %v, %v", issued, err)
	}
	leaf := first.Leaf
	if !slices.Contains(leaf.DNSNames, "mkt.myhuaweicloud.com") || len(leaf.IPAddresses) != 2 || leaf.NotAfter.Sub(t0) != localca.ServerValidity {
		t.Errorf("leaf names %v %v, until %v", leaf.DNSNames, leaf.IPAddresses, leaf.NotAfter)
	}
	if err := leaf.CheckSignatureFrom(parse(t, ca.CertPEM())); err != nil {
		t.Error(err)
	}
	if fi, err := os.Stat(filepath.Join(dir, "server-key.pem")); err == nil && runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("server key is %o", fi.Mode().Perm())
	}

	// The same names, in another order, a month later: the kept one.
	slices.Reverse(names)
	same, issued, err := ca.ServerCertificate(names, at(t0.Add(30*24*time.Hour)))
	if err != nil || issued || same.Leaf.SerialNumber.Cmp(leaf.SerialNumber) != 0 {
		t.Errorf("same names: issued %v, %v", issued, err)
	}
	// One name more: a new one, under the same CA, with another serial number.
	more, issued, err := ca.ServerCertificate(append(names, "other.test"), at(t0))
	if err != nil || !issued || more.Leaf.SerialNumber.Cmp(leaf.SerialNumber) == 0 {
		t.Errorf("a new name: issued %v, %v", issued, err)
	}
	// Near its end: renewed.
	later := more.Leaf.NotAfter.Add(-localca.RenewBefore + time.Hour)
	if _, issued, _ := ca.ServerCertificate(append(names, "other.test"), at(later)); !issued {
		t.Error("a certificate in its last month was reused")
	}
}

func TestAnInMemoryCAWritesNothing(t *testing.T) {
	ca, err := localca.Load("", at(t0))
	if err != nil {
		t.Fatal(err)
	}
	if ca.Path() != "" {
		t.Errorf("path %q", ca.Path())
	}
	if _, issued, err := ca.ServerCertificate([]string{"localhost"}, at(t0)); err != nil || !issued {
		t.Fatal(issued, err)
	}
	other, _ := localca.Load("", at(t0))
	if other.Fingerprint() == ca.Fingerprint() {
		t.Error("two in-memory CAs are the same")
	}
}

func parse(t *testing.T, pemData []byte) *x509.Certificate {
	t.Helper()
	block, _ := pem.Decode(pemData)
	if block == nil {
		t.Fatal("no PEM block")
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

func TestFingerprintPEMNamesTheCA(t *testing.T) {
	ca, err := localca.Load("", time.Now)
	if err != nil {
		t.Fatal(err)
	}
	if fp, err := localca.FingerprintPEM(ca.CertPEM()); err != nil || fp != ca.Fingerprint() || len(fp) != 64 {
		t.Errorf("FingerprintPEM = %q, %v; want %q", fp, err, ca.Fingerprint())
	}
	if _, err := localca.FingerprintPEM([]byte("not a certificate")); err == nil {
		t.Error("FingerprintPEM accepted garbage")
	}
}
