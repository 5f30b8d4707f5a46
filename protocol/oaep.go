package protocol

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	_ "crypto/sha1" // links the digests crypto.Hash names below
	_ "crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
)

// applicationSync's clientSecret is RSA-encrypted with the public key the seller uploaded with its app
// credentials (RSA ≥ 3072 bits, OAEP padding, base64 presumed), and the seller decrypts it with its
// private key (spec saas-v2 §5, license-login §2.1). The OAEP digest is not documented, so it is a
// setting.

// MinRSABits is the smallest seller key KooGallery accepts.
const MinRSABits = 3072

// OAEPHash names the digests of the OAEP padding.
type OAEPHash string

// The OAEP variants koomock can encrypt with.
const (
	// OAEPSHA256 is SHA-256 with MGF1-SHA-256 (RFC 8017's same-hash construction): koomock's default.
	OAEPSHA256 OAEPHash = "sha256"
	// OAEPSHA1 is SHA-1 with MGF1-SHA-1: Java's "RSA/ECB/OAEPPadding" and OAEPWithSHA-1AndMGF1Padding.
	OAEPSHA1 OAEPHash = "sha1"
	// OAEPSHA256MGF1SHA1 is SHA-256 with MGF1-SHA-1: what Java's "RSA/ECB/OAEPWithSHA-256AndMGF1Padding"
	// does unless given an OAEPParameterSpec.
	OAEPSHA256MGF1SHA1 OAEPHash = "sha256-mgf1-sha1"
)

// OAEPHashes lists the variants, the default first.
var OAEPHashes = []OAEPHash{OAEPSHA256, OAEPSHA1, OAEPSHA256MGF1SHA1}

// ErrKeyTooSmall refuses seller keys under MinRSABits.
var ErrKeyTooSmall = fmt.Errorf("RSA key is smaller than %d bits, the minimum KooGallery accepts", MinRSABits)

// ParseOAEPHash validates a variant name; "" is the default.
func ParseOAEPHash(s string) (OAEPHash, error) {
	if s == "" {
		return OAEPSHA256, nil
	}
	for _, h := range OAEPHashes {
		if string(h) == s {
			return h, nil
		}
	}
	return "", fmt.Errorf("OAEP hash %q: want sha256, sha1 or sha256-mgf1-sha1", s)
}

func (h OAEPHash) options() *rsa.OAEPOptions {
	switch h {
	case OAEPSHA1:
		return &rsa.OAEPOptions{Hash: crypto.SHA1, MGFHash: crypto.SHA1}
	case OAEPSHA256MGF1SHA1:
		return &rsa.OAEPOptions{Hash: crypto.SHA256, MGFHash: crypto.SHA1}
	}
	return &rsa.OAEPOptions{Hash: crypto.SHA256, MGFHash: crypto.SHA256}
}

// EncryptClientSecret encrypts secret for the seller: base64(RSA-OAEP(pub, secret)). Keys under
// MinRSABits are refused.
func EncryptClientSecret(pub *rsa.PublicKey, secret string, h OAEPHash) (string, error) {
	if pub == nil {
		return "", errors.New("no seller public key")
	}
	if pub.N.BitLen() < MinRSABits {
		return "", ErrKeyTooSmall
	}
	ct, err := rsa.EncryptOAEPWithOptions(rand.Reader, pub, []byte(secret), h.options())
	if err != nil {
		return "", fmt.Errorf("encrypt clientSecret: %w", err)
	}
	return base64.StdEncoding.EncodeToString(ct), nil
}

// DecryptClientSecret reverses EncryptClientSecret with the seller's private key.
func DecryptClientSecret(priv *rsa.PrivateKey, encrypted string, h OAEPHash) (string, error) {
	ct, err := base64.StdEncoding.DecodeString(encrypted)
	if err != nil {
		return "", fmt.Errorf("clientSecret is not base64: %w", err)
	}
	pt, err := priv.Decrypt(nil, ct, h.options())
	if err != nil {
		return "", fmt.Errorf("decrypt clientSecret: %w", err)
	}
	return string(pt), nil
}

// ParseRSAPublicKeyPEM reads a seller's public key: PEM "PUBLIC KEY" (PKIX), "RSA PUBLIC KEY"
// (PKCS #1) or a "CERTIFICATE", of at least MinRSABits.
func ParseRSAPublicKeyPEM(data []byte) (*rsa.PublicKey, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, errors.New("no PEM block in the public key file")
	}
	var key any
	var err error
	switch block.Type {
	case "PUBLIC KEY":
		key, err = x509.ParsePKIXPublicKey(block.Bytes)
	case "RSA PUBLIC KEY":
		key, err = x509.ParsePKCS1PublicKey(block.Bytes)
	case "CERTIFICATE":
		var cert *x509.Certificate
		if cert, err = x509.ParseCertificate(block.Bytes); err == nil {
			key = cert.PublicKey
		}
	default:
		return nil, fmt.Errorf("PEM block %q is not a public key", block.Type)
	}
	if err != nil {
		return nil, fmt.Errorf("parse public key: %w", err)
	}
	pub, ok := key.(*rsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("the public key is a %T, not RSA", key)
	}
	if pub.N.BitLen() < MinRSABits {
		return nil, fmt.Errorf("%w (this one has %d)", ErrKeyTooSmall, pub.N.BitLen())
	}
	return pub, nil
}

// ParseRSAPrivateKeyPEM reads a seller's private key: PEM "PRIVATE KEY" (PKCS #8) or "RSA PRIVATE KEY"
// (PKCS #1).
func ParseRSAPrivateKeyPEM(data []byte) (*rsa.PrivateKey, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, errors.New("no PEM block in the private key file")
	}
	switch block.Type {
	case "PRIVATE KEY":
		key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("parse private key: %w", err)
		}
		priv, ok := key.(*rsa.PrivateKey)
		if !ok {
			return nil, fmt.Errorf("the private key is a %T, not RSA", key)
		}
		return priv, nil
	case "RSA PRIVATE KEY":
		priv, err := x509.ParsePKCS1PrivateKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("parse private key: %w", err)
		}
		return priv, nil
	}
	return nil, fmt.Errorf("PEM block %q is not a private key", block.Type)
}
