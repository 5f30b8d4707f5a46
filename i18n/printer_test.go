package i18n_test

import (
	"encoding/json"
	"strings"
	"testing"

	"golang.org/x/text/language"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/i18n"
)

// TestOneVerdictServesBothLanguages stores a verdict as the journal does (JSON) and reads it back
// for an English and a Chinese reader.
func TestOneVerdictServesBothLanguages(t *testing.T) {
	v := i18n.VerdictAt(koomock.RuleDeadline, koomock.Warn, "", "verdict.deadline.close", "4.2s", "5s")
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var stored koomock.Verdict
	if err := json.Unmarshal(data, &stored); err != nil {
		t.Fatal(err)
	}
	if got, want := stored.Message, "answered in 4.2s, close to KooGallery's 5s limit"; got != want {
		t.Errorf("English text kept for old readers = %q, want %q", got, want)
	}
	if got, want := i18n.For(i18n.English).Why(stored), stored.Message; got != want {
		t.Errorf("en = %q, want %q", got, want)
	}
	if got, want := i18n.For(i18n.Chinese).Why(stored), "应答耗时 4.2s，接近云商店 5s 的时限"; got != want {
		t.Errorf("zh-CN = %q, want %q", got, want)
	}
}

// TestPhrasesAreRenderedInTheReadersLanguage checks an argument that is itself a message.
func TestPhrasesAreRenderedInTheReadersLanguage(t *testing.T) {
	v := i18n.Verdict(koomock.RuleRefused, koomock.Pass, "verdict.probe.refused", i18n.Phrase("probe.staleTimestamp", "10m0s"), "000001")
	if got, want := v.Message, "refused a callback with a timestamp 10m0s old with 000001"; got != want {
		t.Errorf("en = %q, want %q", got, want)
	}
	if got, want := i18n.For(i18n.Chinese).Why(v), "以 000001 拒绝了时间戳已过去 10m0s 的回调"; got != want {
		t.Errorf("zh-CN = %q, want %q", got, want)
	}
}

// TestPhrasesJoinedInOneArgument renders each phrase of an argument that joins several.
func TestPhrasesJoinedInOneArgument(t *testing.T) {
	joined := i18n.Phrase("probe.staleTimestamp", "10m0s") + "; " + i18n.Phrase("probe.staleTimestamp", "1h0m0s")
	v := i18n.Verdict(koomock.RuleRefused, koomock.Pass, "verdict.probe.refused", joined, "000001")
	if got, want := v.Message, "refused a callback with a timestamp 10m0s old; a callback with a timestamp 1h0m0s old with 000001"; got != want {
		t.Errorf("en = %q, want %q", got, want)
	}
	if got := i18n.For(i18n.Chinese).Why(v); strings.Contains(got, "{{") || strings.Contains(got, "timestamp") {
		t.Errorf("zh-CN = %q, want both phrases in Chinese", got)
	}
}

// TestOldVerdictsKeepTheirText reads a verdict of a journal written before keys, and one whose key this
// koomock does not know.
func TestOldVerdictsKeepTheirText(t *testing.T) {
	var old koomock.Verdict
	if err := json.Unmarshal([]byte(`{"rule":"answer.deadline","outcome":"pass","message":"answered in 3ms (limit 5s)"}`), &old); err != nil {
		t.Fatal(err)
	}
	newer := koomock.Verdict{Rule: "answer.deadline", Message: "from a newer koomock", Key: "verdict.fromTheFuture", Args: []string{"x"}}
	for _, p := range []*i18n.Printer{nil, i18n.For(i18n.Chinese)} {
		if got := p.Why(old); got != old.Message {
			t.Errorf("%s: old verdict = %q, want its message", p.Lang(), got)
		}
		if got := p.Why(newer); got != newer.Message {
			t.Errorf("%s: unknown key = %q, want its message", p.Lang(), got)
		}
	}
}

