package licenseclient

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"
)

// The markers of koomock's license client contract (docs/license-client.md): a line containing one
// of them, on standard output or error, tells `koomock verify --license-client-cmd` what the software
// decided without waiting for it to exit.
const (
	MarkerOK      = "KOOMOCK-LICENSE-OK"
	MarkerBlocked = "KOOMOCK-LICENSE-BLOCKED"
)

// Exit codes of the command.
const (
	ExitRunning = 0 // the license is valid: the software runs
	ExitUsage   = 2 // the command line or environment is incomplete
	ExitBlocked = 3 // the license is not valid: the software blocks the user
)

// Command is the reference client's command line. Its zero value uses the default HTTP transport;
// Transport lets tests put a broken one in.
type Command struct {
	Transport http.RoundTripper
}

// Main runs the reference client's command line with the default transport.
func Main(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	return Command{}.Run(ctx, args, getenv, stdout, stderr)
}

// trusting returns a transport that trusts the system's roots and the CA certificates in file: the
// real KooGallery still verifies, and so does koomock serving HTTPS under its name.
func trusting(file string) (http.RoundTripper, error) {
	pemData, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	roots, err := x509.SystemCertPool()
	if err != nil {
		roots = x509.NewCertPool()
	}
	if !roots.AppendCertsFromPEM(pemData) {
		return nil, fmt.Errorf("%s holds no PEM certificate", file)
	}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.TLSClientConfig = &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}
	return t, nil
}

// Run checks the license once (or, with --watch, at every interval until it is not valid), prints
// the decision with its marker and returns the exit code. Flags default to koomock's contract
// variables: KOOMOCK_URL, KOOMOCK_AK, KOOMOCK_SK, KOOMOCK_LICENSE_CODE, KOOMOCK_STATE_DIR, and
// KOOMOCK_CA_FILE, a CA to trust besides the system's when KOOMOCK_URL is koomock's HTTPS.
func (c Command) Run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("licenseclient", flag.ContinueOnError)
	fs.SetOutput(stderr)
	baseURL := fs.String("url", getenv("KOOMOCK_URL"), "KooGallery's base `URL` (koomock's, or https://mkt.myhuaweicloud.com) [KOOMOCK_URL]")
	ak := fs.String("ak", getenv("KOOMOCK_AK"), "the access key `ID` [KOOMOCK_AK]")
	sk := fs.String("sk", getenv("KOOMOCK_SK"), "the secret `key` [KOOMOCK_SK]")
	code := fs.String("license", getenv("KOOMOCK_LICENSE_CODE"), "the license `code` [KOOMOCK_LICENSE_CODE]")
	stateDir := fs.String("state-dir", getenv("KOOMOCK_STATE_DIR"), "where activations are remembered `dir` [KOOMOCK_STATE_DIR] (default: the user's config directory)")
	account := fs.String("account", "user", "the end user's `account`, for heartbeats and usage statistics")
	timeout := fs.Duration("timeout", DefaultTimeout, "how long to wait for KooGallery on each call")
	v2 := fs.Bool("v2", false, "use the batch (v2) activate and heartbeat APIs")
	caFile := fs.String("ca-file", getenv("KOOMOCK_CA_FILE"), "also trust the CA certificates in this PEM `file`, e.g. koomock's (koomock ca) for its HTTPS [KOOMOCK_CA_FILE]")
	watch := fs.Duration("watch", 0, "keep running and check again every `interval` (e.g. 24h) until the license is not valid")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitRunning
		}
		return ExitUsage
	}
	if *baseURL == "" || *ak == "" || *sk == "" || *code == "" {
		fmt.Fprintln(stderr, "licenseclient: need --url, --ak, --sk and --license (or KOOMOCK_URL, KOOMOCK_AK, KOOMOCK_SK, KOOMOCK_LICENSE_CODE)")
		return ExitUsage
	}
	if *stateDir == "" {
		if dir, err := os.UserConfigDir(); err == nil {
			*stateDir = filepath.Join(dir, "koomock-licenseclient")
		}
	}
	transport := c.Transport
	if *caFile != "" && transport == nil {
		var err error
		if transport, err = trusting(*caFile); err != nil {
			fmt.Fprintf(stderr, "licenseclient: --ca-file: %v\n", err)
			return ExitUsage
		}
	}
	client := New(Config{BaseURL: *baseURL, AK: *ak, SK: *sk, Code: *code, Account: *account, Timeout: *timeout, V2: *v2,
		HTTPClient: &http.Client{Transport: transport}})
	g := &Guard{Client: client, StateDir: *stateDir, ReportUsage: true}
	report := func(d Decision) {
		if d.Allowed {
			fmt.Fprintf(stdout, "%s %s\n", MarkerOK, d.Reason)
		} else {
			fmt.Fprintf(stdout, "%s %s\n", MarkerBlocked, d.Reason)
		}
	}
	var d Decision
	if *watch > 0 {
		t := time.NewTicker(*watch)
		defer t.Stop()
		d = g.Watch(ctx, t.C, report)
	} else {
		d = g.Check(ctx)
		report(d)
	}
	if !d.Allowed {
		return ExitBlocked
	}
	return ExitRunning
}
