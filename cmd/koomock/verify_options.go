package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/mock/notify"
	"github.com/koomock/koomock/readiness"
	"github.com/koomock/koomock/runner"
)

// referenceSettings are the scenario settings (runner.Needs) the bundled reference seller meets with
// koomock's demo values; a setting joins this list when the reference seller implements what needs it.
var referenceSettings = []string{"kit-key", "seller-login-url", "seller-cas-login-url", "login-callback-url", "mock-addr", "license-client-cmd"}

// referenceProfile is what the bundled reference seller implements, the profile it is verified
// against unless --profile says otherwise: every product, charging mode and optional capability, so
// that `koomock verify` with no flags runs the whole suite.
const referenceProfile = "all,period,onetime,ondemand,package,trial,async,upgrade,changeCheck,bodySign,orderNotify"

// verifyExtras are verify's flags for profiles, own features, stepping through and readiness.
type verifyExtras struct {
	profile    string
	features   string
	onlyOwn    bool
	step       bool
	production bool
	sellerCA   string
}

func (x *verifyExtras) register(fs *flagSet) {
	fs.StringVar(&x.profile, "profile", "", "what the product is, comma-separated: saas|joint|license, charging modes period,onetime,ondemand,package,trial, capabilities async,upgrade,changeCheck,bodySign,orderNotify (default "+runner.DefaultProfile+")")
	fs.StringVar(&x.features, "features", "", "also play the .feature files in this `folder`, with koomock's steps (koomock steps lists them)")
	fs.BoolVar(&x.onlyOwn, "only-own", false, "play only the --features folder, not koomock's suite")
	fs.BoolVar(&x.step, "step", false, "pause before each step: Enter runs it, s skips the rest of the scenario, q quits (one scenario at a time)")
	fs.BoolVar(&x.production, "production", false, "fail the run when the seller URL is not ready for production (HTTPS on 443, domain name, TLS 1.2+, trusted certificate, answers within 5 s)")
	fs.StringVar(&x.sellerCA, "seller-ca", "", "trust the certificate authority in this PEM `file` for an HTTPS seller (a private CA in tests)")
}

// options turns the flags into runner options for what the run tests; fs answers which settings are
// configured. A koomock already running (--mock-url) has the seller call it back at its known address.
func (x *verifyExtras) options(fs *flagSet, what verifyTarget, pool *x509.CertPool) (runner.Options, error) {
	var o runner.Options
	bundled, running := what == targetBundled, what == targetRunning
	profile := x.profile
	if profile == "" && bundled {
		profile = referenceProfile
	}
	p, err := runner.ParseProfile(profile)
	if err != nil {
		return o, err
	}
	o.Profile = p
	o.Have = func(setting string) bool {
		if bundled && slices.Contains(referenceSettings, setting) {
			return true
		}
		if running && setting == "mock-addr" {
			return true // the seller was pointed at the running koomock
		}
		f := fs.Lookup(setting)
		return f != nil && f.Value.String() != "" && f.Value.String() != "false"
	}
	if x.onlyOwn && x.features == "" {
		return o, errors.New("--only-own needs --features DIR")
	}
	if x.features != "" {
		st, err := os.Stat(x.features)
		if err != nil || !st.IsDir() {
			return o, fmt.Errorf("--features %s: not a folder", x.features)
		}
		own := os.DirFS(x.features)
		if err := runner.CheckFeatures(own, x.features); err != nil {
			return o, err
		}
		o.OwnFeatures, o.OnlyOwn = own, x.onlyOwn
	}
	o.Step = x.step
	if !bundled || x.production {
		o.Readiness = &runner.ReadinessOptions{RootCAs: pool, Production: x.production}
	}
	return o, nil
}

// sellerClient returns the HTTP client koomock calls the seller with: KooGallery's (no redirects),
// trusting --seller-ca when given, and the pool it trusts (nil: the system's).
func (x *verifyExtras) sellerClient() (*http.Client, *x509.CertPool, error) {
	c := notify.NewHTTPClient()
	if x.sellerCA == "" {
		return c, nil, nil
	}
	pem, err := os.ReadFile(x.sellerCA)
	if err != nil {
		return nil, nil, fmt.Errorf("--seller-ca: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, nil, fmt.Errorf("--seller-ca %s holds no PEM certificate", x.sellerCA)
	}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	c.Transport = t
	return c, pool, nil
}

// checkSellerTLS fails fast, naming the problem, when koomock cannot call an HTTPS seller: a run of
// scenarios all failing on a certificate error would say nothing about the seller's rules.
func checkSellerTLS(ctx context.Context, sellerURL string, pool *x509.CertPool) error {
	if !strings.HasPrefix(sellerURL, "https://") {
		return nil
	}
	for _, f := range readiness.Check(ctx, sellerURL, readiness.Config{RootCAs: pool}) {
		if (f.Rule == readiness.RuleCert || f.Rule == readiness.RuleTLS) && f.Outcome == koomock.Fail {
			return fmt.Errorf("koomock cannot call the seller at %s: %s", sellerURL, f.Message)
		}
	}
	return nil
}

// repoPath is where dir is in the seller's repository, slash-separated, for the file properties of
// GitHub annotations: relative to workspace (GitHub's checkout, $GITHUB_WORKSPACE) when set, else to
// the working directory; "" when dir is empty or outside it, so that annotations name no file rather
// than a wrong one.
func repoPath(dir, workspace string) string {
	if dir == "" {
		return ""
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	if workspace == "" {
		if workspace, err = os.Getwd(); err != nil {
			return ""
		}
	}
	rel, err := filepath.Rel(workspace, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return ""
	}
	return filepath.ToSlash(rel)
}
