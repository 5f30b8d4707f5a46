package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message/catalog"

	"github.com/koomock/koomock"
)

// locales holds one folder per language (a BCP 47 tag: en, zh-CN), each with JSON files of messages:
// an object from key to text, or to a plural message ({"plural": N, "one": ..., "other": ...}, N the
// 1-based argument whose count selects the case).
//
//go:embed locales
var locales embed.FS

var (
	// English is the default language, and the language of the journal's Message texts.
	English = language.English
	// Chinese is Simplified Chinese as KooGallery's seller centre writes it.
	Chinese = language.MustParse("zh-CN")
	// supported lists the languages koomock speaks, the default first.
	supported = []language.Tag{English, Chinese}
)

// Languages returns the languages koomock speaks, the default first.
func Languages() []language.Tag { return slices.Clone(supported) }

// book is the catalog of every language, and the keys each language has.
type book struct {
	cat  *catalog.Builder
	keys map[language.Tag]map[string]bool
}

// books is built once at start-up from the embedded data: a malformed file is a defect of the build,
// which the package's tests catch before it ships.
var books = mustLoad(locales)

func mustLoad(fsys fs.FS) *book {
	b, err := load(fsys)
	if err != nil {
		panic("i18n: " + err.Error())
	}
	return b
}

// load reads every language folder of fsys into one catalog. English rule docs and fixes come from the
// rule registry (rules.go), where each rule is declared; the other languages give theirs as
// rule.NAME.doc and rule.NAME.fix.
func load(fsys fs.FS) (*book, error) {
	b := &book{cat: catalog.NewBuilder(catalog.Fallback(English)), keys: map[language.Tag]map[string]bool{}}
	for _, tag := range supported {
		b.keys[tag] = map[string]bool{}
		dir := path.Join("locales", tag.String())
		files, err := fs.Glob(fsys, dir+"/*.json")
		if err != nil {
			return nil, err
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("no messages for %s in %s", tag, dir)
		}
		for _, f := range files {
			if err := b.loadFile(fsys, tag, f); err != nil {
				return nil, err
			}
		}
	}
	for _, info := range koomock.Rules() {
		for key, s := range map[string]string{DocKey(info.Rule): info.Doc, FixKey(info.Rule): info.Fix} {
			if b.keys[English][key] {
				return nil, fmt.Errorf("%s: English rule texts belong in the rule registry, not the catalog", key)
			}
			// The registry's texts are plain: a % in them is a character, not a verb.
			if err := b.set(English, key, literal(strings.ReplaceAll(s, "%", "%%"))...); err != nil {
				return nil, err
			}
		}
	}
	return b, nil
}

func (b *book) loadFile(fsys fs.FS, tag language.Tag, name string) error {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	var entries map[string]json.RawMessage
	if err := json.Unmarshal(data, &entries); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	for key, raw := range entries {
		msg, err := decodeMessage(raw)
		if err != nil {
			return fmt.Errorf("%s: %s: %w", name, key, err)
		}
		if b.keys[tag][key] {
			return fmt.Errorf("%s: %s is defined twice for %s", name, key, tag)
		}
		if err := b.set(tag, key, msg...); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}

func (b *book) set(tag language.Tag, key string, msg ...catalog.Message) error {
	if err := b.cat.Set(tag, key, msg...); err != nil {
		return fmt.Errorf("%s: %w", key, err)
	}
	b.keys[tag][key] = true
	return nil
}

// pluralForms are the CLDR plural categories a plural message may give, in the order they are tried
// (exact "=N" cases go first).
var pluralForms = []string{"zero", "one", "two", "few", "many", "other"}

// dollar is the variable that spells a literal "$" before "{": catmsg reads "${name}" as a variable
// and has no escape, and koomock's texts quote Terraform's "${...}".
const dollar = "koomockDollar"

// literal is a catalog string in which "${" is text, as the catalog's authors mean it: the messages of
// a key, the variable first.
func literal(s string) []catalog.Message {
	if !strings.Contains(s, "${") {
		return []catalog.Message{catalog.String(s)}
	}
	return []catalog.Message{catalog.Var(dollar, catalog.String("$")),
		catalog.String(strings.ReplaceAll(s, "${", "${"+dollar+"}{"))}
}

// decodeMessage reads one entry: a string, or a plural message selected by the count of one argument.
func decodeMessage(raw json.RawMessage) ([]catalog.Message, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return literal(s), nil
	}
	var cases map[string]json.RawMessage
	if err := json.Unmarshal(raw, &cases); err != nil {
		return nil, fmt.Errorf("want a string or a plural object")
	}
	var arg int
	if err := json.Unmarshal(cases["plural"], &arg); err != nil || arg < 1 {
		return nil, fmt.Errorf(`a plural message needs "plural": the 1-based argument that selects the case`)
	}
	delete(cases, "plural")
	if _, ok := cases["other"]; !ok {
		return nil, fmt.Errorf(`a plural message needs an "other" case`)
	}
	var selectors []any
	var exact []string
	for k := range cases {
		if strings.HasPrefix(k, "=") {
			exact = append(exact, k)
		} else if !slices.Contains(pluralForms, k) {
			return nil, fmt.Errorf("unknown plural case %q", k)
		}
	}
	slices.Sort(exact)
	for _, k := range append(exact, pluralForms...) {
		raw, ok := cases[k]
		if !ok {
			continue
		}
		var text string
		if err := json.Unmarshal(raw, &text); err != nil {
			return nil, fmt.Errorf("plural case %q: want a string", k)
		}
		if strings.Contains(text, "${") {
			return nil, fmt.Errorf(`plural case %q: "${" is not allowed in a plural message`, k)
		}
		selectors = append(selectors, k, text)
	}
	return []catalog.Message{plural.Selectf(arg, "", selectors...)}, nil
}

// DocKey is the catalog key of a rule's one-sentence doc.
func DocKey(r koomock.Rule) string { return "rule." + string(r) + ".doc" }

// FixKey is the catalog key of a rule's one-line fix.
func FixKey(r koomock.Rule) string { return "rule." + string(r) + ".fix" }
