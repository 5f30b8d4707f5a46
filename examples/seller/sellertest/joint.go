package sellertest

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/koomock/koomock/examples/seller"
	"github.com/koomock/koomock/protocol"
)

// ignoreKitSignature re-signs every kit sync correctly before the reference seller verifies it: the
// effect of a seller that skips the x-sign check.
func ignoreKitSignature(cfg seller.Config, next http.Handler) http.Handler {
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.URL.Path, protocol.KitPathPrefix) {
			next.ServeHTTP(w, r)
			return
		}
		body, _ := io.ReadAll(r.Body)
		if canonical, err := protocol.CanonicalJSON(body); err == nil {
			protocol.SignKit(cfg.Joint.KitKey, "NONCE", now(), canonical, cfg.Joint.InnerHMAC).Apply(r.Header)
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		next.ServeHTTP(w, r)
	})
}

// wrongOAEP decrypts clientSecret with SHA-1 while koomock encrypts with SHA-256.
func wrongOAEP(cfg *seller.Config) {
	cfg.Joint.OAEP = protocol.OAEPSHA1
}

// roundTrip adapts a function to http.RoundTripper.
type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// viaTransport breaks how the seller calls the identity provider, leaving everything else correct.
func viaTransport(broken func(next http.RoundTripper) http.RoundTripper) func(*seller.Config) {
	return func(cfg *seller.Config) {
		base := http.DefaultTransport
		if cfg.Joint.HTTPClient != nil && cfg.Joint.HTTPClient.Transport != nil {
			base = cfg.Joint.HTTPClient.Transport
		}
		cfg.Joint.HTTPClient = &http.Client{Transport: broken(base)}
	}
}

// hardCodedDomain sends every identity-provider call to koomock's root, the demo tenant's domain,
// as a seller that configured one domain instead of using tenantSync's domainName.
func hardCodedDomain(next http.RoundTripper) http.RoundTripper {
	return roundTrip(func(r *http.Request) (*http.Response, error) {
		if rest, ok := strings.CutPrefix(r.URL.Path, "/t/"); ok {
			if _, path, found := strings.Cut(rest, "/"); found {
				u := *r.URL
				u.Path, u.RawPath = "/"+path, ""
				r = r.Clone(r.Context())
				r.URL = &u
			}
		}
		return next.RoundTrip(r)
	})
}

// isGrant reports whether r is a token call with the given grant type, restoring its body.
func isGrant(r *http.Request, grant string) bool {
	if r.Body == nil || !strings.HasSuffix(r.URL.Path, "/oauth2/token") {
		return false
	}
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	return strings.Contains(string(body), "grant_type="+grant)
}

// noRefresh never lets a refresh_token grant out: the seller's session ends when the token expires.
func noRefresh(next http.RoundTripper) http.RoundTripper {
	return roundTrip(func(r *http.Request) (*http.Response, error) {
		if isGrant(r, "refresh_token") {
			return &http.Response{StatusCode: http.StatusServiceUnavailable, Body: io.NopCloser(strings.NewReader("refresh disabled")),
				Header: http.Header{}, Request: r}, nil
		}
		return next.RoundTrip(r)
	})
}

// redeemTwice sends every authorization-code redemption twice, as a seller retrying blindly, and
// keeps the first answer.
func redeemTwice(next http.RoundTripper) http.RoundTripper {
	return roundTrip(func(r *http.Request) (*http.Response, error) {
		if !isGrant(r, "authorization_code") {
			return next.RoundTrip(r)
		}
		body, _ := io.ReadAll(r.Body)
		first := r.Clone(r.Context())
		first.Body = io.NopCloser(bytes.NewReader(body))
		resp, err := next.RoundTrip(first)
		if err != nil {
			return resp, err
		}
		kept, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		again := r.Clone(r.Context())
		again.Body = io.NopCloser(bytes.NewReader(body))
		if second, err := next.RoundTrip(again); err == nil {
			io.Copy(io.Discard, second.Body)
			second.Body.Close()
		}
		resp.Body = io.NopCloser(bytes.NewReader(kept))
		return resp, nil
	})
}
