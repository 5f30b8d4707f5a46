package main

import (
	"fmt"
	"strings"

	"github.com/koomock/koomock/i18n"
)

// langFlag is --lang: the language of what a command prints (the banner, the summary, the reports and
// the verdicts in them), en or zh-CN; also KOOMOCK_LANG, else the POSIX locale (LANG=zh_CN.UTF-8).
type langFlag struct{ value string }

func (l *langFlag) String() string { return l.value }

// Set accepts a language koomock speaks, as a tag (zh-CN) or a locale (zh_CN.UTF-8).
func (l *langFlag) Set(s string) error {
	if _, ok := i18n.Parse(s); !ok && s != "" {
		return fmt.Errorf("want en or zh-CN")
	}
	l.value = s
	return nil
}

func registerLang(fs *flagSet) *langFlag {
	l := &langFlag{}
	fs.Var(l, "lang", "`language` of the output: en or zh-CN (default: from LC_ALL, LC_MESSAGES or LANG, else en)")
	return l
}

// printer is the language chosen by --lang (or KOOMOCK_LANG), else by the POSIX locale.
func (l *langFlag) printer(e *env) *i18n.Printer { return i18n.FromEnv(l.value, e.getenv) }

// bannerLabel is the width of the banner's label column, in terminal cells.
const bannerLabel = 17

// row is one line of the banner: the label key in the printer's language, padded to the label column
// (a Chinese character takes two cells), then the value.
func row(t *i18n.Printer, key, value string) string {
	label := t.T(key)
	return "  " + label + strings.Repeat(" ", max(1, bannerLabel-i18n.Cells(label))) + value
}

// more is a continuation line of the banner, under the values.
func more(value string) string { return strings.Repeat(" ", 2+bannerLabel) + value }
