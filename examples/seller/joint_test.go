package seller_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/clock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/examples/seller"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/mock"
	"github.com/koomock/koomock/mock/mocktest"
	"github.com/koomock/koomock/protocol"
	"github.com/koomock/koomock/runner/browser"
)

func kitCall(t *testing.T, srv *httptest.Server, sync, body string, signedAt time.Time, edit func(http.Header)) string {
	t.Helper()
	canonical, err := protocol.CanonicalJSON([]byte(body))
	if err != nil {
		canonical = []byte(body)
	}
	req, _ := http.NewRequest(http.MethodPost, srv.URL+seller.ProducePath+protocol.KitPathPrefix+sync, strings.NewReader(body))
	protocol.SignKit(fixtures.DemoKitKey, "N1", signedAt, canonical, false).Apply(req.Header)
	if edit != nil {
		edit(req.Header)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if err := protocol.VerifyBodySign(fixtures.DemoKitKey, resp.Header.Get(protocol.BodySignHeader), raw); err != nil {
		t.Errorf("Body-Sign: %v", err)
	}
	var a struct{ ResultCode string }
	json.Unmarshal(raw, &a)
	return a.ResultCode
}

func TestReferenceSellerKitRefusals(t *testing.T) {
	srv := httptest.NewServer(seller.New(seller.Config{AccessKey: key, Now: func() time.Time { return now }, Wall: func() time.Time { return now }, Joint: seller.DemoJoint(nil)}))
	defer srv.Close()
	tenant := `{"domainName":"http://127.0.0.1:1/t/acme","flag":1,"instanceId":"","name":"Acme","orderId":"","tenantCode":"acme","tenantId":"t1","testFlag":0,"timeStamp":"20261127160000000"}`
	pub, _ := protocol.ParseRSAPublicKeyPEM(fixtures.DemoSellerPublicKeyPEM)
	secret, _ := protocol.EncryptClientSecret(pub, "s3cret", protocol.OAEPSHA1)
	app := `{"appId":"a","clientId":"c","clientSecret":"` + secret + `","flag":1,"instanceId":"","tenantId":"t1","testFlag":0,"timeStamp":"20261127160000000"}`
	tests := []struct {
		name, sync, body string
		at               time.Time
		edit             func(http.Header)
		want             string
	}{
		{"correct", "tenantSync", tenant, now, nil, "000000"},
		{"tampered x-sign", "tenantSync", tenant, now, func(h http.Header) { h.Set("x-sign", "00") }, "000001"},
		{"no x-sign", "tenantSync", tenant, now, func(h http.Header) { h.Del("x-sign") }, "000001"},
		{"stale", "tenantSync", tenant, now.Add(-2 * time.Minute), nil, "000002"},
		{"no tenantId", "tenantSync", strings.Replace(tenant, `"tenantId":"t1",`, "", 1), now, nil, "000002"},
		{"secret under another digest", "applicationSync", app, now, nil, "000101"},
		{"unknown sync", "launchSync", tenant, now, nil, "000002"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := kitCall(t, srv, tt.sync, tt.body, tt.at, tt.edit); got != tt.want {
				t.Errorf("resultCode %s, want %s", got, tt.want)
			}
		})
	}
}

// TestReferenceSellerRefreshesBeforeExpiry shares koomock's virtual clock with the reference seller: 1h55m
// after the login the seller refreshes on its own, before userinfo ever sees an expired token.
func TestReferenceSellerRefreshesBeforeExpiry(t *testing.T) {
	clk := clock.NewVirtual(mocktest.Start)
	env := mocktest.New(t, mocktest.Options{Joint: true, Seed: 1,
		Handler: seller.New(seller.Config{AccessKey: fixtures.DemoAccessKey, Now: clk.Now, Joint: seller.DemoJoint(nil)}),
		Config:  func(c *mock.Config) { c.Clock = clk }})
	ctx, api := context.Background(), env.API
	res, err := api.CreateTenant(ctx, controlapi.TenantRequest{})
	if err != nil {
		t.Fatal(err)
	}
	users, err := api.AuthorizeUsers(ctx, res.Tenant.ID, []koomock.User{{UserName: "wangwu"}})
	if err != nil {
		t.Fatal(err)
	}
	b := browser.New(nil)
	page, err := b.Open(ctx, env.SellerBase+seller.LoginPath)
	if err != nil {
		t.Fatal(err)
	}
	form, err := page.Form()
	if err != nil {
		t.Fatalf("%s: %v", page.URL, err)
	}
	page, err = b.Submit(ctx, form, map[string]string{"username": "wangwu", "password": users.Users[0].Password})
	if err != nil || !strings.Contains(page.Body, "wangwu") {
		t.Fatalf("login: %v\n%s", err, page.Body)
	}
	clk.Advance(115 * time.Minute)
	if page, err = b.Open(ctx, env.SellerBase+seller.MePath); err != nil || !strings.Contains(page.Body, "wangwu") {
		t.Fatalf("after 1h55m: %v %s", err, page.Body)
	}
	list, err := api.Exchanges(ctx, koomock.ExchangeFilter{Direction: koomock.Inbound, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	refreshes := 0
	for _, e := range list {
		if v, ok := e.Verdict(koomock.RuleOAuthRefresh); ok && v.Outcome == koomock.Pass {
			refreshes++
		}
		if v, ok := e.Verdict(koomock.RuleOAuthAccessToken); ok && v.Outcome != koomock.Pass {
			t.Errorf("userinfo saw a token that was not valid: %+v", v)
		}
	}
	if refreshes != 1 {
		t.Errorf("%d refreshes before expiry, want 1", refreshes)
	}
}
