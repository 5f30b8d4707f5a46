package mock_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/localca"
	"github.com/koomock/koomock/mock"
	"github.com/koomock/koomock/mock/mocktest"
	"github.com/koomock/koomock/protocol"
)

// newTLSServer starts koomock with an HTTPS listener whose certificate an in-memory CA issued for
// the default names.
func newTLSServer(t *testing.T, mutate func(*mock.Config)) *mock.Server {
	t.Helper()
	ca, err := localca.Load("", time.Now)
	if err != nil {
		t.Fatal(err)
	}
	cert, _, err := ca.ServerCertificate(localca.DefaultNames, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	m := mocktest.New(t, mocktest.Options{NoSeller: true, RealClock: true, Config: func(c *mock.Config) {
		c.Logger = slog.New(slog.DiscardHandler)
		c.TLS = mock.TLSConfig{Addr: "127.0.0.1:0", Certificate: cert, CA: ca.CertPEM()}
		if mutate != nil {
			mutate(c)
		}
	}})
	return m.Server
}

// kooGalleryClient is software with https://mkt.myhuaweicloud.com hard-coded, after a hosts-file
// entry sends that name to koomock's HTTPS listener: it trusts roots only.
func kooGalleryClient(srv *mock.Server, roots *x509.CertPool) *http.Client {
	listener := strings.TrimPrefix(srv.TLSURL(), "https://")
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: roots},
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if addr == "mkt.myhuaweicloud.com:443" {
				addr = listener
			}
			return dialer.DialContext(ctx, network, addr)
		},
	}}
}

// heartbeat sends a signed License 2.0 heartbeat for code to base.
func heartbeat(client *http.Client, base, code string) (protocol.LicenseEnvelope, error) {
	body, _ := json.Marshal(protocol.HeartbeatRequest{License: code})
	r, err := http.NewRequest(http.MethodPost, base+protocol.PathLicenseHeartbeatV1, bytes.NewReader(body))
	if err != nil {
		return protocol.LicenseEnvelope{}, err
	}
	r.Header.Set("Content-Type", "application/json")
	protocol.SignAPIGRequest(r, body, fixtures.DemoAK, fixtures.DemoSK, time.Now())
	resp, err := client.Do(r)
	if err != nil {
		return protocol.LicenseEnvelope{}, err
	}
	defer resp.Body.Close()
	var env protocol.LicenseEnvelope
	if resp.StatusCode != http.StatusOK {
		raw, _ := io.ReadAll(resp.Body)
		return env, errors.New(resp.Status + " " + string(raw))
	}
	return env, json.NewDecoder(resp.Body).Decode(&env)
}

// caPEM fetches the CA certificate from the control API.
func caPEM(t *testing.T, url, token string) []byte {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url+"/_mock/ca.pem", nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /_mock/ca.pem: %s %s", resp.Status, data)
	}
	return data
}

