package protocol_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"testing"

	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/protocol"
)

func demoKeys(t *testing.T) (*rsa.PublicKey, *rsa.PrivateKey) {
	t.Helper()
	pub, err := protocol.ParseRSAPublicKeyPEM(fixtures.DemoSellerPublicKeyPEM)
	if err != nil {
		t.Fatal(err)
	}
	priv, err := protocol.ParseRSAPrivateKeyPEM(fixtures.DemoSellerPrivateKeyPEM)
	if err != nil {
		t.Fatal(err)
	}
	if pub.N.BitLen() != 3072 || pub.N.Cmp(priv.N) != 0 {
		t.Fatalf("demo key pair: %d bits, halves match %v", pub.N.BitLen(), pub.N.Cmp(priv.N) == 0)
	}
	return pub, priv
}

func TestClientSecretRoundTrip3072(t *testing.T) {
	pub, priv := demoKeys(t)
	for _, h := range protocol.OAEPHashes {
		t.Run(string(h), func(t *testing.T) {
			ct, err := protocol.EncryptClientSecret(pub, "s3cret-中文", h)
			if err != nil {
				t.Fatal(err)
			}
			got, err := protocol.DecryptClientSecret(priv, ct, h)
			if err != nil || got != "s3cret-中文" {
				t.Fatalf("round trip = %q, %v", got, err)
			}
			// The digest is a real switch: any other variant fails to decrypt.
			for _, other := range protocol.OAEPHashes {
				if other == h {
					continue
				}
				if _, err := protocol.DecryptClientSecret(priv, ct, other); err == nil {
					t.Errorf("ciphertext made with %s decrypts with %s", h, other)
				}
			}
		})
	}
}

func TestRefusesKeysUnder3072Bits(t *testing.T) {
	small, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := protocol.EncryptClientSecret(&small.PublicKey, "x", protocol.OAEPSHA256); !errors.Is(err, protocol.ErrKeyTooSmall) {
		t.Errorf("encrypt with 2048 bits: %v", err)
	}
	der, _ := x509.MarshalPKIXPublicKey(&small.PublicKey)
	if _, err := protocol.ParseRSAPublicKeyPEM(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})); !errors.Is(err, protocol.ErrKeyTooSmall) {
		t.Errorf("parse 2048-bit key: %v", err)
	}
	pkcs1 := pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(&small.PublicKey)})
	if _, err := protocol.ParseRSAPublicKeyPEM(pkcs1); !errors.Is(err, protocol.ErrKeyTooSmall) {
		t.Errorf("parse 2048-bit PKCS #1 key: %v", err)
	}
	if _, err := protocol.ParseRSAPublicKeyPEM([]byte("not pem")); err == nil {
		t.Error("parsed garbage")
	}
}

func TestParseOAEPHash(t *testing.T) {
	if h, err := protocol.ParseOAEPHash(""); err != nil || h != protocol.OAEPSHA256 {
		t.Errorf(`ParseOAEPHash("") = %s, %v`, h, err)
	}
	if _, err := protocol.ParseOAEPHash("md5"); err == nil {
		t.Error("md5 accepted")
	}
}
