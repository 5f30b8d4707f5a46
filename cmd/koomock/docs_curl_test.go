package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"golang.org/x/oauth2"

	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/runner/browser"
)

// docCurl is one curl command of the docs, as printed (continuation lines included).
type docCurl struct {
	where string // file:line
	cmd   string
}

// docCurls returns the curl commands of the fenced code blocks of files, in order: the lines that
// start with "curl " (an indented curl is sample output, not a command), with their continuation lines.
func docCurls(t *testing.T, files ...string) []docCurl {
	t.Helper()
	var cmds []docCurl
	for _, file := range files {
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		fenced, n := false, 0
		var cur *docCurl
		for sc.Scan() {
			line := sc.Text()
			n++
			switch {
			case cur != nil:
				cur.cmd += "\n" + line
			case strings.HasPrefix(line, "```"):
				fenced = !fenced
				continue
			case fenced && strings.HasPrefix(line, "curl "):
				cur = &docCurl{where: fmt.Sprintf("%s:%d", filepath.Base(file), n), cmd: line}
			default:
				continue
			}
			if !strings.HasSuffix(line, `\`) {
				cmds = append(cmds, *cur)
				cur = nil
			}
		}
		f.Close()
	}
	return cmds
}

// curlShell runs printed curl commands with the real curl, through sh, as a reader pastes them: the
// only thing added is where the documented addresses lead (--connect-to, so the Host header, the TLS
// name and the URL stay as printed) and how the status comes back.
type curlShell struct {
	curl, dir string
	env       []string
	connectTo []string
}

func newCurlShell(t *testing.T, httpURL, httpsURL string) *curlShell {
	t.Helper()
	bin, err := exec.LookPath("curl")
	if err != nil {
		t.Skip("no curl on PATH")
	}
	plain, secure := strings.TrimPrefix(httpURL, "http://"), strings.TrimPrefix(httpsURL, "https://")
	sh := &curlShell{curl: bin, dir: t.TempDir()}
	// The documented addresses: koomock's default HTTP address, the container's, and KooGallery's name
	// on the HTTPS ports the docs use.
	for _, from := range []string{"127.0.0.1:8080", "localhost:8080"} {
		sh.connectTo = append(sh.connectTo, "--connect-to", from+":"+plain)
	}
	if secure != "" {
		_, port, _ := strings.Cut(secure, ":")
		// The banner's hosts-file recipe names the HTTPS listener's own port.
		for _, from := range []string{"mkt.myhuaweicloud.com:443", "mkt.myhuaweicloud.com:8443", "mkt.myhuaweicloud.com:" + port} {
			sh.connectTo = append(sh.connectTo, "--connect-to", from+":"+secure)
		}
	}
	return sh
}

// run runs one command and returns the HTTP status and the answer's body.
func (sh *curlShell) run(cmd string) (int, string, error) {
	out := filepath.Join(sh.dir, "answer")
	os.Remove(out)
	wrapper := `curl() { command "$KOOMOCK_TEST_CURL" "$@" -sS -o "$KOOMOCK_TEST_OUT" -w '%{http_code}' ` +
		strings.Join(sh.connectTo, " ") + "; }\n"
	c := exec.Command("sh", "-c", wrapper+cmd)
	c.Dir = sh.dir
	c.Env = append(os.Environ(), append(sh.env, "KOOMOCK_TEST_CURL="+sh.curl, "KOOMOCK_TEST_OUT="+out)...)
	stdout, err := c.Output()
	body, _ := os.ReadFile(out)
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return 0, string(body), fmt.Errorf("%v: %s", err, exit.Stderr)
		}
		return 0, string(body), err
	}
	var status int
	fmt.Sscan(strings.TrimSpace(string(stdout)), &status)
	return status, string(body), nil
}

// placeholder is a value the docs leave to the reader (an ID from an earlier answer, a token), and
// how a reader would get it at that point.
type placeholder struct {
	text    string
	resolve func() (string, error)
}

// TestDocsCurlCommandsWorkAsPrinted runs every curl command of README.md and docs/*.md, in order,
// against `koomock serve` (HTTP and HTTPS, a reference seller, a login callback), and the serve
// banner's, with and without an admin token: each must get a 2xx.
func TestDocsCurlCommandsWorkAsPrinted(t *testing.T) {
	docs, _ := filepath.Glob("../../docs/*.md")
	cmds := docCurls(t, append([]string{"../../README.md"}, docs...)...)
	if len(cmds) < 10 {
		t.Fatalf("found only %d curl commands in the docs: %+v", len(cmds), cmds)
	}
	login, tlsDir := newLoginCallback(t), t.TempDir()
	api, out, stop := startServe(t, "--db", ":memory:", "--seller-url", referenceSeller(t, nil),
		"--tls-addr", "127.0.0.1:0", "--tls-dir", tlsDir, "--login-callback-url", login.URL+"/login/callback")
	defer stop()
	m := regexp.MustCompile(`HTTPS +(https://\S+)`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("the banner shows no HTTPS URL:\n%s", out)
	}
	sh := newCurlShell(t, api.BaseURL, m[1])
	// The docs' `koomock ca --out koomock-ca.pem`, in the directory the commands run in.
	if code, _, errOut := cli(t, nil, "ca", "--tls-dir", tlsDir, "--out", filepath.Join(sh.dir, "koomock-ca.pem")); code != exitOK {
		t.Fatalf("koomock ca: exit %d, %s", code, errOut)
	}

	ctx := context.Background()
	placeholders := []placeholder{
		{"/instances/ID/", func() (string, error) {
			orders, err := api.Orders(ctx, 0)
			for _, o := range orders {
				if o.InstanceID != "" {
					return "/instances/" + url.PathEscape(o.InstanceID) + "/", nil
				}
			}
			return "", fmt.Errorf("no order with an instance yet (%v)", err)
		}},
		{"refresh_token=...", func() (string, error) {
			tok, err := login.demoToken(ctx, api)
			return "refresh_token=" + tok.RefreshToken, err
		}},
	}
	for _, c := range cmds {
		if w := globbedURL(c.cmd); w != "" {
			t.Errorf("%s: %s is not quoted: zsh (macOS's shell) takes its ? * [ for a pattern and stops with \"no matches found\"", c.where, w)
		}
		cmd, err := substitute(c.cmd, placeholders)
		if err != nil {
			t.Errorf("%s: %v\n%s", c.where, err, c.cmd)
			continue
		}
		status, body, err := sh.run(cmd)
		switch {
		case err != nil:
			t.Errorf("%s: %v\n%s", c.where, err, cmd)
		case status < 200 || status > 299:
			t.Errorf("%s: HTTP %d %s\n%s", c.where, status, body, cmd)
		default:
			t.Logf("%s: HTTP %d", c.where, status)
		}
	}

	// The banner's own examples, as printed: on an open koomock, and with an admin token in
	// KOOMOCK_ADMIN_TOKEN as the guarded banner assumes.
	runBanner := func(banner string, env ...string) {
		t.Helper()
		lines := regexp.MustCompile(`(?m)curl .*$`).FindAllString(banner, -1)
		if len(lines) == 0 {
			t.Errorf("the banner shows no curl:\n%s", banner)
		}
		sh.env = env
		for _, line := range lines {
			status, body, err := sh.run(line)
			switch {
			case err != nil || status < 200 || status > 299:
				t.Errorf("banner: %s: HTTP %d %s %v", line, status, body, err)
			}
		}
	}
	runBanner(out.String())
	_, guarded, stopGuarded := startServe(t, "--db", ":memory:", "--seller-url", referenceSeller(t, nil), "--admin-token", "a-long-admin-token")
	defer stopGuarded()
	runBanner(guarded.String(), "KOOMOCK_ADMIN_TOKEN=a-long-admin-token")
}

// globbedURL returns the first URL of cmd outside quotes that a shell would take for a file pattern.
func globbedURL(cmd string) string {
	var word strings.Builder
	quote := rune(0)
	check := func() string {
		w := word.String()
		word.Reset()
		if strings.Contains(w, "://") && strings.ContainsAny(w, "?*[") {
			return w
		}
		return ""
	}
	for _, r := range cmd + " " {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
			word.WriteByte('_') // quoted text is safe
		case r == '\'' || r == '"':
			quote = r
		case r == ' ' || r == '\n' || r == '\t':
			if w := check(); w != "" {
				return w
			}
		default:
			word.WriteRune(r)
		}
	}
	return ""
}

// substitute fills the placeholders cmd contains.
func substitute(cmd string, placeholders []placeholder) (string, error) {
	for _, p := range placeholders {
		if !strings.Contains(cmd, p.text) {
			continue
		}
		v, err := p.resolve()
		if err != nil {
			return "", fmt.Errorf("placeholder %q: %w", p.text, err)
		}
		cmd = strings.ReplaceAll(cmd, p.text, v)
	}
	return cmd, nil
}

// loginCallback is a web app's OAuth callback: it keeps the code of the last login.
type loginCallback struct {
	*httptest.Server
	mu   sync.Mutex
	code string
}

func newLoginCallback(t *testing.T) *loginCallback {
	l := &loginCallback{}
	l.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.mu.Lock()
		l.code = r.URL.Query().Get("code")
		l.mu.Unlock()
		w.Write([]byte("back at the app"))
	}))
	t.Cleanup(l.Close)
	return l
}

