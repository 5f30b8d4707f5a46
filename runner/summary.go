package runner

import (
	"context"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
)

// writeSummary prints what a seller engineer reads first: the tally, then each failure with the rule
// it broke, the exchange, and a curl command that reproduces it, signed at the moment of printing.
func writeSummary(ctx context.Context, w io.Writer, res *Result, api *controlapi.Client) {
	ran, failed := res.Scenarios()
	fmt.Fprintf(w, "\nkoomock verify: %d scenarios, %d passed, %d failed (seed %d)\n", ran, ran-failed, failed, res.Seed)
	writeSkips(w, res)
	if errs := res.HarnessErrors(); len(errs) > 0 {
		fmt.Fprintf(w, "\nkoomock could not judge the seller (exit %d):\n", ExitHarness)
		for _, e := range errs {
			fmt.Fprintf(w, "  - %s\n", e)
		}
	}
	for _, f := range res.Failures() {
		fmt.Fprintf(w, "\nFAILED  %s  (%s)\n", f.Scenario, path.Base(f.Location))
		fmt.Fprintf(w, "  step: %s\n", f.Step)
		if len(f.Rules) == 0 {
			fmt.Fprintf(w, "  %s\n", indent(f.Message, "  "))
		}
		for _, v := range f.Rules {
			where := ""
			if v.Pointer != "" {
				where = " at " + v.Pointer
			}
			fmt.Fprintf(w, "  rule %s%s: %s\n", v.Rule, where, v.Message)
		}
		if e := f.Exchange; e != nil {
			fmt.Fprintf(w, "  exchange #%d: %s → %s  %s\n", e.ID, e.Activity, stripQuery(e.Request.URL), outcomeOf(e))
			if e.Direction == koomock.Outbound {
				if curl, err := api.Reproduce(ctx, e.ID); err == nil {
					fmt.Fprintf(w, "  reproduce (signed just now; the signature is valid for 60 s):\n    %s\n", indent(curl, "    "))
				}
			}
		}
	}
	switch res.Status {
	case ExitPassed:
		fmt.Fprintln(w, "\nThe seller followed every rule checked.")
	case ExitFailed:
		fmt.Fprintf(w, "\nThe seller broke: %s\n", joinRules(res.BrokenRules()))
	}
}

func outcomeOf(e *koomock.Exchange) string {
	if e.Response == nil {
		return e.Error
	}
	return fmt.Sprintf("HTTP %d in %s", e.Response.Status, e.Took())
}

func stripQuery(u string) string {
	before, _, _ := strings.Cut(u, "?")
	return before
}

func indent(s, prefix string) string {
	return strings.ReplaceAll(s, "\n", "\n"+prefix)
}

func joinRules(rules []koomock.Rule) string {
	if len(rules) == 0 {
		return "(see the failures above)"
	}
	names := make([]string, len(rules))
	for i, r := range rules {
		names[i] = string(r)
	}
	return strings.Join(names, ", ")
}
