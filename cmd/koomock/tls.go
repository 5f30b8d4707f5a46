package main

import (
	"context"
	"fmt"
	"github.com/koomock/koomock/i18n"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/koomock/koomock/localca"
	"github.com/koomock/koomock/mock"
	"github.com/koomock/koomock/store"
)

// tlsFlags are serve's HTTPS settings, and the CA directory koomock ca shares with it.
type tlsFlags struct {
	addr  string
	dir   string
	hosts listFlag
}

func (f *tlsFlags) register(fs *flagSet) {
	fs.StringVar(&f.addr, "tls-addr", "", "also serve HTTPS on this `address` (e.g. 127.0.0.1:8443; 0.0.0.0:8443 in a container), with a certificate from koomock's local CA; empty: HTTP only")
	f.registerDir(fs)
	fs.Var(&f.hosts, "tls-host", "another `name` (host or IP) for the HTTPS certificate, besides localhost, 127.0.0.1, ::1, mkt.myhuaweicloud.com and the public URL's host; repeatable")
}

func (f *tlsFlags) registerDir(fs *flagSet) {
	fs.StringVar(&f.dir, "tls-dir", "", "the `directory` of koomock's local CA and HTTPS certificate (default: tls in your data directory; in memory with --db :memory:)")
}

// caDir is where the CA lives: --tls-dir, else tls beside the default database in the user's data
// directory, so one CA serves every project and is trusted once; "" (in memory) when the database is
// in memory too and no directory was named, so a throwaway koomock writes nothing.
func (f *tlsFlags) caDir(getenv func(string) string, db string) (string, error) {
	if f.dir != "" {
		return f.dir, nil
	}
	if db == store.Memory {
		return "", nil
	}
	dbPath, err := defaultDBPath(getenv)
	if err != nil {
		return "", fmt.Errorf("no directory for koomock's CA (HOME is not set): pass --tls-dir DIR")
	}
	return filepath.Join(filepath.Dir(dbPath), "tls"), nil
}

// config loads (or makes) the CA and a server certificate for the names koomock is reached by.
func (f *tlsFlags) config(getenv func(string) string, db, addr, publicURL string, wall func() time.Time) (mock.TLSConfig, *localca.CA, error) {
	if f.addr == "" {
		return mock.TLSConfig{}, nil, nil
	}
	dir, err := f.caDir(getenv, db)
	if err != nil {
		return mock.TLSConfig{}, nil, err
	}
	ca, err := localca.Load(dir, wall)
	if err != nil {
		return mock.TLSConfig{}, nil, err
	}
	cert, _, err := ca.ServerCertificate(f.names(addr, publicURL), wall)
	if err != nil {
		return mock.TLSConfig{}, nil, err
	}
	return mock.TLSConfig{Addr: f.addr, Certificate: cert, CA: ca.CertPEM()}, ca, nil
}

// names are the server certificate's names: the defaults, the public URL's host (or, without one, a
// specific listen host), the HTTPS listen host, and --tls-host.
func (f *tlsFlags) names(addr, publicURL string) []string {
	names := slices.Clone(localca.DefaultNames)
	if u, err := url.Parse(publicURL); err == nil && publicURL != "" {
		names = append(names, u.Hostname())
	} else if host, _, err := net.SplitHostPort(addr); err == nil && !everyInterface(host) {
		names = append(names, host)
	}
	if host, _, err := net.SplitHostPort(f.addr); err == nil && !everyInterface(host) {
		names = append(names, host)
	}
	return append(names, f.hosts...)
}

// tlsBanner tells where HTTPS is, which CA to trust, and how to send KooGallery's name to koomock.
func tlsBanner(t *i18n.Printer, srv *mock.Server, ca *localca.CA) []string {
	if ca == nil {
		return nil
	}
	caFile, trust := ca.Path(), "curl --cacert "+ca.Path()
	if caFile == "" {
		caFile = t.T("banner.caInMemory", srv.PublicURL()+"/_mock/ca.pem")
		trust = "curl --cacert koomock-ca.pem"
	}
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(srv.TLSURL(), "https://"))
	return []string{
		row(t, "banner.https", srv.TLSURL()),
		row(t, "banner.ca", caFile),
		row(t, "banner.asKooGallery", t.T("banner.hosts", trust+" https://mkt.myhuaweicloud.com:"+port+"/healthz")),
		more(t.T("banner.trustStore")),
	}
}

// runCA prints koomock's CA certificate, making the CA on first use: what a developer trusts once.
func runCA(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "ca", "ca [--tls-dir DIR] [--out FILE]")
	var tf tlsFlags
	tf.registerDir(fs)
	out := fs.String("out", "", "write the CA certificate to this `file` instead of standard output")
	if err := fs.parse(args); err != nil {
		return usageError(e, "ca", err)
	}
	if fs.NArg() > 0 {
		return usageError(e, "ca", fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	}
	dir, err := tf.caDir(e.getenv, "")
	if err != nil {
		return usageError(e, "ca", err)
	}
	ca, err := localca.Load(dir, time.Now)
	if err != nil {
		fmt.Fprintf(e.stderr, "koomock ca: %v\n", err)
		return exitUsage
	}
	if *out == "" {
		e.stdout.Write(ca.CertPEM())
		return exitOK
	}
	if err := os.WriteFile(*out, ca.CertPEM(), 0o644); err != nil {
		fmt.Fprintf(e.stderr, "koomock ca: %v\n", err)
		return exitUsage
	}
	fmt.Fprintf(e.stdout, "wrote %s: koomock's CA from %s, SHA-256 %s\n", *out, ca.Path(), ca.Fingerprint())
	return exitOK
}
