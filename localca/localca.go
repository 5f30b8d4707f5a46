// Package localca is koomock's own certificate authority, for serving HTTPS under KooGallery's name.
//
// Software that hard-codes https://mkt.myhuaweicloud.com can be pointed at koomock with a hosts-file
// entry, but then it checks koomock's certificate. So koomock makes a CA once, keeps it in a
// directory (its data directory by default), and issues itself a server certificate for
// mkt.myhuaweicloud.com, localhost and whatever names it is reached by. A developer trusts the CA
// certificate once; server certificates come and go under it.
//
// The CA's key never leaves the directory (files 0600, directory 0700) and is never logged or served:
// only the CA certificate is public.
package localca

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// The files of a CA directory.
const (
	CertFile       = "ca.pem"     // the CA certificate: the one file to trust
	keyFile        = "ca-key.pem" // the CA's private key
	ServerCertFile = "server.pem" // the server certificate, then the CA certificate
	serverKeyFile  = "server-key.pem"
)

// Validity periods. The server certificate stays under the 398 days browsers and Apple platforms
// accept for a certificate from any CA, and is re-issued a month before it ends.
const (
	CAValidity     = 10 * 365 * 24 * time.Hour
	ServerValidity = 365 * 24 * time.Hour
	RenewBefore    = 30 * 24 * time.Hour
)

// DefaultNames are the names every server certificate covers: this machine, and the host name
// KooGallery's License 2.0 APIs are hard-coded with.
var DefaultNames = []string{"localhost", "127.0.0.1", "::1", "mkt.myhuaweicloud.com"}

// CA is a loaded (or just created) certificate authority.
type CA struct {
	dir  string // "" when the CA lives in memory only
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pem  []byte
}

// Load returns the CA kept in dir, creating the directory and the CA on first use. With dir "" it
// makes a new CA kept in memory only, gone when the process ends. now dates a new CA.
func Load(dir string, now func() time.Time) (*CA, error) {
	if dir == "" {
		return create(now())
	}
	certPEM, err := os.ReadFile(filepath.Join(dir, CertFile))
	if errors.Is(err, fs.ErrNotExist) {
		ca, err := create(now())
		if err != nil {
			return nil, err
		}
		ca.dir = dir
		if err := ca.save(); err != nil {
			return nil, err
		}
		return ca, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the CA certificate: %w", err)
	}
	keyPEM, err := os.ReadFile(filepath.Join(dir, keyFile))
	if err != nil {
		return nil, fmt.Errorf("read the CA key: %w", err)
	}
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return nil, fmt.Errorf("the CA in %s: %w", dir, err)
	}
	key, ok := pair.PrivateKey.(*ecdsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("the CA in %s: the key is not ECDSA", dir)
	}
	cert, err := x509.ParseCertificate(pair.Certificate[0])
	if err != nil {
		return nil, fmt.Errorf("the CA in %s: %w", dir, err)
	}
	if !cert.IsCA {
		return nil, fmt.Errorf("the certificate in %s is not a CA certificate", filepath.Join(dir, CertFile))
	}
	return &CA{dir: dir, cert: cert, key: key, pem: certPEM}, nil
}

func create(now time.Time) (*CA, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	serial, err := randomSerial()
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		// The serial in the name tells two developers' koomock CAs apart in a trust store.
		Subject:               pkix.Name{Organization: []string{"koomock"}, CommonName: "koomock local CA " + serial.Text(16)[:8]},
		NotBefore:             now.Add(-time.Hour), // a little slack for clocks behind this one
		NotAfter:              now.Add(CAValidity),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &CA{cert: cert, key: key, pem: pemBlock("CERTIFICATE", der)}, nil
}

// save writes the CA's files into its directory: the key 0600, so only the user reads it.
func (ca *CA) save() error {
	if err := os.MkdirAll(ca.dir, 0o700); err != nil {
		return fmt.Errorf("create the CA directory: %w", err)
	}
	keyDER, err := x509.MarshalECPrivateKey(ca.key)
	if err != nil {
		return err
	}
	// The key first: a certificate without its key would stop every later start.
	if err := writeFile(filepath.Join(ca.dir, keyFile), pemBlock("EC PRIVATE KEY", keyDER), 0o600); err != nil {
		return err
	}
	return writeFile(filepath.Join(ca.dir, CertFile), ca.pem, 0o644)
}

// CertPEM returns the CA certificate, PEM-encoded: what clients trust. Never the key.
func (ca *CA) CertPEM() []byte { return slices.Clone(ca.pem) }

// Path returns the file of the CA certificate, or "" for a CA kept in memory.
func (ca *CA) Path() string {
	if ca.dir == "" {
		return ""
	}
	return filepath.Join(ca.dir, CertFile)
}

// Fingerprint returns the SHA-256 of the CA certificate, in hex: how to tell one CA from another.
func (ca *CA) Fingerprint() string { return fingerprint(ca.cert.Raw) }

