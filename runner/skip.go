package runner

import (
	"context"
	"fmt"

	"github.com/cucumber/godog"

	"github.com/koomock/koomock/i18n"
)

// skip ends the scenario as skipped, not failed, because it lacks a setting the step found missing;
// the summary lists the reason with the profile's own skips.
func skip(ctx context.Context, reason string) error {
	s := state(ctx)
	s.skipped = true
	if s.rec != nil {
		s.rec.Class, s.rec.Reason, s.rec.Why = Skipped, reason, i18n.Text{}
	}
	return fmt.Errorf("%s: %w", reason, godog.ErrSkip)
}
