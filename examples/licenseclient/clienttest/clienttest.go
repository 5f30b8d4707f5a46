// Package clienttest provides deliberately broken variants of the reference license client, each
// doing one thing wrong, so that tests can prove koomock's license scenarios catch every broken client
// and name the rule it broke. Each variant is the reference client with a transport that changes only
// what its name says.
package clienttest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/examples/licenseclient"
	"github.com/koomock/koomock/protocol"
)

// Variant is one broken client.
type Variant struct {
	Name string
	// Rule is the rule the license scenarios must report as broken.
	Rule koomock.Rule
	// Broken says what the variant does wrong.
	Broken string
	wrap   func(next http.RoundTripper) http.RoundTripper
}

// Variants lists every broken client.
var Variants = []Variant{
	{Name: "never-heartbeats", Rule: koomock.RuleLicenseHeartbeat,
		Broken: "never queries the code's status; it assumes ALIVE", wrap: fakeHeartbeat},
	{Name: "ignores-expired", Rule: koomock.RuleLicenseBlocks,
		Broken: "queries the status but runs whatever it is", wrap: alwaysAlive},
	{Name: "wrong-signature", Rule: koomock.RuleAPIGSignature,
		Broken: "signs its calls wrongly (one character of the signature changed)", wrap: spoilSignature},
	{Name: "no-usage", Rule: koomock.RuleLicenseUsage,
		Broken: "never reports usage statistics", wrap: dropUsage},
	{Name: "no-timeout", Rule: koomock.RuleLicenseTimeout,
		Broken: "waits for KooGallery's answer however long it takes", wrap: ignoreDeadline},
}

// Run runs the broken client's command line, as licenseclient.Main does.
func (v Variant) Run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	return licenseclient.Command{Transport: v.wrap(http.DefaultTransport)}.Run(ctx, args, getenv, stdout, stderr)
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// fakeAnswer is an answer KooGallery never sent.
func fakeAnswer(r *http.Request, body string) *http.Response {
	return &http.Response{StatusCode: 200, Status: "200 OK", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{"Content-Type": {"application/json"}},
		Body:   io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body)), Request: r}
}

// fakeHeartbeat answers heartbeats itself, ALIVE, without asking KooGallery.
func fakeHeartbeat(next http.RoundTripper) http.RoundTripper {
	return roundTrip(func(r *http.Request) (*http.Response, error) {
		if !strings.HasSuffix(r.URL.Path, "/license/heartbeat") {
			return next.RoundTrip(r)
		}
		var req protocol.HeartbeatRequest
		if r.Body != nil {
			json.NewDecoder(r.Body).Decode(&req)
		}
		info, _ := json.Marshal(protocol.LicenseInfo{LicenseCode: req.License, Status: protocol.LicenseAlive,
			ActivateTime: "20260101000000", ExpireTime: "20991231000000"})
		return fakeAnswer(r, `{"error_code":"92020000","error_msg":"success","data":`+string(info)+`}`), nil
	})
}

// alwaysAlive rewrites every status in heartbeat answers to ALIVE.
func alwaysAlive(next http.RoundTripper) http.RoundTripper {
	return roundTrip(func(r *http.Request) (*http.Response, error) {
		resp, err := next.RoundTrip(r)
		if err != nil || !strings.HasSuffix(r.URL.Path, "/license/heartbeat") {
			return resp, err
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		for _, s := range []protocol.LicenseStatus{protocol.LicenseExpired, protocol.LicenseReleased, protocol.LicenseFrozen} {
			body = bytes.ReplaceAll(body, []byte(`"status":"`+s+`"`), []byte(`"status":"ALIVE"`))
		}
		resp.Body, resp.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
		resp.Header.Del("Content-Length")
		return resp, nil
	})
}

// spoilSignature changes the first character of the signature after signing.
func spoilSignature(next http.RoundTripper) http.RoundTripper {
	return roundTrip(func(r *http.Request) (*http.Response, error) {
		r = r.Clone(r.Context())
		auth := r.Header.Get("Authorization")
		if i := strings.Index(auth, "Signature="); i >= 0 && i+len("Signature=") < len(auth) {
			j := i + len("Signature=")
			flipped := byte('0')
			if auth[j] == '0' {
				flipped = '1'
			}
			r.Header.Set("Authorization", auth[:j]+string(flipped)+auth[j+1:])
		}
		return next.RoundTrip(r)
	})
}

// dropUsage answers usage reports itself, without sending them.
func dropUsage(next http.RoundTripper) http.RoundTripper {
	return roundTrip(func(r *http.Request) (*http.Response, error) {
		if strings.HasSuffix(r.URL.Path, "/software-usage-info") {
			return fakeAnswer(r, `{"error_code":"92020000","error_msg":"success","data":{"check_fail_license_list":[]}}`), nil
		}
		return next.RoundTrip(r)
	})
}

// ignoreDeadline sends every call on a context without the client's deadline.
func ignoreDeadline(next http.RoundTripper) http.RoundTripper {
	return roundTrip(func(r *http.Request) (*http.Response, error) {
		return next.RoundTrip(r.WithContext(context.WithoutCancel(r.Context())))
	})
}
