package readiness_test

import (
	"context"
	"strings"
	"testing"

	"github.com/koomock/koomock/i18n"
	"github.com/koomock/koomock/readiness"
)

// TestFindingsSpeakBothLanguages: a finding keeps its English message and renders in Chinese from its
// key, the seller's own values (the host, the port) as they are.
func TestFindingsSpeakBothLanguages(t *testing.T) {
	findings := readiness.Check(context.Background(), "http://10.0.0.7:8080/produce", readiness.Config{})
	if len(findings) != 3 {
		t.Fatalf("findings = %+v, want HTTPS, port and domain", findings)
	}
	want := []struct{ en, zh string }{
		{"http:// — KooGallery calls production interfaces over HTTPS only", "http:// — 云商店只通过 HTTPS 调用生产接口"},
		{"port 8080 — KooGallery calls port 443 only", "端口 8080 — 云商店只调用 443 端口"},
		{"10.0.0.7 is an IP address — KooGallery calls production interfaces by domain name only", "10.0.0.7 是 IP 地址 — 云商店只通过域名调用生产接口"},
	}
	zh := i18n.For(i18n.Chinese)
	for i, f := range findings {
		if f.Message != want[i].en || f.Key == "" {
			t.Errorf("finding %d = %q (key %q), want %q with a key", i, f.Message, f.Key, want[i].en)
		}
		if got := zh.Why(f.Verdict()); got != want[i].zh || strings.Contains(got, "KooGallery") {
			t.Errorf("finding %d in zh-CN = %q, want %q", i, got, want[i].zh)
		}
	}
}
