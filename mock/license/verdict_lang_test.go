package license_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"unicode"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/i18n"
	"github.com/koomock/koomock/protocol"
)

// TestCallVerdictSpeaksTheReadersLanguage: a license call's verdict renders in Chinese for a zh-CN
// reader, with the error_msg KooGallery sends in it as it is and koomock's note in Chinese too, and in
// English as the journal keeps it.
func TestCallVerdictSpeaksTheReadersLanguage(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	lastCall := func() koomock.Verdict {
		t.Helper()
		list, err := e.api.Exchanges(ctx, koomock.ExchangeFilter{Direction: koomock.Inbound, Limit: 1})
		if err != nil || len(list) != 1 {
			t.Fatal(list, err)
		}
		v, ok := list[0].Verdict(koomock.RuleLicenseCall)
		if !ok {
			t.Fatalf("no %s verdict: %+v", koomock.RuleLicenseCall, list[0].Verdicts)
		}
		return v
	}
	zh := i18n.For(i18n.Chinese)

	e.call(activateV1, `{"license":"PLNOSUCHCODE"}`, nil).expect(t, 200, protocol.LicenseNotExist)
	v := lastCall()
	want := string(protocol.LicenseNotExist) + " " + protocol.LicenseNotExist.Message() + ": no license code PLNOSUCHCODE"
	if got := zh.Why(v); v.Message != want || !hasHan(got) || !strings.Contains(got, protocol.LicenseNotExist.Message()) || !strings.Contains(got, "没有授权码 PLNOSUCHCODE") {
		t.Errorf("an unknown code: English %q (want %q), Chinese %q", v.Message, want, got)
	}

	c := e.testCode()
	e.call(heartbeatV1, `{"license":"`+c.Code+`"}`, nil).expect(t, 200, protocol.LicenseNotActivated)
	v = lastCall()
	if got := zh.Why(v); !strings.HasSuffix(v.Message, ": "+c.Code+" has not been activated; activate it first") || !strings.Contains(got, c.Code+" 尚未激活：请先激活") {
		t.Errorf("a heartbeat before activation: English %q, Chinese %q", v.Message, got)
	}
	e.call(activateV1, `{"license":"`+c.Code+`"}`, nil).expect(t, 200, protocol.LicenseSuccess)
	e.call(activateV1, `{"license":"`+c.Code+`"}`, nil).expect(t, 200, protocol.LicenseIllegalState)
	v = lastCall()
	if got := zh.Why(v); !strings.Contains(v.Message, ": the code was already activated at ") || !strings.Contains(got, "授权码已于 ") {
		t.Errorf("activating twice: English %q, Chinese %q", v.Message, got)
	}

	r, _ := http.NewRequest(http.MethodGet, e.srv.URL()+activateV1, nil)
	protocol.SignAPIGRequest(r, nil, fixtures.DemoAK, fixtures.DemoSK, e.clk.Wall())
	e.do(r).expect(t, 405, protocol.LicenseMethodNotAllowed)
	v = lastCall()
	want = string(protocol.LicenseMethodNotAllowed) + " " + protocol.LicenseMethodNotAllowed.Message()
	if got := zh.Why(v); v.Message != want || !hasHan(got) || !strings.Contains(got, protocol.LicenseMethodNotAllowed.Message()) {
		t.Errorf("a GET: English %q (want %q), Chinese %q", v.Message, want, got)
	}
	if en := i18n.For(i18n.English).Why(v); en != v.Message {
		t.Errorf("English renders %q, the journal keeps %q", en, v.Message)
	}
}

func hasHan(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) })
}
