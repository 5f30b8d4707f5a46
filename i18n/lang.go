package i18n

import (
	"strings"

	"golang.org/x/text/language"
)

// matcher picks the nearest language koomock speaks for a browser's or a user's preferences.
var matcher = language.NewMatcher(supported)

// nearest returns the supported language nearest tag, English when none is near (a Japanese browser
// reads English, not Chinese).
func nearest(tag language.Tag) language.Tag {
	_, i, conf := matcher.Match(tag)
	if conf == language.No {
		return English
	}
	return supported[i]
}

// Parse reads a language as a user writes it: a BCP 47 tag (zh-CN, en), or a POSIX locale
// (zh_CN.UTF-8, en_US). It reports false for what names no language (C, POSIX, "", nonsense).
func Parse(s string) (language.Tag, bool) {
	s, _, _ = strings.Cut(s, ".") // zh_CN.UTF-8: the encoding is not the language
	s, _, _ = strings.Cut(s, "@") // de_DE@euro
	s = strings.ReplaceAll(strings.TrimSpace(s), "_", "-")
	if s == "" || strings.EqualFold(s, "C") || strings.EqualFold(s, "POSIX") {
		return English, false
	}
	tag, err := language.Parse(s)
	if err != nil {
		return English, false
	}
	return nearest(tag), true
}

// FromEnv chooses the language of a command: the --lang flag, else KOOMOCK_LANG, else the POSIX locale
// (LC_ALL, LC_MESSAGES, LANG, in that order, as the C library reads them), else English. A value that
// names no language is passed over.
func FromEnv(flag string, getenv func(string) string) *Printer {
	for _, s := range []string{flag, getenv("KOOMOCK_LANG"), getenv("LC_ALL"), getenv("LC_MESSAGES"), getenv("LANG")} {
		if tag, ok := Parse(s); ok {
			return For(tag)
		}
	}
	return For(English)
}

// FromRequest chooses the language of a page: the chosen value (the console's language cookie) when it
// names a language koomock speaks, else the best match of the Accept-Language header, else English.
func FromRequest(chosen, acceptLanguage string) *Printer {
	if tag, ok := Parse(chosen); ok {
		return For(tag)
	}
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return For(English)
	}
	_, i, conf := matcher.Match(tags...)
	if conf == language.No {
		return For(English)
	}
	return For(supported[i])
}
