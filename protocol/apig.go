package protocol

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// API Gateway (APIG) App/AK-SK signing, "SDK-HMAC-SHA256", which guards every API a seller calls on
// KooGallery (spec saas-v2 §6.1, license-login §1.2). It follows Huawei's official Go SDK signer
// (huaweicloud-sdk-go-v3/core/auth/signer):
//
//	CanonicalRequest = METHOD \n CanonicalURI \n CanonicalQuery \n CanonicalHeaders \n SignedHeaders \n BodyHash
//	StringToSign     = "SDK-HMAC-SHA256" \n X-Sdk-Date \n lowerhex(SHA256(CanonicalRequest))
//	Signature        = lowerhex(HMAC_SHA256(SK, StringToSign))
//
// CanonicalURI escapes each path segment and always ends with "/"; CanonicalQuery sorts names and, per
// name, values, each escaped; CanonicalHeaders is "name:trimmed value\n" per signed header, in the
// order of SignedHeaders (lower-case, sorted); BodyHash is lowerhex(SHA256(body)) unless the request
// carries X-Sdk-Content-Sha256 (e.g. UNSIGNED-PAYLOAD), whose value is then used.

// APIG header and scheme names.
const (
	APIGAlgorithm        = "SDK-HMAC-SHA256"
	HeaderSdkDate        = "X-Sdk-Date"
	HeaderSdkContentHash = "X-Sdk-Content-Sha256"
	SdkDateFormat        = "20060102T150405Z"
)

// GatewayServer is the Server header of every answer of KooGallery's open APIs and identity provider:
// the value the public response header table of KooGallery's API reference gives (license-login §1.2,
// "Server (example Nginx)"). A seller should not depend on it; koomock sends it so that an answer looks
// like the gateway's, not like Go's.
const GatewayServer = "Nginx"

// APIGWindow is how far X-Sdk-Date may lie from the gateway's clock.
const APIGWindow = 15 * time.Minute

// Errors returned by VerifyAPIG.
var (
	ErrNoAuthorization  = errors.New("Authorization header missing")
	ErrBadAuthorization = errors.New("Authorization header is not SDK-HMAC-SHA256 Access=..., SignedHeaders=..., Signature=...")
	ErrNoSdkDate        = errors.New("X-Sdk-Date header missing or not yyyyMMddTHHmmssZ")
	ErrSdkDateSkew      = errors.New("X-Sdk-Date is more than 15 minutes away from the gateway's time")
	ErrUnknownAccessKey = errors.New("unknown access key ID")
	ErrAPIGMismatch     = errors.New("signature does not match")
	ErrUnsignedDate     = errors.New("SignedHeaders does not list x-sdk-date")
)

// APIGAuthorization is a parsed Authorization header.
type APIGAuthorization struct {
	AccessKey     string
	SignedHeaders []string
	Signature     string
}

// ParseAPIGAuthorization reads "SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;b, Signature=hex".
func ParseAPIGAuthorization(h string) (APIGAuthorization, error) {
	var a APIGAuthorization
	if strings.TrimSpace(h) == "" {
		return a, ErrNoAuthorization
	}
	rest, ok := strings.CutPrefix(strings.TrimSpace(h), APIGAlgorithm+" ")
	if !ok {
		return a, ErrBadAuthorization
	}
	for part := range strings.SplitSeq(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return a, ErrBadAuthorization
		}
		switch k {
		case "Access":
			a.AccessKey = v
		case "SignedHeaders":
			a.SignedHeaders = strings.Split(v, ";")
		case "Signature":
			a.Signature = v
		}
	}
	if a.AccessKey == "" || len(a.SignedHeaders) == 0 || a.Signature == "" {
		return a, ErrBadAuthorization
	}
	return a, nil
}

// APIGSignature holds every intermediate value of an APIG signature.
type APIGSignature struct {
	CanonicalRequest string
	StringToSign     string
	Signature        string
	SignedHeaders    []string
}

