package runner

import (
	"context"
	"fmt"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/i18n"
)

func failureSteps() StepGroup {
	return StepGroup{
		Name: "Delivery",
		Doc:  "How KooGallery's delivery of the last callback went (spec saas-v2 §1).",
		Steps: []StepDef{
			{`^the seller answers within KooGallery's 5 s$`,
				"the last callback was answered before KooGallery's deadline (koomock's --timeout, 5 s by default)",
				"the seller answers within KooGallery's 5 s", answeredInTime},
		},
	}
}

func answeredInTime(ctx context.Context) error {
	e, err := lastExchange(state(ctx))
	if err != nil {
		return err
	}
	if v, ok := e.Verdict(koomock.RuleDeadline); ok && v.Outcome != koomock.Fail {
		return nil
	}
	return &ruleError{what: fmt.Sprintf("the seller did not answer %s in time", e.Activity), exchange: e,
		verdicts: append(e.Failures(), deadlineVerdictIfMissing(e)...)}
}

// deadlineVerdictIfMissing names the deadline rule when the exchange failed without reaching it (a
// transport error), so the failure still says which rule the step checks.
func deadlineVerdictIfMissing(e *koomock.Exchange) []koomock.Verdict {
	if _, ok := e.Verdict(koomock.RuleDeadline); ok {
		return nil
	}
	return []koomock.Verdict{i18n.Verdict(koomock.RuleDeadline, koomock.Fail, "verdict.deadline.noAnswer", e.Error)}
}
