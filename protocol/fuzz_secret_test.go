package protocol_test

import (
	"crypto/rsa"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/protocol"
)

// FuzzVerifyKit: any x-sign, x-timestamp, x-nonce and body of a kit sync are checked without a panic;
// a body koomock signs (SignKit over its canonical form, either scheme) verifies, and the same
// headers with the signature changed do not. Seed corpus: testdata/fuzz/FuzzVerifyKit/.
func FuzzVerifyKit(f *testing.F) {
	now := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	ts := strconv.FormatInt(now.UnixMilli(), 10)
	f.Add("", "", "", []byte(nil), false)
	f.Add("00", ts, "n1", []byte(`{"tenantId":"t1","flag":1}`), false)
	f.Add("ZZ", "1e3", "", []byte(`{"a":[1,2,{"b":null}]}`), true)
	f.Add("ab", "-1", "nonce", []byte(`[1]`), true)
	f.Fuzz(func(t *testing.T, sig, timestamp, nonce string, body []byte, inner bool) {
		h := http.Header{}
		h.Set(protocol.HeaderKitSign, sig)
		h.Set(protocol.HeaderKitTimestamp, timestamp)
		h.Set(protocol.HeaderKitNonce, nonce)
		err := protocol.VerifyKit(fixtures.DemoKitKey, h, body, now, inner)
		if err == nil && sig == "" {
			t.Fatalf("a kit sync with no x-sign verified")
		}
		canonical, cerr := protocol.CanonicalJSON(body)
		if cerr != nil {
			if err == nil {
				t.Fatalf("a body that is not canonical JSON verified: %q", body)
			}
			return
		}
		if nonce == "" {
			nonce = "n"
		}
		s := protocol.SignKit(fixtures.DemoKitKey, nonce, now, canonical, inner)
		h = http.Header{}
		s.Apply(h)
		if err := protocol.VerifyKit(fixtures.DemoKitKey, h, body, now, inner); err != nil {
			t.Fatalf("a body koomock signed does not verify: %v (body %q)", err, body)
		}
		h.Set(protocol.HeaderKitSign, s.Signature[:len(s.Signature)-1]+string("10"[s.Signature[len(s.Signature)-1]&1]))
		if err := protocol.VerifyKit(fixtures.DemoKitKey, h, body, now, inner); err == nil {
			t.Fatalf("a changed signature verified (body %q)", body)
		}
	})
}

// FuzzParseRSAKeyPEM: any bytes given as the seller's public key (koomock's --seller-public-key, the
// only RSA material koomock reads from outside: it encrypts clientSecret and never decrypts) parse or
// fail without a panic; a key that parses is at least MinRSABits and encrypts. The same bytes as a
// private key (what the reference seller reads) parse or fail, and a key that parses decrypts what its
// own public half encrypted. Seed corpus: testdata/fuzz/FuzzParseRSAKeyPEM/.
func FuzzParseRSAKeyPEM(f *testing.F) {
	f.Add(fixtures.DemoSellerPublicKeyPEM)
	f.Add(fixtures.DemoSellerPrivateKeyPEM)
	f.Add([]byte("-----BEGIN RSA PUBLIC KEY-----\nMAA=\n-----END RSA PUBLIC KEY-----\n"))
	f.Add([]byte("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n"))
	f.Add([]byte("not a key"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if pub, err := protocol.ParseRSAPublicKeyPEM(data); err == nil {
			if pub.N.BitLen() < protocol.MinRSABits {
				t.Fatalf("a %d-bit key was accepted", pub.N.BitLen())
			}
			if _, err := protocol.EncryptClientSecret(pub, "secret", protocol.OAEPSHA256); err != nil {
				t.Fatalf("a public key koomock accepted does not encrypt: %v", err)
			}
		}
		priv, err := protocol.ParseRSAPrivateKeyPEM(data)
		if err != nil || priv.N.BitLen() < protocol.MinRSABits || priv.N.BitLen() > 4096 {
			return
		}
		roundTrip(t, priv, "client-secret", protocol.OAEPSHA256)
	})
}

// FuzzDecryptClientSecret: any clientSecret field, under each OAEP variant, decrypts or fails with an
// error under the demo seller key (what the reference seller does with a kit applicationSync), never
// panics; and any secret short enough for OAEP round-trips through EncryptClientSecret. Seed corpus:
// testdata/fuzz/FuzzDecryptClientSecret/.
func FuzzDecryptClientSecret(f *testing.F) {
	priv, err := protocol.ParseRSAPrivateKeyPEM(fixtures.DemoSellerPrivateKeyPEM)
	if err != nil {
		f.Fatal(err)
	}
	f.Add("", "", uint8(0))
	f.Add("AAAA", "s3cr3t", uint8(1))
	f.Add("not base64!", "长", uint8(2))
	f.Fuzz(func(t *testing.T, encrypted, secret string, variant uint8) {
		h := protocol.OAEPHashes[int(variant)%len(protocol.OAEPHashes)]
		if _, err := protocol.DecryptClientSecret(priv, encrypted, h); err == nil && encrypted == "" {
			t.Fatalf("an empty clientSecret decrypted")
		}
		if len(secret) <= priv.Size()-2*32-2 {
			roundTrip(t, priv, secret, h)
		}
	})
}

func roundTrip(t *testing.T, priv *rsa.PrivateKey, secret string, h protocol.OAEPHash) {
	t.Helper()
	enc, err := protocol.EncryptClientSecret(&priv.PublicKey, secret, h)
	if err != nil {
		t.Fatalf("encrypt %q (%s): %v", secret, h, err)
	}
	got, err := protocol.DecryptClientSecret(priv, enc, h)
	if err != nil || got != secret {
		t.Fatalf("round trip of %q (%s) gave %q, %v", secret, h, got, err)
	}
}
