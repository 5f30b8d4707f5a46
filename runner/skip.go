package runner

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/cucumber/godog"
)

// skipKey carries, per scenario, why it was skipped.
type skipKey struct{}

type skipNote struct{ reason string }

// withSkipNote gives a scenario's context a place to note a skip.
func withSkipNote(ctx context.Context) context.Context {
	return context.WithValue(ctx, skipKey{}, &skipNote{})
}

// skip ends the scenario as skipped, not failed, with the reason shown in the summary.
func skip(ctx context.Context, reason string) error {
	if n, ok := ctx.Value(skipKey{}).(*skipNote); ok && n.reason == "" {
		n.reason = reason
	}
	return fmt.Errorf("%s: %w", reason, godog.ErrSkip)
}

func skipReason(ctx context.Context) string {
	if n, ok := ctx.Value(skipKey{}).(*skipNote); ok {
		return n.reason
	}
	return ""
}

// isSkip reports whether err skips the scenario.
func isSkip(err error) bool { return errors.Is(err, godog.ErrSkip) }

func (r *Result) addSkip(scenario, reason string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.skipped = append(r.skipped, scenario+": "+reason)
}

// Skipped returns the skipped scenarios, each with why.
func (r *Result) Skipped() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.skipped...)
}

func writeSkips(w io.Writer, res *Result) {
	skipped := res.Skipped()
	if len(skipped) == 0 {
		return
	}
	fmt.Fprintf(w, "skipped %d scenario(s) that need settings this run lacks:\n", len(skipped))
	for _, s := range skipped {
		fmt.Fprintf(w, "  - %s\n", s)
	}
}
