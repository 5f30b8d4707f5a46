package i18n_test

import (
	"fmt"
	"strings"
	"testing"
	"unicode"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/i18n"
)

// TestFormerlyEnglishOnlyVerdicts: the verdicts that were once stored without a key render in English
// exactly as they were written before (features and old journals read that text), and in Chinese for a
// zh-CN reader, with the embedded wire text (an error_msg, a result message) as it is.
func TestFormerlyEnglishOnlyVerdicts(t *testing.T) {
	wire := "The license code does not exist."
	for _, c := range []struct {
		key     string
		args    []any
		english string
	}{
		{"verdict.apig.fail", []any{"APIG.0301", "signature does not match"}, "API Gateway refused the call (APIG.0301): signature does not match"},
		{"verdict.apig.failDiagnosed", []any{"APIG.0301", "signature does not match", "the date is stale"}, "API Gateway refused the call (APIG.0301): signature does not match; the date is stale"},
		{"verdict.orderQuery.noOrder", []any{"CS1"}, "order CS1 does not exist"},
		{"verdict.orderQuery.noLine", []any{"CS1", "CS1-2", "CS1-1"}, "order CS1 has no order line CS1-2 (its line is CS1-1)"},
		{"verdict.usageSignature.fail", []any{"usage push signature does not match the body", "sorted keys"}, "usage push signature does not match the body: sorted keys"},
		{"verdict.usageRecords.refused", []any{"MKT.9001", wire}, "MKT.9001: " + wire},
		{"verdict.license.call", []any{"MKT.0000", "success"}, "MKT.0000 success"},
		{"verdict.license.callNote", []any{"MKT.0112", wire, "no license code X"}, "MKT.0112 " + wire + ": no license code X"},
		{"verdict.assets.refused", []any{wire}, "deployed-object: " + wire},
		{"verdict.request.noOperation", []any{"no operation in the document matches the request: GET /x"}, "no operation in the document matches the request: GET /x"},
		{"verdict.deploy.templateFinding", []any{"main.tf", 12, "the variable has no description"}, "main.tf:12: the variable has no description"},
		{"verdict.deploy.stepReport", []any{"exit status 3"}, "exit status 3"},
	} {
		v := i18n.Verdict(koomock.RuleRequestSchema, koomock.Fail, c.key, c.args...)
		if v.Message != c.english {
			t.Errorf("%s: English %q, want %q", c.key, v.Message, c.english)
		}
		zh := i18n.For(i18n.Chinese).Why(v)
		if !strings.ContainsFunc(zh, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
			t.Errorf("%s: a zh-CN reader reads %q", c.key, zh)
		}
		if last := fmt.Sprint(c.args[len(c.args)-1]); !strings.Contains(zh, last) {
			t.Errorf("%s: %q lost the argument %q", c.key, zh, last)
		}
	}
}

// TestTextPhraseRendersInTheReadersLanguage: a Text with a key, as a verdict's argument, renders in
// the reader's language and in English as its English; one whose arguments a phrase cannot hold is
// its English.
func TestTextPhraseRendersInTheReadersLanguage(t *testing.T) {
	step := i18n.Say("deployStep.bytes", "app.zip", 12345)
	v := i18n.Verdict(koomock.RuleDeployDownload, koomock.Fail, "verdict.deploy.stepReport", i18n.TextPhrase(step))
	if v.Message != step.English || v.Message != "app.zip: 12345 bytes" {
		t.Errorf("English %q, want %q", v.Message, step.English)
	}
	if zh := i18n.For(i18n.Chinese).Why(v); !strings.ContainsFunc(zh, func(r rune) bool { return unicode.Is(unicode.Han, r) }) || !strings.Contains(zh, "app.zip") {
		t.Errorf("a zh-CN reader reads %q", zh)
	}
	odd := i18n.Say("deployStep.bytes", "a|b.zip", 1)
	if got := i18n.TextPhrase(odd); got != odd.English {
		t.Errorf("a Text whose argument holds | became %q", got)
	}
}
