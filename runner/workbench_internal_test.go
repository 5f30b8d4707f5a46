package runner

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/i18n"
)

// TestRefusesFraming reads X-Frame-Options and CSP frame-ancestors as a browser does for a page the
// workbench at http://127.0.0.1:8080 frames.
func TestRefusesFraming(t *testing.T) {
	origin, _ := url.Parse("http://127.0.0.1:8080/workbench/")
	tests := []struct {
		name    string
		headers map[string]string
		refuses string // "" allowed, else a phrase of the reason
	}{
		{"nothing", nil, ""},
		{"XFO DENY", map[string]string{"X-Frame-Options": "DENY"}, "X-Frame-Options: DENY"},
		{"XFO sameorigin", map[string]string{"X-Frame-Options": "sameorigin"}, "SAMEORIGIN"},
		{"XFO ALLOWALL (not a standard value)", map[string]string{"X-Frame-Options": "ALLOWALL"}, ""},
		{"CSP none", map[string]string{"Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'"}, "frame-ancestors 'none'"},
		{"CSP self", map[string]string{"Content-Security-Policy": "frame-ancestors 'self'"}, "does not admit"},
		{"CSP star", map[string]string{"Content-Security-Policy": "frame-ancestors *"}, ""},
		{"CSP the origin", map[string]string{"Content-Security-Policy": "frame-ancestors 'self' http://127.0.0.1:8080"}, ""},
		{"CSP another port", map[string]string{"Content-Security-Policy": "frame-ancestors http://127.0.0.1:9090"}, "does not admit"},
		{"CSP any port", map[string]string{"Content-Security-Policy": "frame-ancestors 127.0.0.1:*"}, ""},
		{"CSP scheme", map[string]string{"Content-Security-Policy": "frame-ancestors http:"}, ""},
		{"CSP https only", map[string]string{"Content-Security-Policy": "frame-ancestors https:"}, "does not admit"},
		{"CSP wins over XFO", map[string]string{"X-Frame-Options": "DENY", "Content-Security-Policy": "frame-ancestors *"}, ""},
		{"CSP without frame-ancestors leaves XFO", map[string]string{"X-Frame-Options": "DENY", "Content-Security-Policy": "default-src 'self'"}, "DENY"},
	}
	for _, tt := range tests {
		h := http.Header{}
		for k, v := range tt.headers {
			h.Set(k, v)
		}
		got := refusesFraming(h, origin)
		if got != "" { // a phrase: read it as the verdict's English says it
			got = i18n.Verdict(koomock.RuleWorkbenchFraming, koomock.Fail, "verdict.workbenchFraming.fail", "/app", 200, got).Message
		}
		if (tt.refuses == "") != (got == "") || !strings.Contains(got, tt.refuses) {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.refuses)
		}
	}
	wildcard, _ := url.Parse("https://workbench.huaweicloud.com/")
	if got := refusesFraming(http.Header{"Content-Security-Policy": {"frame-ancestors https://*.huaweicloud.com"}}, wildcard); got != "" {
		t.Errorf("wildcard host: %q", got)
	}
}

// TestSameSite compares sites as browsers do: scheme and registrable domain, an IP address as itself.
func TestSameSite(t *testing.T) {
	u := func(s string) *url.URL { p, _ := url.Parse(s); return p }
	for _, tt := range []struct {
		a, b string
		same bool
	}{
		{"http://127.0.0.1:8080", "http://127.0.0.1:3000", true},
		{"http://localhost:8080", "http://localhost:3000", true},
		{"https://a.example.com", "https://b.example.com", true},
		{"https://workbench.huaweicloud.com", "https://app.seller.cn", false},
		{"http://10.0.0.1", "http://127.0.0.1", false},
		{"http://example.com", "https://example.com", false},
	} {
		if got := sameSite(u(tt.a), u(tt.b)); got != tt.same {
			t.Errorf("sameSite(%s, %s) = %v", tt.a, tt.b, got)
		}
	}
}

// TestFramingVerdictsSpeakChinese: the framing verdict and the reason inside it are rendered in the
// reader's language, the header as the seller sent it.
func TestFramingVerdictsSpeakChinese(t *testing.T) {
	origin, _ := url.Parse("http://127.0.0.1:8080/workbench/")
	why := refusesFraming(http.Header{"X-Frame-Options": {"DENY"}}, origin)
	v := i18n.Verdict(koomock.RuleWorkbenchFraming, koomock.Fail, "verdict.workbenchFraming.fail", "/app", 200, why)
	if want := "/app (HTTP 200) sends X-Frame-Options: DENY (the workbench is another origin): the browser shows an empty frame in the workbench instead of the app"; v.Message != want {
		t.Errorf("en = %q, want %q", v.Message, want)
	}
	zh := i18n.For(i18n.Chinese).Why(v)
	for _, s := range []string{"X-Frame-Options: DENY", "工作台是另一个源", "空白框架"} {
		if !strings.Contains(zh, s) {
			t.Errorf("zh-CN = %q, want %q in it", zh, s)
		}
	}
}
