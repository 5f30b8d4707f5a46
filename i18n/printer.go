package i18n

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/koomock/koomock"
)

// Printer renders koomock's messages in one language. A nil *Printer renders English, so code that
// was handed no language still speaks.
type Printer struct {
	tag language.Tag
	p   *message.Printer
}

// printers are made once per language: a Printer only reads the catalog.
var printers = func() map[language.Tag]*Printer {
	m := map[language.Tag]*Printer{}
	for _, tag := range supported {
		m[tag] = &Printer{tag: tag, p: message.NewPrinter(tag, message.Catalog(books.cat))}
	}
	return m
}()

// For returns the printer of tag, matched to the nearest language koomock speaks (English when none
// is near).
func For(tag language.Tag) *Printer {
	if p, ok := printers[tag]; ok {
		return p
	}
	return printers[nearest(tag)]
}

// Tag returns the printer's language: en or zh-CN.
func (p *Printer) Tag() language.Tag {
	if p == nil {
		return English
	}
	return p.tag
}

// Lang returns the printer's language as an HTML lang attribute and a cookie value: en or zh-CN.
func (p *Printer) Lang() string { return p.Tag().String() }

// T renders the message key with its arguments. A key the catalog lacks is printed as it is, which
// the package's tests make impossible for the keys koomock's code uses.
func (p *Printer) T(key string, args ...any) string {
	if p == nil {
		p = printers[English]
	}
	return p.p.Sprintf(key, textArgs(args)...)
}

// textArgs makes numbers text, as a verdict's arguments are: x/text would print 12345 as "12,345",
// which is wrong for an exchange number or a seed; as text they still select their plural case. The
// catalog prints every argument with %s or %q.
func textArgs(args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		switch a.(type) {
		case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
			out[i] = arg(fmt.Sprint(a))
		default:
			out[i] = a
		}
	}
	return out
}

// Has reports whether the catalog has key in the printer's language.
func (p *Printer) Has(key string) bool { return books.keys[p.Tag()][key] }

// Why renders a verdict's message in the printer's language: from its key and arguments when the
// catalog knows the key, else (a journal written before verdicts had keys, or by a newer koomock) the
// English text the journal kept.
func (p *Printer) Why(v koomock.Verdict) string {
	if v.Key == "" || !books.keys[English][v.Key] {
		return v.Message
	}
	return p.T(v.Key, p.argsOf(v.Args)...)
}

// Doc renders a rule's one-sentence doc; "" for a rule the registry does not know.
func (p *Printer) Doc(r koomock.Rule) string {
	if !books.keys[English][DocKey(r)] {
		return ""
	}
	return p.T(DocKey(r))
}

// Fix renders a rule's one-line fix; "" for a rule the registry does not know.
func (p *Printer) Fix(r koomock.Rule) string {
	if !books.keys[English][FixKey(r)] {
		return ""
	}
	return p.T(FixKey(r))
}

// Verdict makes a verdict whose message is the catalog's key with its arguments: the journal keeps the
// key, the arguments (as text) and the English rendering, so an old reader shows the English and a
// new one renders it in its reader's language.
func Verdict(rule koomock.Rule, outcome koomock.Outcome, key string, args ...any) koomock.Verdict {
	texts := make([]string, len(args))
	for i, a := range args {
		texts[i] = fmt.Sprint(a)
	}
	return koomock.Verdict{Rule: rule, Outcome: outcome, Key: key, Args: texts,
		Message: printers[English].T(key, printers[English].argsOf(texts)...)}
}

// arg is a verdict's argument as the journal keeps it, text; a number still selects its plural case.
type arg string

// PluralForm implements plural.Interface: an argument that reads as a whole number counts as one.
func (a arg) PluralForm(t language.Tag, _ int) (plural.Form, int) {
	n, err := strconv.Atoi(string(a))
	if err != nil || n < 0 {
		return plural.Other, -1
	}
	return plural.Cardinal.MatchPlural(t, n, 0, 0, 0, 0), n
}

// Phrase makes an argument of a verdict that is itself a message of the catalog (what a probe sent, what
// a result code means), so that it too is rendered in the reader's language. The journal keeps it as
// text: {{key|arg|arg}}.
func Phrase(key string, args ...any) string {
	var b strings.Builder
	b.WriteString(phraseOpen + key)
	for _, a := range args {
		b.WriteString(phraseSep + fmt.Sprint(a))
	}
	return b.String() + phraseClose
}

