package main

import (
	"encoding/json"
	"io"
	"strings"
	"unicode"

	"github.com/koomock/koomock"
)

// jsonUsage is the help of --json on every command that has it.
const jsonUsage = "print one JSON object on stdout instead of text, for scripts"

// registerJSON adds --json to a command's flags.
func registerJSON(fs *flagSet) *bool {
	return fs.Bool("json", false, jsonUsage)
}

// writeJSON prints v as one JSON object on one line: a script reads stdout whole, or line by line.
// HTML is not escaped, so bodies and URLs read as they were sent.
func writeJSON(w io.Writer, v any) {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// jsonError is what a command with --json prints when it cannot do its job: the same one line it
// writes to stderr, so a script that reads only stdout still gets an object.
type jsonError struct {
	Error string `json:"error"`
}

// exchangeResult is fire's and replay's JSON: the exchange, whether a rule broke, and, for replay,
// the exchange replayed.
type exchangeResult struct {
	Replayed int64             `json:"replayed,omitempty"`
	Failed   bool              `json:"failed"`
	Exchange *koomock.Exchange `json:"exchange"`
}

// jsonKey turns a label of the text output ("string to sign", "inner-HMAC variant") into a JSON key
// ("stringToSign", "innerHMACVariant").
func jsonKey(label string) string {
	words := strings.FieldsFunc(label, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	for i, w := range words {
		if i == 0 {
			words[i] = strings.ToLower(w[:1]) + w[1:]
		} else {
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
	}
	return strings.Join(words, "")
}
