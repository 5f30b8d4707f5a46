package licenseclient_test

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/examples/licenseclient"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/localca"
	"github.com/koomock/koomock/mock"
	"github.com/koomock/koomock/mock/mocktest"
)

// The client checks a code against koomock's HTTPS once told to trust koomock's CA (KOOMOCK_CA_FILE),
// and refuses koomock's certificate without it: it fails closed, as on a network it cannot trust.
func TestTheClientTrustsKoomocksCAWhenGivenIt(t *testing.T) {
	ca, err := localca.Load(filepath.Join(t.TempDir(), "tls"), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	cert, _, err := ca.ServerCertificate(localca.DefaultNames, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	srv := mocktest.New(t, mocktest.Options{NoSeller: true, RealClock: true, Config: func(c *mock.Config) {
		c.Logger = slog.New(slog.DiscardHandler)
		c.TLS = mock.TLSConfig{Addr: "127.0.0.1:0", Certificate: cert, CA: ca.CertPEM()}
	}}).Server
	codes, err := (&controlapi.Client{BaseURL: srv.URL()}).TestCodes(context.Background(), controlapi.TestCodesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(srv.TLSURL(), "https://"))
	env := map[string]string{
		"KOOMOCK_URL": "https://localhost:" + port, "KOOMOCK_AK": fixtures.DemoAK, "KOOMOCK_SK": fixtures.DemoSK,
		"KOOMOCK_LICENSE_CODE": codes.Codes[0].Code, "KOOMOCK_STATE_DIR": t.TempDir(),
	}
	run := func() (int, string) {
		var out bytes.Buffer
		exit := licenseclient.Main(context.Background(), nil, func(k string) string { return env[k] }, &out, &out)
		return exit, out.String()
	}

	if exit, out := run(); exit != licenseclient.ExitBlocked || !strings.Contains(out, "certificate") {
		t.Errorf("without the CA: exit %d, %s; want blocked on the certificate", exit, out)
	}
	env["KOOMOCK_CA_FILE"] = ca.Path()
	if exit, out := run(); exit != licenseclient.ExitRunning || !strings.Contains(out, licenseclient.MarkerOK) {
		t.Errorf("with the CA: exit %d, %s", exit, out)
	}
	empty := filepath.Join(t.TempDir(), "empty.pem")
	os.WriteFile(empty, nil, 0o644)
	env["KOOMOCK_CA_FILE"] = empty
	if exit, out := run(); exit != licenseclient.ExitUsage {
		t.Errorf("a CA file without a certificate: exit %d, %s", exit, out)
	}
}
