package main

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/examples/seller"
	"github.com/koomock/koomock/examples/seller/sellertest"
	"github.com/koomock/koomock/fixtures"
)

// syncBuffer is a bytes.Buffer safe for a command writing while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// cli runs koomock in-process with the given environment variables (and no others).
func cli(t *testing.T, vars map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	out := &syncBuffer{}
	return cliCtx(context.Background(), t, vars, out, out, args...)
}

// cliCtx runs koomock with ctx, writing stdout to w; it returns out's content as stdout.
func cliCtx(ctx context.Context, t *testing.T, vars map[string]string, out *syncBuffer, w io.Writer, args ...string) (int, string, string) {
	t.Helper()
	var errb syncBuffer
	e := &env{
		stdin: strings.NewReader(""), stdout: w, stderr: &errb,
		getenv:    func(k string) string { return vars[k] },
		lookupEnv: func(k string) (string, bool) { v, ok := vars[k]; return v, ok },
		environ: func() []string {
			var kv []string
			for k, v := range vars {
				kv = append(kv, k+"="+v)
			}
			return kv
		},
	}
	code := run(ctx, e, args)
	return code, out.String(), errb.String()
}

func referenceSeller(t *testing.T, h http.Handler) string {
	t.Helper()
	if h == nil {
		h = seller.New(seller.Config{AccessKey: fixtures.DemoAccessKey})
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL + seller.ProducePath
}

func TestVerifyBundledReferenceSeller(t *testing.T) {
	code, out, errOut := cli(t, nil, "verify")
	if code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	if m := regexp.MustCompile(`(\d+) scenarios, (\d+) passed, 0 failed`).FindStringSubmatch(out); m == nil || m[1] != m[2] || m[1] == "0" {
		t.Errorf("summary missing:\n%s", out)
	}
	if !strings.Contains(errOut, "bundled reference seller") {
		t.Errorf("stderr does not say which seller was tested: %s", errOut)
	}
	// The bundled seller is a joint-operation product too: with that profile the kit syncs, the OAuth
	// and the CAS logins run against it with koomock's demo settings, and pass.
	code, out, errOut = cli(t, nil, "verify", "--profile", "joint")
	m := regexp.MustCompile(`(\d+) scenarios, (\d+) passed, 0 failed`).FindStringSubmatch(out)
	if code != exitOK || m == nil || m[1] != m[2] || strings.Contains(out, "needs --kit-key") || strings.Contains(out, "needs --seller-login-url") {
		t.Errorf("joint profile: exit %d\n%s\n%s", code, out, errOut)
	}
}

// TestVerifyFailsEachBrokenSeller is the CLI half of the promise that the suite catches broken
// sellers: exit 1 and the broken rule named in the summary. It runs the way a seller's CI does: koomock
// serve beside the seller, which looks orders up and pushes usage on it, and verify --mock-url.
func TestVerifyFailsEachBrokenSeller(t *testing.T) {
	for _, v := range sellertest.Variants {
		t.Run(v.Name, func(t *testing.T) {
			timeout := "500ms"
			if v.Timeout != 0 {
				timeout = v.Timeout.String()
			}
			// The seller calls koomock back (order query, usage push) at the address verify gives it.
			addr := freeAddr(t)
			url := referenceSeller(t, v.Handler(seller.Config{AccessKey: fixtures.DemoAccessKey, Joint: seller.DemoJoint(nil),
				MarketplaceURL: "http://" + addr, AK: fixtures.DemoAK, SK: fixtures.DemoSK}))
			base := strings.TrimSuffix(url, seller.ProducePath)
			code, out, errOut := cli(t, nil, "verify", "--profile", referenceProfile, "--seller-url", url,
				"--mock-addr", addr, "--timeout", timeout, "--kit-key", fixtures.DemoKitKey,
				"--login-callback-url", base+seller.CallbackPath, "--seller-login-url", base+seller.LoginPath, "--seller-cas-login-url", base+seller.CASLoginPath)
			if code != exitRule {
				t.Fatalf("exit %d, want %d\n%s\n%s", code, exitRule, out, errOut)
			}
			if !strings.Contains(out, "The seller broke: ") || !strings.Contains(out, string(v.Rule)) {
				t.Errorf("output does not name rule %s:\n%s", v.Rule, out)
			}
		})
	}
}

func TestVerifyUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		vars map[string]string
		args []string
		want string
	}{
		{"unreachable seller", nil, []string{"verify", "--seller-url", "http://127.0.0.1:1/produce"}, "unreachable"},
		{"not a URL", nil, []string{"verify", "--seller-url", "seller.example.com"}, "not an absolute"},
		{"unknown flag", nil, []string{"verify", "--sellerurl", "x"}, "flag provided but not defined"},
		{"bad env var", map[string]string{"KOOMOCK_CONCURRENCY": "many"}, []string{"verify"}, "KOOMOCK_CONCURRENCY"},
		{"bad tags", nil, []string{"verify", "--tags", "@saas,"}, "empty term"},
		{"bad accept", nil, []string{"verify", "--accept", "tampered-signature=1"}, "six-digit"},
		{"unknown command", nil, []string{"frobnicate"}, "unknown command"},
		{"unreachable koomock", nil, []string{"verify", "--mock-url", "http://127.0.0.1:1"}, "not reachable"},
		{"deploy package alone", map[string]string{"KOOMOCK_DEPLOY_PACKAGE": "main_test.go"}, []string{"verify"}, "--deploy-package and --deploy-template go together"},
		{"deploy template not a template", nil, []string{"verify", "--deploy-package", "main_test.go", "--deploy-template", "main_test.go"}, "a template is a .tf or .tf.json file"},
		{"deploy package missing", nil, []string{"verify", "--deploy-package", "absent.tar.gz", "--deploy-template", "absent.tf"}, "not a file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := cli(t, tt.vars, tt.args...)
			if code != exitUsage {
				t.Fatalf("exit %d, want %d\n%s\n%s", code, exitUsage, out, errOut)
			}
			if lines := strings.Count(strings.TrimSpace(errOut), "\n") + 1; lines != 1 || !strings.Contains(errOut, tt.want) {
				t.Errorf("stderr should be one line mentioning %q, got:\n%s", tt.want, errOut)
			}
		})
	}
}

