package apig_test

import (
	"net/http"
	"strings"
	"testing"
	"unicode"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/i18n"
	"github.com/koomock/koomock/mock/apig"
)

// TestSignatureFailureSpeaksTheReadersLanguage: the gateway's refusal verdict, diagnosed or locked
// out, renders in Chinese for a zh-CN reader and in English as the journal keeps it, while the seller
// still gets APIG's own error body.
func TestSignatureFailureSpeaksTheReadersLanguage(t *testing.T) {
	f := newFixture(t)
	spoil := func(r *http.Request) {
		r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "Signature=", "Signature=0", 1))
	}
	check := func(what, englishPrefix, chinese string) {
		t.Helper()
		v, _ := f.journal.last().Verdict(koomock.RuleAPIGSignature)
		zh := i18n.For(i18n.Chinese).Why(v)
		if v.Outcome != koomock.Fail || !strings.HasPrefix(v.Message, englishPrefix) {
			t.Errorf("%s: verdict %+v", what, v)
		}
		if !strings.ContainsFunc(zh, func(r rune) bool { return unicode.Is(unicode.Han, r) }) || !strings.Contains(zh, "API 网关拒绝了这次调用（"+apig.CodeAuthFailed+"）："+chinese) {
			t.Errorf("%s: a zh-CN reader reads %q", what, zh)
		}
		if en := i18n.For(i18n.English).Why(v); en != v.Message {
			t.Errorf("%s: English renders %q, the journal keeps %q", what, en, v.Message)
		}
	}
	resp, e := f.call(t, spoil)
	if resp.StatusCode != 401 || e.Message != apig.MsgAuthFailed {
		t.Fatalf("HTTP %d %+v", resp.StatusCode, e)
	}
	check("a wrong signature", "API Gateway refused the call (APIG.0301): signature does not match; ", "签名不匹配；")
	for range apig.MaxFailures {
		f.call(t, spoil)
	}
	if _, e := f.call(t, nil); e.Message != apig.MsgAuthFailed {
		t.Fatalf("a call during the lockout: %+v", e)
	}
	check("a locked-out key", "API Gateway refused the call (APIG.0301): "+apig.ErrLocked.Error(), "连续 5 次签名失败")
}
