package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/i18n"
)

// printExchange shows an exchange the way a seller engineer debugs one: what was sent, how it was
// signed, what came back, and the verdicts.
func printExchange(w io.Writer, t *i18n.Printer, e *koomock.Exchange) {
	fmt.Fprintf(w, "→ %s %s\n", e.Request.Method, e.Request.URL)
	printHeaders(w, e.Request.Header)
	fmt.Fprintf(w, "\n%s\n", e.Request.Body)
	if s := e.Signing; s != nil {
		fmt.Fprintf(w, "\nsigned (%s):\n", s.Scheme)
		fmt.Fprintf(w, "  canonical body  %s\n", s.CanonicalBody)
		if s.InnerDigest != "" {
			fmt.Fprintf(w, "  inner digest    %s\n", s.InnerDigest)
		}
		fmt.Fprintf(w, "  string to sign  %s\n", s.StringToSign)
		fmt.Fprintf(w, "  signature       %s\n", s.Signature)
	}
	if r := e.Response; r != nil {
		fmt.Fprintf(w, "\n← HTTP %d in %s\n", r.Status, e.Took())
		printHeaders(w, r.Header)
		body := r.Body
		if r.Truncated {
			body += "… (cut)"
		}
		fmt.Fprintf(w, "\n%s\n", body)
	} else {
		fmt.Fprintf(w, "\n← no answer: %s\n", e.Error)
	}
	for _, d := range e.Diagnoses {
		fmt.Fprintf(w, "\ndiagnosis (%s): %s\n", d.Scheme, d.Summary)
		for _, s := range d.Matched {
			fmt.Fprintf(w, "  yours:    %s = %s\n", s.Name, s.Value)
		}
		for _, s := range d.Expected {
			fmt.Fprintf(w, "  expected: %s = %s\n", s.Name, s.Value)
		}
		for _, c := range d.Causes {
			fmt.Fprintf(w, "  - %s\n", c)
		}
	}
	fmt.Fprintln(w, "\nverdicts:")
	for _, v := range e.Verdicts {
		mark := map[koomock.Outcome]string{koomock.Pass: "ok  ", koomock.Fail: "FAIL", koomock.Warn: "warn"}[v.Outcome]
		where := ""
		if v.Pointer != "" {
			where = " " + v.Pointer
		}
		fmt.Fprintf(w, "  %s %s%s: %s\n", mark, v.Rule, where, t.Why(v))
	}
}

func printHeaders(w io.Writer, h map[string][]string) {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		fmt.Fprintf(w, "%s: %s\n", k, strings.Join(h[k], ", "))
	}
}