func TestVerifyTakesFlagsFromEnvironment(t *testing.T) {
	vars := map[string]string{"KOOMOCK_TAGS": "@nosuchtag", "KOOMOCK_SEED": "42"}
	code, out, errOut := cli(t, vars, "verify")
	if code != exitOK || !strings.Contains(out, "0 scenarios") || !strings.Contains(out, "seed 42") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	// A flag on the command line wins over its environment variable.
	code, out, _ = cli(t, vars, "verify", "--seed", "7", "--tags", "@newInstance && ~@async")
	if code != exitOK || !strings.Contains(out, "seed 7") || !strings.Contains(out, "8 scenarios") {
		t.Fatalf("exit %d, flags did not override the environment:\n%s", code, out)
	}
}

// recordingSeller checks every callback with an independent implementation of the spec's formula
// (not koomock's protocol package) and then lets the reference seller answer.
type recordingSeller struct {
	mu     sync.Mutex
	checks []string
	next   http.Handler
}

func (s *recordingSeller) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	q := r.URL.Query()
	mac := func(msg string) string {
		m := hmac.New(sha256.New, []byte(fixtures.DemoAccessKey))
		m.Write([]byte(msg))
		return hex.EncodeToString(m.Sum(nil))
	}
	want := strings.ToUpper(mac(fixtures.DemoAccessKey + q.Get("nonce") + q.Get("timestamp") + mac(string(body))))
	s.mu.Lock()
	if q.Get("signature") == want {
		s.checks = append(s.checks, "ok")
	} else {
		s.checks = append(s.checks, "signature "+q.Get("signature")+" != "+want)
	}
	s.mu.Unlock()
	r.Body = io.NopCloser(bytes.NewReader(body))
	s.next.ServeHTTP(w, r)
}