// TestPlural checks that a count selects its plural case in English and Chinese, stored as text.
func TestPlural(t *testing.T) {
	for _, c := range []struct {
		lang language.Tag
		n    any
		want string
	}{
		{i18n.English, 1, "1 scenario"},
		{i18n.English, 12345, "12345 scenarios"},
		{i18n.English, 3, "3 scenarios"},
		{i18n.Chinese, 3, "3 个场景"},
	} {
		if got := i18n.For(c.lang).T("count.scenarios", c.n); got != c.want {
			t.Errorf("%s %v: %q, want %q", c.lang, c.n, got, c.want)
		}
	}
}

// TestRuleTexts checks that a rule's doc and fix come from the registry in English and the catalog in
// Chinese.
func TestRuleTexts(t *testing.T) {
	info, _ := koomock.InfoOf(koomock.RuleTemplateDecoded)
	en := i18n.For(i18n.English)
	if en.Doc(info.Rule) != info.Doc || en.Fix(info.Rule) != info.Fix {
		t.Errorf("English = %q / %q, want the registry's %q / %q", en.Doc(info.Rule), en.Fix(info.Rule), info.Doc, info.Fix)
	}
	if got, want := i18n.For(i18n.Chinese).Fix(info.Rule), `这样包一层：jsondecode("\"${...internal_path}\"")`; got != want {
		t.Errorf("zh-CN fix = %q, want %q", got, want)
	}
	if got := en.Fix("no.such.rule"); got != "" {
		t.Errorf("unknown rule's fix = %q, want none", got)
	}
}

// TestLanguageOfACommand checks --lang, KOOMOCK_LANG and the POSIX locale, in that order.
func TestLanguageOfACommand(t *testing.T) {
	for _, c := range []struct {
		flag string
		env  map[string]string
		want string
	}{
		{"", nil, "en"},
		{"", map[string]string{"LANG": "zh_CN.UTF-8"}, "zh-CN"},
		{"", map[string]string{"LANG": "C.UTF-8"}, "en"},
		{"", map[string]string{"LANG": "zh_CN.UTF-8", "LC_ALL": "en_US.UTF-8"}, "en"},
		{"", map[string]string{"LANG": "en_US.UTF-8", "KOOMOCK_LANG": "zh"}, "zh-CN"},
		{"", map[string]string{"LANG": "zh_TW.UTF-8"}, "zh-CN"},
		{"", map[string]string{"LANG": "ja_JP.UTF-8"}, "en"},
		{"en", map[string]string{"KOOMOCK_LANG": "zh-CN"}, "en"},
		{"zh-CN", nil, "zh-CN"},
		{"nonsense!", map[string]string{"LANG": "zh_CN.UTF-8"}, "zh-CN"},
	} {
		got := i18n.FromEnv(c.flag, func(k string) string { return c.env[k] }).Lang()
		if got != c.want {
			t.Errorf("--lang %q %v: %s, want %s", c.flag, c.env, got, c.want)
		}
	}
}

// TestLanguageOfAPage checks the cookie first, then Accept-Language.
func TestLanguageOfAPage(t *testing.T) {
	for _, c := range []struct{ cookie, accept, want string }{
		{"", "", "en"},
		{"", "zh-CN,zh;q=0.9,en;q=0.8", "zh-CN"},
		{"", "en-US,en;q=0.9,zh-CN;q=0.5", "en"},
		{"", "ja,fr;q=0.8", "en"},
		{"", "fr,zh;q=0.5", "zh-CN"},
		{"en", "zh-CN", "en"},
		{"zh-CN", "en", "zh-CN"},
		{"garbage", "zh-CN", "zh-CN"},
	} {
		if got := i18n.FromRequest(c.cookie, c.accept).Lang(); got != c.want {
			t.Errorf("cookie %q, Accept-Language %q: %s, want %s", c.cookie, c.accept, got, c.want)
		}
	}
}
