// Package i18n renders koomock's own texts (verdicts' messages, rule docs and fixes, reports, the
// banner, the console) in English or Simplified Chinese, with golang.org/x/text's message catalogs and
// plural rules. Each language's messages are JSON files in locales/TAG/, embedded and loaded into one
// catalog.Builder at start-up; the tests fail when a key lacks a translation in either language or
// no code uses it.
//
// A verdict carries its message key and arguments beside the English text (Verdict), so one journal
// serves readers of either language (Printer.Why) and readers older than the keys. KooGallery's wire
// texts (APIG error messages, OAuth error descriptions, license error_msg, CAS failures, result
// messages) are the protocol and are never translated: they do not pass through this package.
//
// The language of a command comes from --lang, KOOMOCK_LANG or the POSIX locale (FromEnv); the
// console's from its language cookie or Accept-Language (FromRequest).
package i18n