// FingerprintPEM returns the SHA-256 fingerprint, in hex, of the first certificate in pemData, as
// Fingerprint does for a CA.
func FingerprintPEM(pemData []byte) (string, error) {
	block, _ := pem.Decode(pemData)
	if block == nil || block.Type != "CERTIFICATE" {
		return "", errors.New("no PEM certificate")
	}
	return fingerprint(block.Bytes), nil
}

func fingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:])
}

// ServerCertificate returns a server certificate for names (host names or IP addresses; the order
// and repeats do not matter) issued by the CA. The one kept in the CA's directory is reused when it
// covers exactly these names, was issued by this CA and stays valid beyond RenewBefore; otherwise a
// new one is issued (and kept). issued tells which.
func (ca *CA) ServerCertificate(names []string, now func() time.Time) (cert tls.Certificate, issued bool, err error) {
	names = normalizeNames(names)
	if len(names) == 0 {
		return tls.Certificate{}, false, errors.New("a server certificate needs at least one name")
	}
	t := now()
	if ca.dir != "" {
		if kept, ok := ca.keptServerCertificate(names, t); ok {
			return kept, false, nil
		}
	}
	certPEM, keyPEM, err := ca.issue(names, t)
	if err != nil {
		return tls.Certificate{}, false, err
	}
	if ca.dir != "" {
		if err := writeFile(filepath.Join(ca.dir, serverKeyFile), keyPEM, 0o600); err != nil {
			return tls.Certificate{}, false, err
		}
		if err := writeFile(filepath.Join(ca.dir, ServerCertFile), certPEM, 0o644); err != nil {
			return tls.Certificate{}, false, err
		}
	}
	cert, err = tls.X509KeyPair(certPEM, keyPEM)
	return cert, true, err
}

// keptServerCertificate loads the server certificate in the directory if it still fits.
func (ca *CA) keptServerCertificate(names []string, now time.Time) (tls.Certificate, bool) {
	certPEM, err1 := os.ReadFile(filepath.Join(ca.dir, ServerCertFile))
	keyPEM, err2 := os.ReadFile(filepath.Join(ca.dir, serverKeyFile))
	if err1 != nil || err2 != nil {
		return tls.Certificate{}, false
	}
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return tls.Certificate{}, false
	}
	leaf := pair.Leaf
	if leaf == nil || leaf.CheckSignatureFrom(ca.cert) != nil || now.Before(leaf.NotBefore) ||
		now.Add(RenewBefore).After(leaf.NotAfter) || !slices.Equal(certNames(leaf), names) {
		return tls.Certificate{}, false
	}
	return pair, true
}

// issue makes a server certificate and its key, both PEM; the certificate is followed by the CA's,
// so a client holding only the CA gets the whole chain.
func (ca *CA) issue(names []string, now time.Time) (certPEM, keyPEM []byte, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	serial, err := randomSerial()
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{Organization: []string{"koomock"}, CommonName: names[0]},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(ServerValidity),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	for _, n := range names {
		if ip := net.ParseIP(n); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		return nil, nil, err
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return nil, nil, err
	}
	return append(pemBlock("CERTIFICATE", der), ca.pem...), pemBlock("EC PRIVATE KEY", keyDER), nil
}

// ServerConfig returns the TLS settings koomock serves with: cert, TLS 1.2 or later.
func ServerConfig(cert tls.Certificate) *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
}

// CertPool returns a pool holding only the CA certificates in pemData, for clients that trust
// koomock's CA and nothing else.
func CertPool(pemData []byte) (*x509.CertPool, error) {
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemData) {
		return nil, errors.New("no PEM certificate found")
	}
	return pool, nil
}

// normalizeNames lower-cases host names, writes IP addresses canonically (brackets dropped), drops
// empty names and repeats, and sorts: the form certNames returns, so the two compare.
func normalizeNames(names []string) []string {
	var out []string
	for _, n := range names {
		n = strings.ToLower(strings.Trim(strings.TrimSpace(n), "[]"))
		if ip := net.ParseIP(n); ip != nil {
			n = ip.String()
		}
		if n != "" {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func certNames(c *x509.Certificate) []string {
	names := slices.Clone(c.DNSNames)
	for _, ip := range c.IPAddresses {
		names = append(names, ip.String())
	}
	return normalizeNames(names)
}

// randomSerial is a 128-bit random serial number, as CAs must use (CA/Browser Forum: at least 64 bits
// of randomness), so two certificates of one CA never share one.
func randomSerial() (*big.Int, error) {
	return rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
}

func pemBlock(typ string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}

// writeFile replaces path with data by renaming a temporary file, so a crash leaves the old file or
// the new one, never half of one; perm is set before any byte of a key is written.
func writeFile(path string, data []byte, perm os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename, there is nothing left to remove
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
