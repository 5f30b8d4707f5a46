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
	"github.com/koomock/koomock/i18n"
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
		return mistake(d, MistakeNoAuthorization, "diagnosis.apig.noAuthorization")
	case err != nil:
		return mistake(d, MistakeBadAuthorization, "diagnosis.apig.badAuthorization")
	}
	date := in.Request.Header.Get(protocol.HeaderSdkDate)
	signedAt, err := time.Parse(protocol.SdkDateFormat, date)
	if err != nil {
		return mistake(d, MistakeNoDate, "diagnosis.apig.noDate", date)
	}
	if !contains(auth.SignedHeaders, "x-sdk-date") {
		return mistake(d, MistakeDateUnsigned, "diagnosis.apig.dateUnsigned")
	}
	if skew := signedAt.Sub(in.Now); skew.Abs() > protocol.APIGWindow {
		if h, ok := wholeHours(skew); ok {
			return mistake(d, MistakeDateNotUTC, "diagnosis.apig.dateNotUTC", fmt.Sprintf("%+d", h))
		}
		return mistake(d, MistakeDateSkew, "diagnosis.apig.dateSkew", skew.Round(time.Second))
	}
	if auth.AccessKey != in.AK {
		if auth.AccessKey == in.SK {
			say(&d, "diagnosis.apig.secretAsAccess")
			if sig := protocol.SignAPIG(in.AK, in.Request, auth.SignedHeaders); sig.Signature == auth.Signature {
				say(&d, "diagnosis.apig.swapped")
			}
			// Never echo the value of Access= here: it is the secret.
			d.Mistake = MistakeSwappedAKSK
			return d
		}
		return mistake(d, MistakeUnknownAK, "diagnosis.apig.unknownAK", auth.AccessKey, in.AK)
	}
	want := protocol.SignAPIG(in.SK, in.Request, auth.SignedHeaders)
	d.Expected = apigSteps(want)
	if auth.Signature == want.Signature {
		say(&d, "diagnosis.matches")
		return d
	}
	if strings.EqualFold(auth.Signature, want.Signature) {
		d.Mistake = MistakeUpperHex
		say(&d, "diagnosis.apig.upperHex")
		return d
	}
	base := protocol.CanonicalAPIGParts(in.Request, auth.SignedHeaders)
	for _, c := range apigCandidates(in, base) {
		sig := protocol.SignCanonicalAPIG(in.SK, date, c.canonical)
		if sig.Signature == strings.ToLower(auth.Signature) {
			d.Mistake, d.Matched = c.mistake, apigSteps(sig)
			d.Summary, d.Key, d.Args = c.summary.English, c.summary.Key, c.summary.Args
			return d
		}
	}
	say(&d, "diagnosis.apig.other")
	return d
}

type candidate struct {
	mistake   string
	summary   i18n.Text
	canonical protocol.APIGCanonical
}

// apigCandidates are the canonical requests a client would have built under each known mistake.
func apigCandidates(in APIGInput, base protocol.APIGCanonical) []candidate {
	var out []candidate
	add := func(m string, summary i18n.Text, edit func(*protocol.APIGCanonical)) {
		c := base
		edit(&c)
		if c != base {
			out = append(out, candidate{m, summary, c})
		}
	}
	add(MistakeNoTrailingSlash, i18n.Say("diagnosis.apig.noTrailingSlash", base.URI), func(c *protocol.APIGCanonical) {
		c.URI = strings.TrimSuffix(c.URI, "/")
	})
	add(MistakeQueryUnsorted, i18n.Say("diagnosis.apig.queryUnsorted"), func(c *protocol.APIGCanonical) {
		c.Query = rawQueryInOrder(in.RawQuery, true)
	})
	add(MistakeQueryUnencoded, i18n.Say("diagnosis.apig.queryUnencoded"), func(c *protocol.APIGCanonical) {
		c.Query = unencodedQuery(in.Request.Query)
	})
	for _, host := range hostVariants(in.Request.Host) {
		add(MistakeHostChanged, i18n.Say("diagnosis.apig.hostChanged", host, in.Request.Host),
			func(c *protocol.APIGCanonical) {
				r := in.Request
				r.Host = host
				c.Headers = protocol.CanonicalAPIGParts(r, strings.Split(c.SignedHeaders, ";")).Headers
			})
	}
	for _, b := range reencodings(in.Request.Body) {
		add(MistakeBodyReencoded, i18n.Say("diagnosis.apig.bodyReencoded", b.how), func(c *protocol.APIGCanonical) {
			c.BodyHash = protocol.HexSHA256(b.body)
		})
	}
	if len(in.Request.Body) > 0 {
		add(MistakeBodyNotSigned, i18n.Say("diagnosis.apig.bodyNotSigned"), func(c *protocol.APIGCanonical) {
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

func mistake(d koomock.Diagnosis, m, key string, args ...any) koomock.Diagnosis {
	d.Mistake = m
	say(&d, key, args...)
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

// say sets the diagnosis's summary: the catalog's key with its arguments, and its English.
func say(d *koomock.Diagnosis, key string, args ...any) {
	s := i18n.Say(key, args...)
	d.Summary, d.Key, d.Args = s.English, s.Key, s.Args
}