func TestFireSignsAsTheSpecSays(t *testing.T) {
	rec := &recordingSeller{next: seller.New(seller.Config{AccessKey: fixtures.DemoAccessKey})}
	url := referenceSeller(t, rec)
	code, out, errOut := cli(t, nil, "fire", "newInstance", "--seller-url", url, "--set", "orderId=CS1")
	if code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	if len(rec.checks) != 1 || rec.checks[0] != "ok" {
		t.Fatalf("seller-side check of the spec formula: %v", rec.checks)
	}
	for _, want := range []string{`"orderId":"CS1"`, "string to sign  <key:", "ok   newInstance.instanceId"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, fixtures.DemoAccessKey) {
		t.Error("fire printed the access key")
	}
}

func TestFireExitCodes(t *testing.T) {
	broken, _ := sellertest.Lookup("no-instance-id")
	url := referenceSeller(t, broken.Handler(seller.Config{AccessKey: fixtures.DemoAccessKey}))
	if code, out, _ := cli(t, nil, "fire", "newInstance", "--seller-url", url); code != exitRule || !strings.Contains(out, "FAIL newInstance.instanceId") {
		t.Errorf("fire at a seller without instanceId: exit %d\n%s", code, out)
	}
	good := referenceSeller(t, nil)
	if code, out, _ := cli(t, nil, "fire", "newInstance", "--seller-url", good, "--probe", "stale-timestamp"); code != exitOK || !strings.Contains(out, "ok   probe.refused") {
		t.Errorf("stale probe at the reference seller: exit %d\n%s", code, out)
	}
	for _, args := range [][]string{
		{"fire"},
		{"fire", "newInstance"},
		{"fire", "noSuchActivity", "--seller-url", good},
		{"fire", "newInstance", "--seller-url", good, "--probe", "gremlins"},
		{"fire", "newInstance", "--seller-url", good, "--set", "novalue"},
	} {
		if code, _, errOut := cli(t, nil, args...); code != exitUsage || errOut == "" {
			t.Errorf("%v: exit %d, stderr %q; want a usage error", args, code, errOut)
		}
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := cli(t, nil, "version")
	if code != exitOK || !strings.HasPrefix(out, "koomock ") {
		t.Errorf("exit %d, %q", code, out)
	}
}

// TestRequireBodySignSwitch: V2 leaves Body-Sign optional by default (checked when present); the
// switch makes a seller without it fail.
func TestRequireBodySignSwitch(t *testing.T) {
	noSign := func(cfg seller.Config) http.Handler {
		ref := seller.New(cfg)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := httptest.NewRecorder()
			ref.ServeHTTP(rec, r)
			w.Header().Set("Content-Type", rec.Header().Get("Content-Type"))
			w.WriteHeader(rec.Code)
			w.Write(rec.Body.Bytes())
		})
	}
	api := serveWithSeller(t, noSign)
	if code, out, _ := cli(t, nil, "verify", "--mock-url", api.BaseURL, "--tags", "@newInstance"); code != exitOK {
		t.Fatalf("without the switch: exit %d\n%s", code, out)
	}
	api = serveWithSeller(t, noSign, "--require-body-sign")
	code, out, _ := cli(t, nil, "verify", "--mock-url", api.BaseURL, "--tags", "@newInstance")
	if code != exitRule || !strings.Contains(out, "answer.bodySign") || !strings.Contains(out, "no Body-Sign header") {
		t.Fatalf("with --require-body-sign: exit %d\n%s", code, out)
	}
}

// serveWithSeller runs koomock serve (with args) beside the seller handler makes, which is given
// koomock's URL and the demo keys, and returns koomock's control API.
func serveWithSeller(t *testing.T, handler func(seller.Config) http.Handler, args ...string) *controlapi.Client {
	t.Helper()
	return serveWithSellerEnv(t, nil, handler, args...)
}

