package apig

import (
	"fmt"
	"strings"
	"testing"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/i18n"
	"github.com/koomock/koomock/protocol"
)

// TestReasonsKeepTheErrorsEnglish: every refusal reason the catalog renders has, in English, exactly
// its error's text, so the verdict's English Message is what it was before reasons had keys, and a
// zh-CN reader reads it in Chinese.
func TestReasonsKeepTheErrorsEnglish(t *testing.T) {
	errs := []error{fmt.Errorf("%w (%s)", protocol.ErrSdkDateSkew, "1h0m0s")}
	for err := range reasons {
		errs = append(errs, err)
	}
	for _, err := range errs {
		v := i18n.Verdict(koomock.RuleAPIGSignature, koomock.Fail, "verdict.apig.fail", CodeAuthFailed, reason(err))
		if want := "API Gateway refused the call (APIG.0301): " + err.Error(); v.Message != want {
			t.Errorf("English %q, want %q", v.Message, want)
		}
		if zh := i18n.For(i18n.Chinese).Why(v); strings.Contains(zh, err.Error()) {
			t.Errorf("%v: a zh-CN reader reads the English reason: %q", err, zh)
		}
	}
}
