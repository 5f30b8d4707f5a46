package mock_test

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/localca"
	"github.com/koomock/koomock/mock"
)

// syncRecorder is a seller that answers every kit sync with success and keeps the domainName of each
// tenantSync it received.
type syncRecorder struct {
	mu      sync.Mutex
	domains []string
}

func (s *syncRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	if strings.HasSuffix(r.URL.Path, "/tenantSync") {
		var body struct {
			DomainName string `json:"domainName"`
		}
		json.Unmarshal(raw, &body)
		s.mu.Lock()
		s.domains = append(s.domains, body.DomainName)
		s.mu.Unlock()
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write([]byte(`{"resultCode":"000000","resultMsg":"success"}`))
}

func (s *syncRecorder) last(t *testing.T) string {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.domains) == 0 {
		t.Fatal("no tenantSync reached the seller")
	}
	return s.domains[len(s.domains)-1]
}

// tenantDomain creates a tenant on srv and returns the domainName its tenantSync carried, after
// checking that the control API and the settings name the same domains.
func tenantDomain(t *testing.T, srv *mock.Server, seller *syncRecorder) string {
	t.Helper()
	api := &controlapi.Client{BaseURL: srv.URL()}
	res, err := api.CreateTenant(context.Background(), controlapi.TenantRequest{TenantCode: "acme", Name: "Acme"})
	if err != nil {
		t.Fatal(err)
	}
	sent := seller.last(t)
	if res.Tenant.DomainName != sent {
		t.Errorf("the control API says domain %s, tenantSync sent %s", res.Tenant.DomainName, sent)
	}
	st, err := api.Settings(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.TrimSuffix(sent, "/t/acme"); st.Joint.DemoDomain != want {
		t.Errorf("the demo tenant's domain is %s, want %s", st.Joint.DemoDomain, want)
	}
	return sent
}

// TestTenantDomainsAreHTTPSWhenHTTPSIsOn: KooGallery's tenant domains include the https:// scheme, so
// once koomock serves HTTPS tenantSync hands out its HTTPS address; with HTTP only, the HTTP one.
func TestTenantDomainsAreHTTPSWhenHTTPSIsOn(t *testing.T) {
	seller := &syncRecorder{}
	sellerSrv := httptest.NewServer(seller)
	defer sellerSrv.Close()
	sellerURL := func(c *mock.Config) {
		c.Market.SellerURL, c.Joint.KitKey = sellerSrv.URL+"/produce", fixtures.DemoKitKey
	}

	srv := newTLSServer(t, sellerURL)
	if got, want := tenantDomain(t, srv, seller), srv.TLSURL()+"/t/acme"; got != want {
		t.Errorf("with HTTPS on, domainName %s, want %s", got, want)
	}
	// The tenant's domain is served: the identity provider answers there over HTTPS.
	roots, err := localca.CertPool(caPEM(t, srv.URL(), ""))
	if err != nil {
		t.Fatal(err)
	}
	client := kooGalleryClient(srv, roots)
	resp, err := client.Get(srv.TLSURL() + "/t/acme/api/v1/oauth2/userinfo")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("userinfo without a token on the HTTPS domain: HTTP %d, want 401", resp.StatusCode)
	}

	// A public URL names the host; the HTTPS listener gives the scheme and the port.
	srv = newTLSServer(t, func(c *mock.Config) {
		sellerURL(c)
		c.PublicURL = "http://localhost:18080"
	})
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(srv.TLSURL(), "https://"))
	if got, want := tenantDomain(t, srv, seller), "https://localhost:"+port+"/t/acme"; got != want {
		t.Errorf("with a public URL and HTTPS on, domainName %s, want %s", got, want)
	}

	plain, _ := newTestServer(t, sellerURL)
	if got, want := tenantDomain(t, plain, seller), plain.URL()+"/t/acme"; got != want {
		t.Errorf("with HTTP only, domainName %s, want %s", got, want)
	}
}
