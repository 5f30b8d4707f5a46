package runner

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/i18n"
)

// Warning is one advisory rule the seller broke, gathered over the run: KooGallery accepts what the
// seller did, so the run still passes, but a careful seller fixes it (and --strict fails it).
type Warning struct {
	Rule koomock.Rule
	// Fix is the registry's one-line advice.
	Fix string
	// Message is the first verdict's message, in English; Verdict the verdict itself, for a report in
	// another language; Count how many verdicts gave the warning.
	Message string
	Verdict koomock.Verdict
	Count   int
	// Exchanges are the IDs of the exchanges that drew it, in the order recorded; Scenarios the
	// scenarios they were in.
	Exchanges []int64
	Scenarios []string
}

// Warnings returns the advisory rules the seller broke, one entry per rule, in registry order. Only
// verdicts the policy settled as warnings of advisory rules count: other warnings (an answer close to
// the deadline, a business refusal of a license call) are notes on the exchange page.
func (r *Result) Warnings() []Warning {
	byRule := map[koomock.Rule]*Warning{}
	for _, s := range r.Records() {
		advisoryWarnings(s, func(v koomock.Verdict, info koomock.RuleInfo, exchange int64) {
			w := byRule[v.Rule]
			if w == nil {
				w = &Warning{Rule: v.Rule, Fix: info.Fix, Message: v.Message, Verdict: v}
				byRule[v.Rule] = w
			}
			w.Count++
			if exchange != 0 && !slices.Contains(w.Exchanges, exchange) {
				w.Exchanges = append(w.Exchanges, exchange)
			}
			if !slices.Contains(w.Scenarios, s.Name) {
				w.Scenarios = append(w.Scenarios, s.Name)
			}
		})
	}
	var out []Warning
	for _, info := range koomock.Rules() {
		if w := byRule[info.Rule]; w != nil {
			out = append(out, *w)
		}
	}
	return out
}

// advisoryWarnings calls add for every warning of an advisory rule in a scenario: those its steps gave
// (exchange 0) and those of its exchanges.
func advisoryWarnings(s ScenarioRecord, add func(v koomock.Verdict, info koomock.RuleInfo, exchange int64)) {
	check := func(v koomock.Verdict, exchange int64) {
		if info, ok := koomock.InfoOf(v.Rule); ok && info.Severity == koomock.Advisory {
			add(v, info, exchange)
		}
	}
	seen := map[int64]bool{} // a failed step shows again the exchange an earlier step caused
	for _, st := range s.Steps {
		for _, v := range st.Warnings {
			check(v, 0)
		}
		for _, e := range st.Exchanges {
			if seen[e.ID] {
				continue
			}
			seen[e.ID] = true
			for _, v := range e.Warnings() {
				check(v, e.ID)
			}
		}
	}
}

// writeWarnings prints the summary's warnings section: each advisory rule once, with an example, the
// exchanges that drew it and the fix.
func writeWarnings(w io.Writer, t *i18n.Printer, warnings []Warning) {
	if len(warnings) == 0 {
		return
	}
	fmt.Fprintf(w, "\n%s\n", t.T("warnings.title", len(warnings)))
	for _, wn := range warnings {
		fmt.Fprintf(w, "  warn %s (%d×, %s): %s\n", wn.Rule, wn.Count, exchangeList(t, wn.Exchanges), t.Why(wn.Verdict))
		fmt.Fprintf(w, "       %s\n", t.T("summary.fix", t.Fix(wn.Rule)))
	}
}

// exchangeList names up to three exchanges: "exchange #4", "exchanges #4, #9, #12 and 3 more".
func exchangeList(t *i18n.Printer, ids []int64) string {
	switch len(ids) {
	case 0:
		return t.T("exchanges.none")
	case 1:
		return t.T("summary.exchange", ids[0])
	}
	var s strings.Builder
	for i, id := range ids {
		if i == 3 {
			return t.T("exchanges.more", s.String(), len(ids)-3)
		}
		if i > 0 {
			s.WriteString(t.T("list.sep"))
		}
		fmt.Fprintf(&s, "#%d", id)
	}
	return t.T("exchanges.some", s.String())
}
