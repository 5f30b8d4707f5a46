package diagnose

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/protocol"
)

// Names of the APIG mistakes diagnose recognises.
const (
	MistakeNoAuthorization  = "authorization-missing"
	MistakeBadAuthorization = "authorization-malformed"
	MistakeNoDate           = "sdk-date-missing"
	MistakeDateNotUTC       = "sdk-date-not-utc"
	MistakeDateSkew         = "sdk-date-skew"
	MistakeDateUnsigned     = "sdk-date-unsigned"
	MistakeSwappedAKSK      = "ak-sk-swapped"
	MistakeUnknownAK        = "unknown-ak"
	MistakeUpperHex         = "upper-case-hex"
	MistakeNoTrailingSlash  = "uri-without-trailing-slash"
	MistakeQueryUnsorted    = "query-unsorted"
	MistakeQueryUnencoded   = "query-unencoded"
	MistakeHostChanged      = "host-changed-in-transit"
	MistakeBodyReencoded    = "body-reencoded"
	MistakeBodyNotSigned    = "body-not-hashed"
)

// APIGInput is a request a seller signed for API Gateway, as it arrived.
type APIGInput struct {
	Request protocol.APIGRequest
	// RawQuery is the query string exactly as sent (its order matters for one mistake).
	RawQuery string
	// Now is the gateway's time.
	Now time.Time
	// AK and SK are the credentials koomock knows.
	AK, SK string
}

// APIG explains why an APIG-signed request failed verification. Call it only for requests that
// failed: for a correct one it returns a diagnosis without a mistake.
func APIG(in APIGInput) koomock.Diagnosis {
	d := koomock.Diagnosis{Scheme: "apig"}
	auth, err := protocol.ParseAPIGAuthorization(in.Request.Header.Get("Authorization"))
	switch {
	case errors.Is(err, protocol.ErrNoAuthorization):
		return mistake(d, MistakeNoAuthorization, "no Authorization header: sign the request with SDK-HMAC-SHA256 (Access=AK, SignedHeaders=..., Signature=...)")
	case err != nil:
		return mistake(d, MistakeBadAuthorization, `Authorization is not "SDK-HMAC-SHA256 Access=AK, SignedHeaders=h1;h2, Signature=hex"`)
	}
	date := in.Request.Header.Get(protocol.HeaderSdkDate)
	signedAt, err := time.Parse(protocol.SdkDateFormat, date)
	if err != nil {
		return mistake(d, MistakeNoDate, fmt.Sprintf("X-Sdk-Date %q is missing or not yyyyMMddTHHmmssZ in UTC", date))
	}
	if !contains(auth.SignedHeaders, "x-sdk-date") {
		return mistake(d, MistakeDateUnsigned, "SignedHeaders does not list x-sdk-date; API Gateway requires the date to be signed")
	}
	if skew := signedAt.Sub(in.Now); skew.Abs() > protocol.APIGWindow {
		if h, ok := wholeHours(skew); ok {
			return mistake(d, MistakeDateNotUTC, fmt.Sprintf(
				"X-Sdk-Date is %+dh off the gateway's clock: it looks like local time (UTC%+d) written with a Z; format the date in UTC", h, h))
		}
		return mistake(d, MistakeDateSkew, fmt.Sprintf("X-Sdk-Date is %s off the gateway's clock; it must be within 15 minutes", skew.Round(time.Second)))
	}
	if auth.AccessKey != in.AK {
		if auth.AccessKey == in.SK {
			d.Summary = "Access= carries the secret key and the signature was made with the access key ID: AK and SK are swapped"
			if sig := protocol.SignAPIG(in.AK, in.Request, auth.SignedHeaders); sig.Signature == auth.Signature {
				d.Summary = "AK and SK are swapped: Access= must be the access key ID, and the SK signs"
			}
			// Never echo the value of Access= here: it is the secret.
			d.Mistake = MistakeSwappedAKSK
			return d
		}
		return mistake(d, MistakeUnknownAK, fmt.Sprintf("Access=%s is not an access key koomock knows; koomock's AK is %s", auth.AccessKey, in.AK))
	}
	want := protocol.SignAPIG(in.SK, in.Request, auth.SignedHeaders)
	d.Expected = apigSteps(want)
	if auth.Signature == want.Signature {
		d.Summary = "the signature matches"
		return d
	}
	if strings.EqualFold(auth.Signature, want.Signature) {
		d.Mistake, d.Summary = MistakeUpperHex, "the signature is right but in upper-case hex; API Gateway compares lower-case hex"
		return d
	}
	base := protocol.CanonicalAPIGParts(in.Request, auth.SignedHeaders)
	for _, c := range apigCandidates(in, base) {
		sig := protocol.SignCanonicalAPIG(in.SK, date, c.canonical)
		if sig.Signature == strings.ToLower(auth.Signature) {
			d.Mistake, d.Summary, d.Matched = c.mistake, c.summary, apigSteps(sig)
			return d
		}
	}
	d.Summary = "the signature matches no known mistake: compare your canonical request and string to sign with koomock's, line by line"
	return d
}

type candidate struct {
	mistake, summary string
	canonical        protocol.APIGCanonical
}