// demoToken logs the demo user in with a standard OAuth client, as the README's reader's app does.
func (l *loginCallback) demoToken(ctx context.Context, api *controlapi.Client) (*oauth2.Token, error) {
	st, err := api.Settings(ctx)
	if err != nil {
		return nil, err
	}
	// The demo tenant's domain, over HTTP: the README's token call is on the HTTP address.
	domain := api.BaseURL
	if u, err := url.Parse(st.Joint.DemoDomain); err == nil && u.Scheme == "http" {
		domain = st.Joint.DemoDomain
	}
	conf := &oauth2.Config{ClientID: fixtures.DemoClientID, ClientSecret: fixtures.DemoClientSecret, RedirectURL: l.URL + "/login/callback",
		Endpoint: oauth2.Endpoint{AuthURL: domain + "/api/v1/oauth2/authorize", TokenURL: domain + "/api/v1/oauth2/token"}}
	b := browser.New(nil)
	page, err := b.Open(ctx, conf.AuthCodeURL("state"))
	if err != nil {
		return nil, err
	}
	form, err := page.Form()
	if err != nil {
		return nil, err
	}
	if _, err := b.Submit(ctx, form, map[string]string{"username": fixtures.DemoUser, "password": fixtures.DemoPassword}); err != nil {
		return nil, err
	}
	l.mu.Lock()
	code := l.code
	l.mu.Unlock()
	return conf.Exchange(ctx, code)
}
