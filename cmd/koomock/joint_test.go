package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/koomock/koomock/examples/seller"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/runner/browser"
)

// TestStandardClientAgainstServe is the promise to a newcomer: `koomock serve` with only its flags,
// and an unchanged golang.org/x/oauth2 client logs in, reads userinfo and refreshes.
func TestStandardClientAgainstServe(t *testing.T) {
	var mu sync.Mutex
	var got url.Values
	cb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = r.URL.Query()
		mu.Unlock()
		io.WriteString(w, "back at the app")
	}))
	defer cb.Close()
	api, out, stop := startServe(t, "--db", ":memory:", "--login-callback-url", cb.URL+"/cb", "--client-id", "my-client",
		"--client-secret", "my-very-secret-secret", "--demo-user", "alice", "--demo-password", "alice-pw")
	defer stop()
	for _, want := range []string{"client ID        my-client", "login callback   " + cb.URL + "/cb", "demo user        alice", fixtures.DemoKitKey, "/unified-login/portal-login?ind=UNOP&appId=" + fixtures.DemoAppID} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("banner lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(out.String(), "HTTP only: KooGallery's domains are https://") {
		t.Errorf("with HTTP only, the banner does not say the domains' scheme differs:\n%s", out)
	}
	if strings.Contains(out.String(), "my-very-secret-secret") || strings.Contains(out.String(), "alice-pw") {
		t.Errorf("banner shows the user's own secrets:\n%s", out)
	}
	ctx := context.Background()
	st, err := api.Settings(ctx)
	if err != nil || st.Joint == nil || st.Joint.DemoClientID != "my-client" || st.Joint.DemoUser != "alice" || strings.Contains(st.Joint.DemoClientSecret, "my-very") {
		t.Fatalf("settings: %+v %v", st.Joint, err)
	}
	conf := &oauth2.Config{ClientID: "my-client", ClientSecret: "my-very-secret-secret", RedirectURL: cb.URL + "/cb",
		Endpoint: oauth2.Endpoint{AuthURL: st.Joint.DemoDomain + "/api/v1/oauth2/authorize", TokenURL: st.Joint.DemoDomain + "/api/v1/oauth2/token"}}
	b := browser.New(nil)
	page, err := b.Open(ctx, conf.AuthCodeURL("xyz"))
	if err != nil {
		t.Fatal(err)
	}
	form, err := page.Form()
	if err != nil {
		t.Fatalf("no login form at %s: %v", page.URL, err)
	}
	if page, err = b.Submit(ctx, form, map[string]string{"username": "alice", "password": "alice-pw"}); err != nil || !strings.Contains(page.Body, "back at the app") {
		t.Fatalf("login: %v %s", err, page.Body)
	}
	mu.Lock()
	code, state := got.Get("code"), got.Get("state")
	mu.Unlock()
	if state != "xyz" {
		t.Errorf("state %q", state)
	}
	tok, err := conf.Exchange(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := conf.Client(ctx, tok).Get(st.Joint.DemoDomain + "/api/v1/oauth2/userinfo")
	if err != nil {
		t.Fatal(err)
	}
	var info map[string]string
	json.NewDecoder(resp.Body).Decode(&info)
	resp.Body.Close()
	if info["userName"] != "alice" || info["tenant"] != fixtures.DemoTenantID {
		t.Fatalf("userinfo %v", info)
	}
	tok.Expiry = time.Now().Add(-time.Second)
	if fresh, err := conf.TokenSource(ctx, tok).Token(); err != nil || fresh.AccessToken == tok.AccessToken {
		t.Fatalf("refresh: %v", err)
	}
}

// TestPlainSaaSSellerIsNeverFailedOnKitOrLogin: without kit key and login URL the joint scenarios
// skip, saying what they need, and the run passes.
func TestPlainSaaSSellerIsNeverFailedOnKitOrLogin(t *testing.T) {
	url := referenceSeller(t, nil)
	code, out, errOut := cli(t, nil, "verify", "--seller-url", url)
	if code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = cli(t, nil, "verify", "--seller-url", url, "--profile", "joint")
	if code != exitOK {
		t.Fatalf("joint profile: exit %d\n%s\n%s", code, out, errOut)
	}
	if m := regexp.MustCompile(`(\d+) scenarios, (\d+) passed, 0 failed`).FindStringSubmatch(out); m == nil || m[1] != m[2] {
		t.Errorf("not every required scenario passed:\n%s", out)
	}
	for _, want := range []string{"skipped 9: needs --kit-key", "skipped 8: needs --seller-login-url"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestJointUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"serve", "--db", ":memory:", "--oaep-hash", "md5"},
		{"serve", "--db", ":memory:", "--seller-public-key", "/nonexistent.pem"},
		{"serve", "--db", ":memory:", "--client-id", "only-id"},
		{"serve", "--db", ":memory:", "--login-callback-url", "not a url"},
		{"verify", "--mock-url", "http://127.0.0.1:1", "--kit-key", "k"},
	} {
		if code, _, errOut := cli(t, nil, args...); code != exitUsage || strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
			t.Errorf("%v: exit %d, stderr %q; want one line and exit 2", args, code, errOut)
		}
	}
}

// TestLoginNeedsACallback: a kit key and a login URL without a registered callback skip the login
// scenarios with the reason, rather than failing the seller.
func TestLoginNeedsACallback(t *testing.T) {
	url := referenceSeller(t, seller.New(seller.Config{AccessKey: fixtures.DemoAccessKey, Joint: seller.DemoJoint(nil)}))
	code, out, _ := cli(t, nil, "verify", "--profile", "joint", "--seller-url", url, "--tags", "@login", "--kit-key", fixtures.DemoKitKey,
		"--seller-login-url", strings.TrimSuffix(url, seller.ProducePath)+seller.LoginPath)
	if code != exitOK || !strings.Contains(out, "skipped 7: needs --login-callback-url") {
		t.Fatalf("exit %d\n%s", code, out)
	}
}
