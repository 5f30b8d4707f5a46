package console

import (
	"net/http"
	"strings"
	"testing"
)

func TestHeadersMaskCredentials(t *testing.T) {
	got := headers(http.Header{
		"Authorization":       {"Bearer eyJhbGciOi.secret.token"},
		"Proxy-Authorization": {"Basic dXNlcjpwYXNz"},
		"Cookie":              {"session=abc123"},
		"X-Sdk-Date":          {"20261127T080000Z"},
	})
	var lines []string
	for _, h := range got {
		lines = append(lines, h.Name+": "+h.Value)
	}
	want := []string{
		"Authorization: Bearer <key:23 chars>",
		"Cookie: <key:14 chars>",
		"Proxy-Authorization: Basic <key:12 chars>",
		"X-Sdk-Date: 20261127T080000Z",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("headers:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	// An AK/SK signature is no secret, and a seller debugging one needs to see it whole.
	aksk := "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=abc"
	if got := maskCredential("authorization", aksk); got != aksk {
		t.Errorf("AK/SK Authorization shown as %q", got)
	}
}

func TestSpanWritesDurationsAsPeopleDo(t *testing.T) {
	for in, want := range map[string]string{
		"360h0m0s": "15 days", "24h0m0s": "1 day", "3h0m0s": "3h", "1h30m0s": "1h30m", "10m0s": "10m",
		"5s": "5s", "1.5s": "1.5s", "2m30s": "2m30s", "0s": "0s", "soon": "soon",
	} {
		if got := span(in); got != want {
			t.Errorf("span(%q) = %q, want %q", in, got, want)
		}
	}
}
