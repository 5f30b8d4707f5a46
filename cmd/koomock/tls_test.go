package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/localca"
	"github.com/koomock/koomock/protocol"
)

// startHTTPS runs koomock serve with HTTPS and returns its HTTPS URL and a stop.
func startHTTPS(t *testing.T, args ...string) (string, *syncBuffer, func() int) {
	t.Helper()
	_, out, stop := startServe(t, append([]string{"--db", ":memory:", "--tls-addr", "127.0.0.1:0"}, args...)...)
	m := regexp.MustCompile(`HTTPS +(https://\S+)`).FindStringSubmatch(out.String())
	if m == nil {
		stop()
		t.Fatalf("the banner shows no HTTPS URL:\n%s", out)
	}
	return m[1], out, stop
}

// asKooGallery sends a signed license heartbeat to https://mkt.myhuaweicloud.com, which the client's
// dialer sends to koomock's HTTPS listener as a hosts-file entry would, trusting only roots. It returns
// the certificate koomock presented.
func asKooGallery(httpsURL string, roots *x509.CertPool) (*x509.Certificate, error) {
	listener := strings.TrimPrefix(httpsURL, "https://")
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: roots},
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if addr == "mkt.myhuaweicloud.com:443" {
				addr = listener
			}
			return dialer.DialContext(ctx, network, addr)
		},
	}}
	body, _ := json.Marshal(protocol.HeartbeatRequest{License: "PLKOOMOCKDEMO0001"})
	req, _ := http.NewRequest(http.MethodPost, "https://mkt.myhuaweicloud.com"+protocol.PathLicenseHeartbeatV1, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	protocol.SignAPIGRequest(req, body, fixtures.DemoAK, fixtures.DemoSK, time.Now())
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var env protocol.LicenseEnvelope
	// The demo code is not activated: KooGallery's business answer to a signature it accepted.
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil || resp.StatusCode != http.StatusOK || env.ErrorCode == "" {
		return nil, errors.New("heartbeat: " + resp.Status + " " + string(env.ErrorCode) + " " + env.ErrorMsg)
	}
	return resp.TLS.PeerCertificates[0], nil
}

// A developer trusts `koomock ca` once: koomock's HTTPS then verifies under KooGallery's name, across
// restarts (the same CA and certificate) and when a name is added (a new certificate, the same CA).
func TestServeHTTPSUnderTheCAFromKoomockCA(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "tls")
	code, caPEM, errOut := cli(t, nil, "ca", "--tls-dir", dir)
	if code != exitOK || !strings.HasPrefix(caPEM, "-----BEGIN CERTIFICATE-----") || strings.Contains(caPEM, "PRIVATE") {
		t.Fatalf("koomock ca: exit %d, %q, %s", code, caPEM, errOut)
	}
	roots, err := localca.CertPool([]byte(caPEM))
	if err != nil {
		t.Fatal(err)
	}

	httpsURL, out, stop := startHTTPS(t, "--tls-dir", dir)
	if !strings.Contains(out.String(), filepath.Join(dir, "ca.pem")) || !strings.Contains(out.String(), "mkt.myhuaweicloud.com") {
		t.Errorf("the banner does not say where the CA is or how to map KooGallery's name:\n%s", out)
	}
	if !strings.Contains(out.String(), "OAuth/CAS domain "+httpsURL) || strings.Contains(out.String(), "HTTP only") {
		t.Errorf("with HTTPS on, the banner does not give the tenants' domain as %s:\n%s", httpsURL, out)
	}
	first, err := asKooGallery(httpsURL, roots)
	if err != nil {
		t.Fatalf("with koomock's CA: %v", err)
	}
	var unknown x509.UnknownAuthorityError
	if _, err := asKooGallery(httpsURL, x509.NewCertPool()); !errors.As(err, &unknown) {
		t.Errorf("without koomock's CA: %v, want an unknown authority", err)
	}
	// The control API serves the same CA.
	resp, err := http.Get(regexp.MustCompile(`listening on +(http://\S+)`).FindStringSubmatch(out.String())[1] + "/_mock/ca.pem")
	if err != nil {
		t.Fatal(err)
	}
	served, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(served) != caPEM {
		t.Errorf("/_mock/ca.pem differs from koomock ca:\n%s", served)
	}
	if code := stop(); code != exitOK {
		t.Fatalf("serve exited with %d", code)
	}

	// A restart keeps both.
	httpsURL, _, stop = startHTTPS(t, "--tls-dir", dir)
	again, err := asKooGallery(httpsURL, roots)
	stop()
	if err != nil || again.SerialNumber.Cmp(first.SerialNumber) != 0 {
		t.Errorf("after a restart: %v; serial %v, was %v", err, again.SerialNumber, first.SerialNumber)
	}
	// A new name: a new certificate under the same CA.
	httpsURL, _, stop = startHTTPS(t, "--tls-dir", dir, "--tls-host", "koomock.internal")
	defer stop()
	renamed, err := asKooGallery(httpsURL, roots)
	if err != nil || renamed.SerialNumber.Cmp(first.SerialNumber) == 0 || !slices.Contains(renamed.DNSNames, "koomock.internal") {
		t.Errorf("with --tls-host: %v; serial %v (was %v), names %v", err, renamed.SerialNumber, first.SerialNumber, renamed.DNSNames)
	}
	if code, again, _ := cli(t, nil, "ca", "--tls-dir", dir); code != exitOK || again != caPEM {
		t.Error("the CA changed")
	}
}

// Without --tls-dir the CA lives in the data directory beside the default database; with
// --db :memory: it lives in memory, and the banner says how to fetch it.
func TestTheCADirectory(t *testing.T) {
	data := t.TempDir()
	vars := map[string]string{"XDG_DATA_HOME": data}
	out := filepath.Join(t.TempDir(), "ca.pem")
	if code, stdout, errOut := cli(t, vars, "ca", "--out", out); code != exitOK || !strings.Contains(stdout, "SHA-256") {
		t.Fatalf("koomock ca --out: exit %d, %s %s", code, stdout, errOut)
	}
	kept, err := os.ReadFile(filepath.Join(data, "koomock", "tls", "ca.pem"))
	written, _ := os.ReadFile(out)
	if err != nil || !bytes.Equal(kept, written) {
		t.Errorf("the CA is not kept in the data directory: %v", err)
	}
	if fi, err := os.Stat(filepath.Join(data, "koomock", "tls", "ca-key.pem")); err == nil && fi.Mode().Perm() != 0o600 {
		t.Errorf("the CA key is %o", fi.Mode().Perm())
	}

	_, banner, stop := startHTTPS(t)
	defer stop()
	if !strings.Contains(banner.String(), "in memory") || !strings.Contains(banner.String(), "/_mock/ca.pem") {
		t.Errorf("the banner of an in-memory CA:\n%s", banner)
	}
	if strings.Contains(banner.String(), "PRIVATE") {
		t.Error("key material in the banner")
	}
}

func TestHTTPSUsageErrors(t *testing.T) {
	if code, _, errOut := cli(t, nil, "ca"); code != exitUsage || !strings.Contains(errOut, "--tls-dir") {
		t.Errorf("koomock ca without a data directory: exit %d, %s", code, errOut)
	}
}