// serveWithSellerEnv is serveWithSeller with environment variables for serve; a nil handler is the
// reference seller.
func serveWithSellerEnv(t *testing.T, vars map[string]string, handler func(seller.Config) http.Handler, args ...string) *controlapi.Client {
	t.Helper()
	if handler == nil {
		handler = func(cfg seller.Config) http.Handler { return seller.New(cfg) }
	}
	ref := httptest.NewUnstartedServer(nil)
	t.Cleanup(ref.Close)
	api, _, stop := startServeEnv(t, vars, append([]string{"--db", ":memory:", "--seller-url", "http://" + ref.Listener.Addr().String() + seller.ProducePath}, args...)...)
	t.Cleanup(func() { stop() })
	ref.Config.Handler = handler(seller.Config{AccessKey: fixtures.DemoAccessKey, MarketplaceURL: api.BaseURL, AK: fixtures.DemoAK, SK: fixtures.DemoSK})
	ref.Start()
	return api
}

// TestVerifyJudgesSampleShapedSellersAsKooGalleryDoes is the CLI half of issue 13's promise: a seller
// built like Huawei's official sample exits 0 with warnings naming what goes beyond KooGallery, exits
// 1 under --strict, and the sample as published fails for exactly its two real defects.
func TestVerifyJudgesSampleShapedSellersAsKooGalleryDoes(t *testing.T) {
	for _, v := range sellertest.SampleVariants {
		for _, strict := range []bool{false, true} {
			name := v.Name
			if strict {
				if len(v.Breaks) > 0 {
					continue
				}
				name += "/strict"
			}
			t.Run(name, func(t *testing.T) {
				addr := freeAddr(t)
				url := referenceSeller(t, v.Handler(seller.Config{AccessKey: fixtures.DemoAccessKey, Joint: seller.DemoJoint(nil),
					MarketplaceURL: "http://" + addr, AK: fixtures.DemoAK, SK: fixtures.DemoSK}))
				base := strings.TrimSuffix(url, seller.ProducePath)
				profile := v.Profile
				if profile == "" {
					profile = referenceProfile
				}
				args := []string{"verify", "--profile", profile, "--seller-url", url, "--access-key", fixtures.DemoAccessKey,
					"--mock-addr", addr, "--kit-key", fixtures.DemoKitKey,
					"--login-callback-url", base + seller.CallbackPath, "--seller-login-url", base + seller.LoginPath, "--seller-cas-login-url", base + seller.CASLoginPath}
				if strict {
					args = append(args, "--strict")
				}
				code, out, errOut := cli(t, nil, args...)
				want := exitOK
				if strict || len(v.Breaks) > 0 {
					want = exitRule
				}
				if code != want {
					t.Fatalf("exit %d, want %d\n%s\n%s", code, want, out, errOut)
				}
				for _, rule := range v.Warns {
					if !strict && !strings.Contains(out, "warn "+string(rule)) {
						t.Errorf("no warning naming %s:\n%s", rule, out)
					}
					if strict && !strings.Contains(out, "rule "+string(rule)) {
						t.Errorf("--strict does not fail %s:\n%s", rule, out)
					}
				}
				for _, rule := range v.Breaks {
					if !strings.Contains(out, "The seller broke: ") || !strings.Contains(out, string(rule)) {
						t.Errorf("output does not name broken rule %s:\n%s", rule, out)
					}
				}
			})
		}
	}
}

// TestStrictNeedsAStrictKoomock: koomock judges the exchanges, so verify --strict against a koomock
// serve started without --strict is refused instead of passing warnings silently.
func TestStrictNeedsAStrictKoomock(t *testing.T) {
	api := serveWithSeller(t, nil)
	code, _, errOut := cli(t, nil, "verify", "--mock-url", api.BaseURL, "--strict", "--tags", "@newInstance")
	if code != exitUsage || !strings.Contains(errOut, "serve --strict") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	api = serveWithSeller(t, nil, "--strict")
	if code, out, _ := cli(t, nil, "verify", "--mock-url", api.BaseURL, "--strict", "--tags", "@newInstance"); code != exitOK {
		t.Fatalf("a strict koomock: exit %d\n%s", code, out)
	}
}