// APIGRequest is what the signature covers, independent of net/http so that both the client side
// (building a request) and the gateway side (receiving one) feed it the same way.
type APIGRequest struct {
	Method string
	// Path is the unescaped URL path.
	Path  string
	Query url.Values
	// Host is the Host header value (with port when the URL has one).
	Host   string
	Header http.Header
	Body   []byte
}

// FromHTTP describes an incoming or outgoing request for signing; body is its exact bytes.
func FromHTTP(r *http.Request, body []byte) APIGRequest {
	host := r.Host
	if host == "" && r.URL != nil {
		host = r.URL.Host
	}
	return APIGRequest{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Host: host, Header: r.Header, Body: body}
}

// SignAPIG computes the signature of req over signedHeaders (lower-case names) at the date in its
// X-Sdk-Date header.
func SignAPIG(sk string, req APIGRequest, signedHeaders []string) APIGSignature {
	return SignCanonicalAPIG(sk, req.Header.Get(HeaderSdkDate), CanonicalAPIGParts(req, signedHeaders))
}

// APIGCanonical is a canonical request in its six parts, so that diagnostics can change one part at a
// time to find the mistake a client made.
type APIGCanonical struct {
	Method, URI, Query, Headers, SignedHeaders, BodyHash string
}

// String joins the parts with newlines, as signed.
func (c APIGCanonical) String() string {
	return strings.Join([]string{c.Method, c.URI, c.Query, c.Headers, c.SignedHeaders, c.BodyHash}, "\n")
}

// CanonicalAPIGParts builds the canonical request of req over signedHeaders.
func CanonicalAPIGParts(req APIGRequest, signedHeaders []string) APIGCanonical {
	return APIGCanonical{
		Method:        req.Method,
		URI:           CanonicalAPIGURI(req.Path),
		Query:         CanonicalAPIGQuery(req.Query),
		Headers:       canonicalAPIGHeaders(req, signedHeaders),
		SignedHeaders: strings.Join(signedHeaders, ";"),
		BodyHash:      apigBodyHash(req),
	}
}

// CanonicalAPIGRequest builds the canonical request over signedHeaders.
func CanonicalAPIGRequest(req APIGRequest, signedHeaders []string) string {
	return CanonicalAPIGParts(req, signedHeaders).String()
}

// SignCanonicalAPIG signs a canonical request at date (the X-Sdk-Date value).
func SignCanonicalAPIG(sk, date string, c APIGCanonical) APIGSignature {
	cr := c.String()
	sts := APIGAlgorithm + "\n" + date + "\n" + HexSHA256([]byte(cr))
	return APIGSignature{CanonicalRequest: cr, StringToSign: sts, Signature: hexHMAC(sk, []byte(sts)), SignedHeaders: strings.Split(c.SignedHeaders, ";")}
}

// CanonicalAPIGURI escapes each segment of the unescaped path and ends it with "/".
func CanonicalAPIGURI(path string) string {
	segments := strings.Split(path, "/")
	for i, s := range segments {
		segments[i] = APIGEscape(s)
	}
	p := strings.Join(segments, "/")
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return p
}

// CanonicalAPIGQuery sorts names and each name's values, escaping both.
func CanonicalAPIGQuery(q url.Values) string {
	if len(q) == 0 {
		return ""
	}
	names := make([]string, 0, len(q))
	for k := range q {
		names = append(names, k)
	}
	slices.Sort(names)
	var parts []string
	for _, k := range names {
		values := slices.Clone(q[k])
		slices.Sort(values)
		for _, v := range values {
			parts = append(parts, APIGEscape(k)+"="+APIGEscape(v))
		}
	}
	return strings.Join(parts, "&")
}