const (
	phraseOpen  = "{{"
	phraseSep   = "|"
	phraseClose = "}}"
)

// argsOf makes a verdict's arguments printable: phrases rendered in the printer's language, the rest
// as the text they are.
func (p *Printer) argsOf(texts []string) []any {
	out := make([]any, len(texts))
	for i, s := range texts {
		out[i] = arg(p.phrase(s))
	}
	return out
}

// embedded finds the phrases inside a longer argument (several joined by "; "); their arguments have
// no braces.
var embedded = regexp.MustCompile(`\{\{[^{}]+\}\}`)

// phrase renders s when it is a phrase whose key the catalog knows, or each such phrase in it, and
// returns the rest as it is.
func (p *Printer) phrase(s string) string {
	inner, ok := strings.CutPrefix(s, phraseOpen)
	if ok {
		inner, ok = strings.CutSuffix(inner, phraseClose)
	}
	if !ok || strings.Contains(inner, phraseClose) {
		if !strings.Contains(s, phraseOpen) {
			return s
		}
		return embedded.ReplaceAllStringFunc(s, func(m string) string { return p.one(m[len(phraseOpen):len(m)-len(phraseClose)], m) })
	}
	return p.one(inner, s)
}

// one renders the phrase whose inside is inner (key|arg|arg), or returns s when the catalog does not
// know its key.
func (p *Printer) one(inner, s string) string {
	parts := strings.Split(inner, phraseSep)
	if !books.keys[English][parts[0]] {
		return s
	}
	args := make([]any, len(parts)-1)
	for i, a := range parts[1:] {
		args[i] = arg(a)
	}
	return p.T(parts[0], args...)
}

// VerdictAt is Verdict about the part of the answer at pointer (RFC 6901).
func VerdictAt(rule koomock.Rule, outcome koomock.Outcome, pointer, key string, args ...any) koomock.Verdict {
	v := Verdict(rule, outcome, key, args...)
	v.Pointer = pointer
	return v
}

// Judge gives the exchange a verdict made by Verdict, settled by the exchange's policy.
func Judge(e *koomock.Exchange, rule koomock.Rule, outcome koomock.Outcome, key string, args ...any) {
	e.Record(Verdict(rule, outcome, key, args...))
}

// Text is one of koomock's texts outside a verdict (why a scenario was skipped): the English text,
// and the key and arguments a reader in another language renders.
type Text struct {
	English string
	Key     string
	Args    []string
}

// Say makes a Text of the catalog's key with its arguments.
func Say(key string, args ...any) Text {
	v := Verdict("", "", key, args...)
	return Text{English: v.Message, Key: v.Key, Args: v.Args}
}

// Say renders a Text in the printer's language (its English when the catalog does not know its key).
func (p *Printer) Say(s Text) string {
	return p.Why(koomock.Verdict{Message: s.English, Key: s.Key, Args: s.Args})
}

// Diagnosis renders a diagnosis's summary in the printer's language (its English Summary when it has
// no key the catalog knows).
func (p *Printer) Diagnosis(d koomock.Diagnosis) string {
	return p.Why(koomock.Verdict{Message: d.Summary, Key: d.Key, Args: d.Args})
}

// DiagnosisPhrase is a diagnosis's summary as an argument of a verdict: a phrase, rendered in the
// reader's language, when it has a key and arguments a phrase can hold; else its English.
func DiagnosisPhrase(d koomock.Diagnosis) string {
	return TextPhrase(Text{English: d.Summary, Key: d.Key, Args: d.Args})
}

// TextPhrase is a Text (a template finding's message, a deployment step's detail) as an argument of a
// verdict: a phrase, rendered in the reader's language, when it has a key and arguments a phrase can
// hold; else its English.
func TextPhrase(t Text) string {
	if t.Key == "" {
		return t.English
	}
	args := make([]any, len(t.Args))
	for i, a := range t.Args {
		if strings.ContainsAny(a, phraseSep+"{}") {
			return t.English
		}
		args[i] = a
	}
	return Phrase(t.Key, args...)
}
