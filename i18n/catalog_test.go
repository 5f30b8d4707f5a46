package i18n

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/protocol"
)

// TestEveryKeyIsTranslated fails when a key lacks a translation in either language.
func TestEveryKeyIsTranslated(t *testing.T) {
	for _, tag := range supported {
		for _, other := range supported {
			for key := range books.keys[tag] {
				if !books.keys[other][key] {
					t.Errorf("%s has %s, %s does not", tag, key, other)
				}
			}
		}
	}
	for _, info := range koomock.Rules() {
		for _, key := range []string{DocKey(info.Rule), FixKey(info.Rule)} {
			if !books.keys[Chinese][key] {
				t.Errorf("rule %s has no %s in zh-CN", info.Rule, key)
			}
		}
	}
	if len(books.keys[English]) < 100 {
		t.Errorf("only %d keys in English: is the catalog loading its files?", len(books.keys[English]))
	}
}

// verb is a printf verb with an explicit argument index, as the catalog writes them.
var verb = regexp.MustCompile(`%\[(\d+)\]`)

// badVerb is a verb the catalog does not use: one without an index, or other than s and q.
var badVerb = regexp.MustCompile(`%(\[\d+\][^sq]|[^\[%])`)

// TestTranslationsUseTheSameArguments fails when a translation drops or invents an argument: both
// languages must print every argument the English message prints.
func TestTranslationsUseTheSameArguments(t *testing.T) {
	en := readCatalog(t, "en")
	zh := readCatalog(t, "zh-CN")
	for key, text := range en {
		if want, got := argsIn(text), argsIn(zh[key]); !slices.Equal(want, got) {
			t.Errorf("%s: English uses arguments %v, Chinese %v", key, want, got)
		}
		for _, lang := range []map[string]string{en, zh} {
			if bad := badVerb.FindString(lang[key]); bad != "" {
				t.Errorf("%s: verb %s: print every argument with an index and s or q (%%[1]s, %%[2]q); numbers are text", key, bad)
			}
		}
	}
}

func argsIn(text string) []string {
	var out []string
	for _, m := range verb.FindAllStringSubmatch(text, -1) {
		if !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	slices.Sort(out)
	return out
}

// readCatalog reads a language's files as text: a plural message as all its cases joined.
func readCatalog(t *testing.T, lang string) map[string]string {
	t.Helper()
	out := map[string]string{}
	files, _ := fs.Glob(locales, "locales/"+lang+"/*.json")
	for _, f := range files {
		data, _ := fs.ReadFile(locales, f)
		var entries map[string]any
		if err := json.Unmarshal(data, &entries); err != nil {
			t.Fatal(err)
		}
		for k, v := range entries {
			switch v := v.(type) {
			case string:
				out[k] = v
			case map[string]any:
				var cases []string
				for c, text := range v {
					if c != "plural" {
						cases = append(cases, text.(string))
					}
				}
				out[k] = strings.Join(cases, " ")
			}
		}
	}
	return out
}

// derived are the key prefixes code builds from a value; each has its own list of what must exist.
var derived = map[string]func() []string{
	"rule.": func() []string {
		var keys []string
		for _, info := range koomock.Rules() {
			keys = append(keys, DocKey(info.Rule), FixKey(info.Rule))
		}
		return keys
	},
	// The report's names of states: runner's scenario statuses and classes, and verdicts' outcomes.
	"status.": func() []string { return []string{"status.passed", "status.failed", "status.skipped"} },
	"class.":  func() []string { return []string{"class.required", "class.optional", "class.skipped"} },
	"outcome.": func() []string {
		return []string{"outcome." + string(koomock.Pass), "outcome." + string(koomock.Fail), "outcome." + string(koomock.Warn)}
	},
	"resultCode.": func() []string {
		var keys []string
		for n := range 1000 {
			c := protocol.ResultCode(fmt.Sprintf("%06d", n))
			if _, ok := c.Meaning(); ok {
				keys = append(keys, "resultCode."+string(c))
			}
		}
		return keys
	},
}

// TestEveryKeyIsUsed fails when the catalog has a key no code, template or test of the module names
// (a message left behind), and when a derived key's source (a rule, a result code) has no message.
func TestEveryKeyIsUsed(t *testing.T) {
	var sources strings.Builder
	root := filepath.Join("..")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && p != root || d.Name() == "locales") {
			return filepath.SkipDir
		}
		if ext := filepath.Ext(p); ext == ".go" || ext == ".html" || ext == ".tmpl" {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			sources.Write(data)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	text := sources.String()
	for key := range books.keys[English] {
		prefix := ""
		for p := range derived {
			if strings.HasPrefix(key, p) {
				prefix = p
			}
		}
		if prefix != "" {
			if !slices.Contains(derived[prefix](), key) {
				t.Errorf("%s: no such %s", key, strings.TrimSuffix(prefix, "."))
			}
			continue
		}
		if !strings.Contains(text, `"`+key+`"`) {
			t.Errorf("%s is in the catalog but no code uses it", key)
		}
	}
	for _, keys := range derived {
		for _, key := range keys() {
			if !books.keys[English][key] {
				t.Errorf("%s: no message", key)
			}
		}
	}
}