// Software calling https://mkt.myhuaweicloud.com reaches koomock's license gateway once it trusts the
// CA from GET /_mock/ca.pem, and only then.
func TestTheLicenseGatewayAnswersOverHTTPSUnderKooGallerysName(t *testing.T) {
	srv := newTLSServer(t, nil)
	api := &controlapi.Client{BaseURL: srv.URL()}
	codes, err := api.TestCodes(context.Background(), controlapi.TestCodesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	pemData := caPEM(t, srv.URL(), "")
	if strings.Contains(string(pemData), "PRIVATE KEY") || !strings.Contains(string(pemData), "BEGIN CERTIFICATE") {
		t.Fatalf("/_mock/ca.pem served %q", pemData)
	}
	roots, err := localca.CertPool(pemData)
	if err != nil {
		t.Fatal(err)
	}
	env, err := heartbeat(kooGalleryClient(srv, roots), "https://mkt.myhuaweicloud.com", codes.Codes[0].Code)
	// A fresh code is not activated yet: KooGallery's business answer, signature accepted.
	if err != nil || env.ErrorCode == "" {
		t.Fatalf("heartbeat over HTTPS: %+v, %v", env, err)
	}
	// The same over the loopback names the certificate carries.
	for _, host := range []string{"localhost", "127.0.0.1"} {
		_, port, _ := net.SplitHostPort(strings.TrimPrefix(srv.TLSURL(), "https://"))
		if _, err := heartbeat(kooGalleryClient(srv, roots), "https://"+net.JoinHostPort(host, port), codes.Codes[0].Code); err != nil {
			t.Errorf("%s: %v", host, err)
		}
	}

	// Without the CA, the system's roots do not vouch for koomock.
	_, err = heartbeat(kooGalleryClient(srv, x509.NewCertPool()), "https://mkt.myhuaweicloud.com", codes.Codes[0].Code)
	var unknown x509.UnknownAuthorityError
	if !errors.As(err, &unknown) {
		t.Errorf("a client without koomock's CA: %v, want an unknown authority", err)
	}
	// Nor does a name the certificate does not carry pass.
	_, err = heartbeat(kooGalleryClient(srv, roots), "https://"+strings.Replace(strings.TrimPrefix(srv.TLSURL(), "https://"), "127.0.0.1", "127.0.0.2", 1), codes.Codes[0].Code)
	if err == nil {
		t.Error("a name outside the certificate verified")
	}
}

// Over HTTPS the admin guard is the HTTP one: KooGallery's name reaches the seller-facing APIs freely,
// but koomock's control API and console only with the admin token, as for any name not loopback.
func TestTheAdminGuardAppliesToHTTPSAsToHTTP(t *testing.T) {
	get := func(client *http.Client, url, token string) int {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	open := newTLSServer(t, nil)
	roots, _ := localca.CertPool(caPEM(t, open.URL(), ""))
	client := kooGalleryClient(open, roots)
	if code := get(client, "https://mkt.myhuaweicloud.com/_mock/settings", ""); code != http.StatusForbidden {
		t.Errorf("control API under KooGallery's name without a token: %d, want 403", code)
	}
	if code := get(client, "https://mkt.myhuaweicloud.com/console/", ""); code != http.StatusForbidden {
		t.Errorf("console under KooGallery's name without a token: %d, want 403", code)
	}
	if code := get(client, open.TLSURL()+"/_mock/settings", ""); code != http.StatusOK {
		t.Errorf("control API over HTTPS on loopback: %d, want 200", code)
	}
	if _, err := heartbeat(client, "https://mkt.myhuaweicloud.com", "PLUNKNOWN"); err != nil {
		t.Errorf("the license API under KooGallery's name: %v", err)
	}

	guarded := newTLSServer(t, func(c *mock.Config) { c.AdminToken = "s3cret-token" })
	roots, _ = localca.CertPool(caPEM(t, guarded.URL(), "s3cret-token"))
	client = kooGalleryClient(guarded, roots)
	if code := get(client, "https://mkt.myhuaweicloud.com/_mock/settings", ""); code != http.StatusUnauthorized {
		t.Errorf("control API with a token set, none sent: %d, want 401", code)
	}
	if code := get(client, "https://mkt.myhuaweicloud.com/_mock/settings", "s3cret-token"); code != http.StatusOK {
		t.Errorf("control API with the token: %d, want 200", code)
	}
	if code := get(http.DefaultClient, guarded.URL()+"/_mock/ca.pem", ""); code != http.StatusUnauthorized {
		t.Errorf("/_mock/ca.pem without the token: %d, want 401 like the rest of the control API", code)
	}
}

func TestTLSSettingsAreChecked(t *testing.T) {
	ca, _ := localca.Load("", time.Now)
	cert, _, _ := ca.ServerCertificate(localca.DefaultNames, time.Now)
	if _, err := mock.New(context.Background(), mock.Config{TLS: mock.TLSConfig{Addr: "0.0.0.0:0", Certificate: cert, CA: ca.CertPEM()}}); !errors.Is(err, mock.ErrAdminTokenRequired) {
		t.Errorf("HTTPS on every interface without a token: %v", err)
	}
	if _, err := mock.New(context.Background(), mock.Config{TLS: mock.TLSConfig{Addr: "127.0.0.1:0"}}); err == nil {
		t.Error("HTTPS without a certificate was accepted")
	}
	srv := mocktest.New(t, mocktest.Options{NoSeller: true, RealClock: true}).Server
	if srv.TLSURL() != "" {
		t.Errorf("TLS URL %q without HTTPS", srv.TLSURL())
	}
	resp, err := http.Get(srv.URL() + "/_mock/ca.pem")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("/_mock/ca.pem without HTTPS: %d, want 404", resp.StatusCode)
	}
}

// TestSettingsAndOverviewNameTheHTTPSListener: the settings and the console's overview say where the
// HTTPS listener is and which CA to trust, by its certificate and fingerprint, never its key.
func TestSettingsAndOverviewNameTheHTTPSListener(t *testing.T) {
	srv := newTLSServer(t, nil)
	api := &controlapi.Client{BaseURL: srv.URL()}
	st, err := api.Settings(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.HTTPS == nil {
		t.Fatal("the settings do not mention the HTTPS listener")
	}
	block, _ := pem.Decode([]byte(st.HTTPS.CACert))
	if block == nil {
		t.Fatalf("the CA certificate in the settings is not PEM: %q", st.HTTPS.CACert)
	}
	sum := sha256.Sum256(block.Bytes)
	if st.HTTPS.URL != srv.TLSURL() || st.HTTPS.CAFingerprint != hex.EncodeToString(sum[:]) {
		t.Errorf("HTTPS settings %+v; want %s and the CA's fingerprint", st.HTTPS, srv.TLSURL())
	}
	if strings.Contains(st.HTTPS.CACert, "PRIVATE KEY") {
		t.Error("the settings carry a private key")
	}
	resp, err := http.Get(srv.URL() + "/console/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(page), st.HTTPS.CAFingerprint) || !strings.Contains(string(page), srv.TLSURL()) {
		t.Error("the overview does not show the HTTPS URL and the CA's fingerprint")
	}

	plain, api2 := newTestServer(t, nil)
	defer plain.Close()
	if st, err := api2.Settings(context.Background()); err != nil || st.HTTPS != nil {
		t.Errorf("without HTTPS the settings say %+v, %v", st.HTTPS, err)
	}
}