func canonicalAPIGHeaders(req APIGRequest, signedHeaders []string) string {
	var b strings.Builder
	for _, name := range signedHeaders {
		values := req.Header.Values(name)
		if name == "host" {
			values = []string{req.Host}
		}
		values = slices.Clone(values)
		slices.Sort(values)
		for _, v := range values {
			b.WriteString(name)
			b.WriteByte(':')
			b.WriteString(strings.TrimSpace(v))
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func apigBodyHash(req APIGRequest) string {
	if v := req.Header.Get(HeaderSdkContentHash); v != "" {
		return v
	}
	return HexSHA256(req.Body)
}

// DefaultSignedHeaders is what Huawei's SDK signs: every header except Content-Type and names with
// "_", plus host, lower-cased and sorted.
func DefaultSignedHeaders(h http.Header) []string {
	names := []string{"host"}
	for k := range h {
		lk := strings.ToLower(k)
		if strings.HasPrefix(lk, "content-type") || strings.Contains(lk, "_") || lk == "authorization" || lk == "host" {
			continue
		}
		names = append(names, lk)
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// SignAPIGRequest signs an outgoing request in place as Huawei's SDK does: sets X-Sdk-Date (from at)
// and Authorization. It is koomock's own client signer, used by tests and reference clients.
func SignAPIGRequest(r *http.Request, body []byte, ak, sk string, at time.Time) APIGSignature {
	r.Header.Set(HeaderSdkDate, at.UTC().Format(SdkDateFormat))
	signed := DefaultSignedHeaders(r.Header)
	sig := SignAPIG(sk, FromHTTP(r, body), signed)
	r.Header.Set("Authorization", fmt.Sprintf("%s Access=%s, SignedHeaders=%s, Signature=%s",
		APIGAlgorithm, ak, strings.Join(signed, ";"), sig.Signature))
	return sig
}

// VerifyAPIG checks an APIG-signed request: the Authorization header, X-Sdk-Date within the window,
// the access key, and the signature over exactly the headers the caller lists. secretFor returns the
// SK of an access key ID (ok false when unknown). It returns the parsed header and, on a mismatch, the
// signature the gateway expected, for diagnostics.
func VerifyAPIG(req APIGRequest, now time.Time, secretFor func(ak string) (string, bool)) (APIGAuthorization, APIGSignature, error) {
	auth, err := ParseAPIGAuthorization(req.Header.Get("Authorization"))
	if err != nil {
		return auth, APIGSignature{}, err
	}
	date, err := time.Parse(SdkDateFormat, req.Header.Get(HeaderSdkDate))
	if err != nil {
		return auth, APIGSignature{}, ErrNoSdkDate
	}
	if !slices.Contains(auth.SignedHeaders, "x-sdk-date") {
		return auth, APIGSignature{}, ErrUnsignedDate
	}
	if now.Sub(date).Abs() > APIGWindow {
		return auth, APIGSignature{}, fmt.Errorf("%w (%s)", ErrSdkDateSkew, now.Sub(date).Round(time.Second))
	}
	sk, ok := secretFor(auth.AccessKey)
	if !ok {
		return auth, APIGSignature{}, ErrUnknownAccessKey
	}
	want := SignAPIG(sk, req, auth.SignedHeaders)
	// The gateway compares the signature as text: lower-case hex, exactly as computed.
	if subtle.ConstantTimeCompare([]byte(auth.Signature), []byte(want.Signature)) != 1 {
		return auth, want, ErrAPIGMismatch
	}
	return auth, want, nil
}

// APIGEscape percent-encodes everything but RFC 3986's unreserved characters, with upper-case hex, as
// the SDK does for canonical URIs and queries.
func APIGEscape(s string) string {
	clean := true
	for i := 0; i < len(s) && clean; i++ {
		clean = apigUnreserved(s[i])
	}
	if clean { // the usual case: nothing to build
		return s
	}
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if apigUnreserved(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}

func apigUnreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_' || c == '-' || c == '~' || c == '.'
}

// HexSHA256 is lowerhex(SHA256(b)), the body hash of a canonical request.
func HexSHA256(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
