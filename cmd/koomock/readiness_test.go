package main

import (
	"encoding/pem"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/koomock/koomock/examples/seller"
	"github.com/koomock/koomock/fixtures"
)

// TestReadinessOfAnHTTPSSeller: --seller-ca lets koomock call a seller with a private CA; the
// readiness section warns about what production would refuse, and --production fails the run on it.
func TestReadinessOfAnHTTPSSeller(t *testing.T) {
	srv := httptest.NewTLSServer(seller.New(seller.Config{AccessKey: fixtures.DemoAccessKey}))
	t.Cleanup(srv.Close)
	url := srv.URL + seller.ProducePath
	ca := writeFile(t, t.TempDir(), "ca.pem", string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})))

	code, out, errOut := cli(t, nil, "verify", "--seller-url", url)
	if code != exitUsage || !strings.Contains(errOut, "signed by an unknown authority") || !strings.Contains(errOut, "--seller-ca") {
		t.Errorf("HTTPS seller with a private CA, no --seller-ca: exit %d, stderr %q", code, errOut)
	}

	code, out, errOut = cli(t, nil, "verify", "--seller-url", url, "--seller-ca", ca)
	if code != exitOK {
		t.Fatalf("with --seller-ca: exit %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{
		"Production readiness of " + url + " (warnings only; --production makes them failures)",
		"ok   readiness.https: HTTPS",
		"warn readiness.port: port ",
		"warn readiness.domain: 127.0.0.1 is an IP address",
		"ok   readiness.tlsVersion: TLS 1.3",
		"ok   readiness.certificate: trusted certificate for 127.0.0.1",
		"ok   readiness.deadline: the slowest answer (",
		"slow: exchange #",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("readiness section lacks %q:\n%s", want, out)
		}
	}

	code, out, _ = cli(t, nil, "verify", "--seller-url", url, "--seller-ca", ca, "--production")
	if code != exitRule || !strings.Contains(out, "The seller broke: readiness.port, readiness.domain") {
		t.Errorf("--production: exit %d\n%s", code, out)
	}
	if code, _, errOut := cli(t, nil, "verify", "--seller-url", url, "--seller-ca", filepath.Join(t.TempDir(), "none.pem")); code != exitUsage || !strings.Contains(errOut, "--seller-ca") {
		t.Errorf("missing CA file: exit %d, %q", code, errOut)
	}
}
