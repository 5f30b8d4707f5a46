package diagnose_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/koomock/koomock/diagnose"
	"github.com/koomock/koomock/protocol"
)

const (
	ak = "KOOMOCKDEMOAKEXAMPLE"
	sk = "koomockDemoSecretKeyForLocalTestsOnly000"
)

var now = time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)

func sha(b string) string { s := sha256.Sum256([]byte(b)); return hex.EncodeToString(s[:]) }

func hm(key, msg string) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))
}

// client is a hand-written signer, independent of package protocol, that can make each mistake.
type client struct {
	method, path, rawQuery, host, body, signedBody string
	date                                           time.Time
	uri, query, hostSigned                         string // overrides of the canonical parts
	key, access                                    string
	upper, unsignedDate, hashEmpty                 bool
}

func (c client) request() (protocol.APIGRequest, string) {
	date := c.date.Format("20060102T150405Z")
	uri := c.uri
	if uri == "" {
		uri = c.path + "/"
	}
	hostSigned := c.hostSigned
	if hostSigned == "" {
		hostSigned = c.host
	}
	signedHeaders, headers := "host;x-sdk-date", "host:"+hostSigned+"\nx-sdk-date:"+date+"\n"
	if c.unsignedDate {
		signedHeaders, headers = "host", "host:"+hostSigned+"\n"
	}
	signedBody := c.body
	if c.signedBody != "" {
		signedBody = c.signedBody
	}
	if c.hashEmpty {
		signedBody = ""
	}
	cr := strings.Join([]string{c.method, uri, c.query, headers, signedHeaders, sha(signedBody)}, "\n")
	sig := hm(c.key, "SDK-HMAC-SHA256\n"+date+"\n"+sha(cr))
	if c.upper {
		sig = strings.ToUpper(sig)
	}
	h := http.Header{}
	h.Set("X-Sdk-Date", date)
	h.Set("Authorization", "SDK-HMAC-SHA256 Access="+c.access+", SignedHeaders="+signedHeaders+", Signature="+sig)
	q, _ := url.ParseQuery(c.rawQuery)
	return protocol.APIGRequest{Method: c.method, Path: c.path, Query: q, Host: c.host, Header: h, Body: []byte(c.body)}, c.rawQuery
}

func base() client {
	return client{
		method: "GET", path: "/api/mkp-openapi-public/global/v1/order/query", rawQuery: "orderLineId=CS1-000001&orderId=CS1",
		query: "orderId=CS1&orderLineId=CS1-000001", host: "mkt.myhuaweicloud.com", date: now, key: sk, access: ak,
	}
}

func TestAPIGMistakesAreNamed(t *testing.T) {
	post := base()
	post.method, post.rawQuery, post.query = "POST", "", ""
	post.body = `{"license_list":["PL1","PL2"]}`
	tests := []struct {
		name string
		edit func(*client)
		want string
	}{
		{"correct", func(*client) {}, ""},
		{"upper-case hex", func(c *client) { c.upper = true }, diagnose.MistakeUpperHex},
		{"no trailing slash", func(c *client) { c.uri = c.path }, diagnose.MistakeNoTrailingSlash},
		{"query in the order sent", func(c *client) { c.query = "orderLineId=CS1-000001&orderId=CS1" }, diagnose.MistakeQueryUnsorted},
		{"query not encoded", func(c *client) {
			c.rawQuery, c.query = "orderId=CS+1%2F2", "orderId=CS 1/2"
		}, diagnose.MistakeQueryUnencoded},
		{"host signed without the port it arrived with", func(c *client) { c.host, c.hostSigned = "127.0.0.1:8080", "127.0.0.1" }, diagnose.MistakeHostChanged},
		{"host signed with a port it arrived without", func(c *client) { c.hostSigned = "mkt.myhuaweicloud.com:443" }, diagnose.MistakeHostChanged},
		{"local time written as UTC", func(c *client) { c.date = now.Add(8 * time.Hour) }, diagnose.MistakeDateNotUTC},
		{"date 20 minutes off", func(c *client) { c.date = now.Add(-20 * time.Minute) }, diagnose.MistakeDateSkew},
		{"date not signed", func(c *client) { c.unsignedDate = true }, diagnose.MistakeDateUnsigned},
		{"AK and SK swapped", func(c *client) { c.key, c.access = ak, sk }, diagnose.MistakeSwappedAKSK},
		{"unknown AK", func(c *client) { c.access = "SOMEOTHERAK000000000" }, diagnose.MistakeUnknownAK},
		{"wrong key", func(c *client) { c.key = "the-access-key-of-the-basic-interfaces" }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := base()
			tt.edit(&c)
			check(t, c, tt.want, tt.name == "wrong key")
		})
	}
	bodies := []struct {
		name string
		edit func(*client)
		want string
	}{
		{"correct POST", func(*client) {}, ""},
		{"body re-encoded with spaces", func(c *client) { c.signedBody = `{"license_list": ["PL1", "PL2"]}` }, diagnose.MistakeBodyReencoded},
		{"body re-encoded indented", func(c *client) { c.signedBody = "{\n  \"license_list\": [\n    \"PL1\",\n    \"PL2\"\n  ]\n}" }, diagnose.MistakeBodyReencoded},
		{"body not hashed", func(c *client) { c.hashEmpty = true }, diagnose.MistakeBodyNotSigned},
	}
	for _, tt := range bodies {
		t.Run(tt.name, func(t *testing.T) {
			c := post
			tt.edit(&c)
			check(t, c, tt.want, false)
		})
	}
}

func check(t *testing.T, c client, want string, unknown bool) {
	t.Helper()
	req, raw := c.request()
	_, _, verr := protocol.VerifyAPIG(req, now, func(id string) (string, bool) { return sk, id == ak })
	d := diagnose.APIG(diagnose.APIGInput{Request: req, RawQuery: raw, Now: now, AK: ak, SK: sk})
	if want == "" && !unknown {
		if verr != nil {
			t.Fatalf("a correct request failed: %v", verr)
		}
		if d.Mistake != "" {
			t.Errorf("a correct request was diagnosed: %+v", d)
		}
		return
	}
	if verr == nil {
		t.Fatal("the mistaken request verified")
	}
	if d.Mistake != want || d.Summary == "" {
		t.Errorf("mistake %q (%s), want %q", d.Mistake, d.Summary, want)
	}
	if unknown && len(d.Expected) == 0 {
		t.Errorf("an unrecognised mismatch must still show the expected values: %+v", d)
	}
	if b, _ := json.Marshal(d); strings.Contains(string(b), sk) {
		t.Errorf("the diagnosis reveals the SK: %s", b)
	}
}
