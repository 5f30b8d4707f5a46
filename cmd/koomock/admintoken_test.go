package main

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/koomock/koomock/controlapi"
)

var generatedTokenLine = regexp.MustCompile(`admin token +(\S+) +\(made up by koomock, ([^;]+);`)

// tokenFromBanner returns the generated token the banner prints, and what it says of where it is kept.
func tokenFromBanner(t *testing.T, banner string) (token, kept string) {
	t.Helper()
	m := generatedTokenLine.FindStringSubmatch(banner)
	if m == nil {
		t.Fatalf("the banner prints no generated admin token:\n%s", banner)
	}
	return m[1], m[2]
}

// TestServeBeyondLoopbackMakesAnAdminToken: a container's serve, with no token set, makes one up,
// prints it with a console URL that logs in with it, keeps it beside the database for the next
// start, and guards the control API with it.
func TestServeBeyondLoopbackMakesAnAdminToken(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "data", "koomock.db")
	args := []string{"--addr", "0.0.0.0:0", "--public-url", "http://localhost:8080", "--db", db}
	api, out, stop := startServe(t, args...)
	token, kept := tokenFromBanner(t, out.String())
	path := filepath.Join(dir, "data", "admin-token")
	if kept != "kept in "+path {
		t.Errorf("the banner says %q; want it kept in %s", kept, path)
	}
	if b, err := os.ReadFile(path); err != nil || strings.TrimSpace(string(b)) != token {
		t.Errorf("%s: %q, %v; want the token", path, b, err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("%s: %v, %v; want mode 0600", path, fi.Mode(), err)
	}
	if !strings.Contains(out.String(), "console login    http://localhost:8080/console/login?token="+token) {
		t.Errorf("the banner has no console login URL:\n%s", out)
	}
	if !strings.Contains(out.String(), `-H "Authorization: Bearer `+token+`"`) {
		t.Errorf("the banner's curl hints do not send the token:\n%s", out)
	}
	if _, err := api.Settings(ctx); controlapi.ErrorCode(err) != controlapi.CodeUnauthorized {
		t.Errorf("the control API without the token: %v; want 401", err)
	}
	api.Token = token
	if _, err := api.Settings(ctx); err != nil {
		t.Errorf("the control API with the generated token: %v", err)
	}
	// The login URL, at the address this test reaches koomock by, logs a browser in.
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	resp, err := browser.Get(api.BaseURL + "/console/login?token=" + token)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/console/" || strings.Contains(resp.Request.URL.RawQuery, token) {
		t.Errorf("the console login URL: HTTP %d at %s; want the console's overview, token out of the address", resp.StatusCode, resp.Request.URL)
	}
	stop()

	// A restart on the same data keeps it.
	_, out, stop = startServe(t, args...)
	if again, _ := tokenFromBanner(t, out.String()); again != token {
		t.Errorf("after a restart the token is %q, want %q", again, token)
	}
	stop()

	// A token of one's own wins, is not printed, and leaves the kept one alone.
	api, out, stop = startServeEnv(t, map[string]string{"KOOMOCK_ADMIN_TOKEN": "mine"}, args...)
	defer stop()
	if strings.Contains(out.String(), token) || !strings.Contains(out.String(), "admin token      set") {
		t.Errorf("with KOOMOCK_ADMIN_TOKEN the banner:\n%s", out)
	}
	api.Token = "mine"
	if _, err := api.Settings(ctx); err != nil {
		t.Errorf("the control API with one's own token: %v", err)
	}
	if b, _ := os.ReadFile(path); strings.TrimSpace(string(b)) != token {
		t.Errorf("the kept token changed to %q", b)
	}
}

// TestServeSaysWhereATokenIsNotKept: with nothing to keep it in, serve still starts, and says so.
func TestServeSaysWhereATokenIsNotKept(t *testing.T) {
	_, out, stop := startServe(t, "--tls-addr", "0.0.0.0:0", "--db", ":memory:")
	token, kept := tokenFromBanner(t, out.String())
	stop()
	if kept != "this run only: --db :memory: keeps nothing" {
		t.Errorf("an in-memory koomock's token: %q", kept)
	}

	dir := t.TempDir()
	// A directory where the token file should be: it can be neither read nor written, even as root.
	if err := os.Mkdir(filepath.Join(dir, "admin-token"), 0o700); err != nil {
		t.Fatal(err)
	}
	_, out, stop = startServe(t, "--addr", "0.0.0.0:0", "--public-url", "http://localhost:8080", "--db", filepath.Join(dir, "koomock.db"))
	defer stop()
	other, kept := tokenFromBanner(t, out.String())
	if !strings.HasPrefix(kept, "this run only: could not write "+filepath.Join(dir, "admin-token")) {
		t.Errorf("an unwritable token file: %q", kept)
	}
	if other == token || len(other) < 20 {
		t.Errorf("tokens %q then %q: want fresh, long ones", token, other)
	}
}
