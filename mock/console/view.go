package console

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/protocol"
)

// funcs are the helpers templates use. Each returns plain text: html/template escapes it.
var funcs = template.FuncMap{
	"when":     when,
	"outcome":  outcome,
	"failures": func(e koomock.Exchange) []koomock.Verdict { return e.Failures() },
	"took":     func(e koomock.Exchange) string { return e.Took().String() },
	"answer":   answerStatus,
	"pretty":   pretty,
	"headers":  headers,
	"exchange": exchangePath,
	"order":    orderPath,
	"instance": instancePath,
	"license":  licensePath,
	"asset":    assetPath,
	"case":     casePath,
	"tenant":   tenantPath,
	"span":     span,
	"prefix":   func() string { return Prefix },
	"list":     func(v ...any) []any { return v },
}

// when shows a time in UTC to the millisecond: koomock's clock may be virtual, and sellers compare
// these times with their logs.
// span writes a Go duration from the settings as a person would: "15 days", "3h", "10m", "5s"; what
// does not parse is shown as it came.
func span(d string) string {
	v, err := time.ParseDuration(d)
	switch {
	case err != nil || v == 0:
		return d
	case v%(24*time.Hour) == 0:
		if days := v / (24 * time.Hour); days != 1 {
			return fmt.Sprintf("%d days", days)
		}
		return "1 day"
	}
	// Go writes "3h0m0s": drop the zero seconds after minutes, then the zero minutes after hours.
	s := v.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

func when(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02 15:04:05.000 UTC")
}

// outcome sums an exchange's verdicts up: fail if any failed, else warn if any warned, else pass.
func outcome(e koomock.Exchange) koomock.Outcome {
	out := koomock.Pass
	for _, v := range e.Verdicts {
		switch v.Outcome {
		case koomock.Fail:
			return koomock.Fail
		case koomock.Warn:
			out = koomock.Warn
		}
	}
	return out
}

// answerStatus is the answer's HTTP status, or why there was none.
func answerStatus(e koomock.Exchange) string {
	if e.Response == nil {
		if e.Error != "" {
			return "no answer"
		}
		return "—"
	}
	return "HTTP " + strconv.Itoa(e.Response.Status)
}

// pretty indents a JSON body so a person can read it; anything else is shown as it came.
func pretty(body string) string {
	var b bytes.Buffer
	if json.Indent(&b, []byte(body), "", "  ") != nil {
		return body
	}
	return b.String()
}

// header is one header line as shown.
type header struct{ Name, Value string }

// headers lists headers sorted by name, with credentials masked: a bearer token or a password must
// not sit in a page that a screenshot or a screen share might show.
func headers(h http.Header) []header {
	var out []header
	for name, values := range h {
		for _, v := range values {
			out = append(out, header{Name: name, Value: maskCredential(name, v)})
		}
	}
	slices.SortStableFunc(out, func(a, b header) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// maskCredential hides the secret part of an Authorization or Cookie header, keeping the scheme. An
// AK/SK signature (SDK-HMAC-SHA256 Access=..., Signature=...) carries no secret and is kept whole,
// because a seller debugging a signature needs to see it.
func maskCredential(name, value string) string {
	switch http.CanonicalHeaderKey(name) {
	case "Authorization", "Proxy-Authorization":
		scheme, cred, ok := strings.Cut(value, " ")
		if !ok {
			return protocol.MaskSecret(value)
		}
		if strings.EqualFold(scheme, "Bearer") || strings.EqualFold(scheme, "Basic") {
			return scheme + " " + protocol.MaskSecret(cred)
		}
	case "Cookie", "Set-Cookie":
		return protocol.MaskSecret(value)
	}
	return value
}

// exchangeTable is a list of exchanges that grows live: Events is the stream that adds new rows at
// the top, "" for a table that stays as it is (an older page of the journal).
type exchangeTable struct {
	Rows   []koomock.Exchange
	Events string
	// Empty is the catalog key of what the table says when it has no row.
	Empty string
}

// liveTable shows rows, the newest exchanges matching q, and follows the journal for the matching
// exchanges recorded after the newest row; with no row, after the beginning of the journal, which is
// the same thing since nothing matched yet.
func liveTable(rows []koomock.Exchange, q koomock.ExchangeFilter, empty string) exchangeTable {
	q.BeforeID, q.Limit, q.AfterID = 0, 0, 0
	if len(rows) > 0 {
		q.AfterID = rows[0].ID
	}
	v := controlapi.FilterValues(q)
	v.Set("after", strconv.FormatInt(q.AfterID, 10))
	return exchangeTable{Rows: rows, Events: Prefix + "/journal/events?" + v.Encode(), Empty: empty}
}