// apigCandidates are the canonical requests a client would have built under each known mistake.
func apigCandidates(in APIGInput, base protocol.APIGCanonical) []candidate {
	var out []candidate
	add := func(m, summary string, edit func(*protocol.APIGCanonical)) {
		c := base
		edit(&c)
		if c != base {
			out = append(out, candidate{m, summary, c})
		}
	}
	add(MistakeNoTrailingSlash, "the canonical URI lacks its trailing slash: API Gateway signs "+base.URI, func(c *protocol.APIGCanonical) {
		c.URI = strings.TrimSuffix(c.URI, "/")
	})
	add(MistakeQueryUnsorted, "the canonical query is in the order sent, not sorted by name", func(c *protocol.APIGCanonical) {
		c.Query = rawQueryInOrder(in.RawQuery, true)
	})
	add(MistakeQueryUnencoded, "the canonical query values are not percent-encoded (RFC 3986, upper-case hex)", func(c *protocol.APIGCanonical) {
		c.Query = unencodedQuery(in.Request.Query)
	})
	for _, host := range hostVariants(in.Request.Host) {
		add(MistakeHostChanged, fmt.Sprintf("the signature covers Host %q, but the request arrived with Host %q: sign the host you send to (with or without its port, as sent)", host, in.Request.Host),
			func(c *protocol.APIGCanonical) {
				r := in.Request
				r.Host = host
				c.Headers = protocol.CanonicalAPIGParts(r, strings.Split(c.SignedHeaders, ";")).Headers
			})
	}
	for _, b := range reencodings(in.Request.Body) {
		add(MistakeBodyReencoded, "the body hash is of the body re-encoded ("+b.how+"), not of the exact bytes sent", func(c *protocol.APIGCanonical) {
			c.BodyHash = protocol.HexSHA256(b.body)
		})
	}
	if len(in.Request.Body) > 0 {
		add(MistakeBodyNotSigned, "the body hash is of an empty body: hash the exact bytes sent", func(c *protocol.APIGCanonical) {
			c.BodyHash = protocol.HexSHA256(nil)
		})
	}
	return out
}

func apigSteps(s protocol.APIGSignature) []koomock.Step {
	return []koomock.Step{
		{Name: "canonical request", Value: s.CanonicalRequest},
		{Name: "string to sign", Value: s.StringToSign},
		{Name: "signature", Value: s.Signature},
	}
}

func mistake(d koomock.Diagnosis, m, summary string) koomock.Diagnosis {
	d.Mistake, d.Summary = m, summary
	return d
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// wholeHours reports whether skew is a time-zone offset: a whole number of hours from 1 to 14, give
// or take the 15-minute window.
func wholeHours(skew time.Duration) (int, bool) {
	h := math.Round(skew.Hours())
	off := skew - time.Duration(h)*time.Hour
	return int(h), h != 0 && math.Abs(h) <= 14 && off.Abs() <= protocol.APIGWindow
}

// rawQueryInOrder re-encodes the query in the order it was sent, escaping as the gateway would.
func rawQueryInOrder(raw string, escape bool) string {
	var parts []string
	for p := range strings.SplitSeq(raw, "&") {
		if p == "" {
			continue
		}
		k, v, _ := strings.Cut(p, "=")
		dk, _ := url.QueryUnescape(k)
		dv, _ := url.QueryUnescape(v)
		if escape {
			dk, dv = protocol.APIGEscape(dk), protocol.APIGEscape(dv)
		}
		parts = append(parts, dk+"="+dv)
	}
	return strings.Join(parts, "&")
}

// unencodedQuery is the sorted query with values left decoded.
func unencodedQuery(q url.Values) string {
	canonical := protocol.CanonicalAPIGQuery(q)
	var parts []string
	for p := range strings.SplitSeq(canonical, "&") {
		if p == "" {
			continue
		}
		k, v, _ := strings.Cut(p, "=")
		dk, _ := url.PathUnescape(k)
		dv, _ := url.PathUnescape(v)
		parts = append(parts, dk+"="+dv)
	}
	return strings.Join(parts, "&")
}

// hostVariants are the Host values a client may have signed instead of the one received: without the
// port, or with the scheme's default ports.
func hostVariants(host string) []string {
	h, port, err := net.SplitHostPort(host)
	if err != nil {
		return []string{host + ":443", host + ":80"}
	}
	out := []string{h}
	if port != "443" {
		out = append(out, h+":443")
	}
	return out
}

type reencoding struct {
	how  string
	body []byte
}

// reencodings are the ways a client may have re-serialised a JSON body before hashing it.
func reencodings(body []byte) []reencoding {
	var v any
	if len(bytes.TrimSpace(body)) == 0 || json.Unmarshal(body, &v) != nil {
		return nil
	}
	var out []reencoding
	if compact, err := json.Marshal(v); err == nil {
		out = append(out, reencoding{"compact, keys sorted", compact})
	}
	if indented, err := json.MarshalIndent(v, "", "  "); err == nil {
		out = append(out, reencoding{"indented", indented})
	}
	if spaced, err := json.Marshal(v); err == nil {
		s := strings.NewReplacer(`":`, `": `, `,"`, `, "`).Replace(string(spaced))
		out = append(out, reencoding{`with spaces after ":" and ","`, []byte(s)})
	}
	trimmed := bytes.TrimSpace(body)
	if !bytes.Equal(trimmed, body) {
		out = append(out, reencoding{"with surrounding whitespace trimmed", trimmed})
	} else {
		out = append(out, reencoding{"with a trailing newline", append(bytes.Clone(body), '\n')})
	}
	return out
}
