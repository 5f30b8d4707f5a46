package runner

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/cucumber/godog"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
)

// run is one run of the suite: what every scenario's hooks share.
type run struct {
	api      *controlapi.Client
	opts     *Options
	res      *Result
	stepper  *stepper  // nil unless stepping through
	progress *progress // nil unless a terminal shows it
	now      func() time.Time
	gate     *exclusiveGate // runs @exclusive scenarios alone
	policy   koomock.Policy // settles the verdicts steps give themselves
}

// hooks installs the bookkeeping around every scenario and step: the profile's verdict, the records
// reports are made of, failure reports, attachments, stepping and progress.
func (r *run) hooks(sc *godog.ScenarioContext) {
	sc.Before(r.beforeScenario)
	sc.StepContext().Before(r.beforeStep)
	sc.StepContext().After(r.afterStep)
	sc.After(r.afterScenario)
}

func (r *run) beforeScenario(ctx context.Context, sc *godog.Scenario) (context.Context, error) {
	tags := make([]string, len(sc.Tags))
	for i, t := range sc.Tags {
		tags[i] = t.Name
	}
	v := r.opts.Profile.Classify(tags, r.opts.Have)
	if r.stepper != nil && r.stepper.quitting() {
		v = because(Skipped, "skip.quit")
	}
	rec := &ScenarioRecord{ID: sc.Id, Name: sc.Name, URI: sc.Uri, Tags: tags, Class: v.Class, Reason: v.Reason, Why: v.Why, Started: r.now()}
	r.res.startScenario(rec)
	s := &scenario{api: r.api, opts: r.opts, name: sc.Name, uri: sc.Uri, rec: rec, skipped: v.Class == Skipped}
	ctx = context.WithValue(ctx, scenarioKey{}, s)
	if s.skipped {
		return ctx, godog.ErrSkip
	}
	if r.stepper != nil {
		r.stepper.scenario(rec)
	}
	return ctx, nil
}

func (r *run) beforeStep(ctx context.Context, st *godog.Step) (context.Context, error) {
	s := state(ctx)
	s.stepStarted, s.lastBefore, s.caused, s.warnings = r.now(), s.last, nil, nil
	if s.skipped || s.skipRest || s.done || r.stepper == nil {
		return ctx, nil
	}
	switch r.stepper.pause(ctx, st.Text, s.last) {
	case stepSkip:
		s.skipRest = true
		return ctx, godog.ErrSkip
	case stepQuit:
		s.skipRest = true
		r.res.stop()
		return ctx, godog.ErrSkip
	}
	return ctx, nil
}

func (r *run) afterStep(ctx context.Context, st *godog.Step, status godog.StepResultStatus, err error) (context.Context, error) {
	s := state(ctx)
	rec := &StepRecord{ID: st.Id, Text: st.Text, Status: StatusPassed, Exchanges: s.caused, Warnings: s.warnings}
	if len(st.AstNodeIds) > 0 {
		rec.AstID = st.AstNodeIds[0]
	}
	if len(rec.Exchanges) == 0 && s.last != nil && s.last != s.lastBefore {
		rec.Exchanges = append(rec.Exchanges, s.last) // a step that set s.last without record()
	}
	if !s.stepStarted.IsZero() {
		rec.Duration = r.now().Sub(s.stepStarted)
	}
	skip := errors.Is(err, godog.ErrSkip) || status == godog.StepSkipped
	switch {
	case skip || s.skipped:
		rec.Status = StatusSkipped
	case err != nil:
		rec.Status = StatusFailed
		rec.Error = err.Error()
		report(r.res, s, st.Text, rec.AstID, err)
		// A failed check is about an exchange an earlier step caused: show it with the failure.
		judged := s.last
		var re *ruleError
		if errors.As(err, &re) && re.exchange != nil {
			judged = re.exchange
		}
		if judged != nil && !slices.ContainsFunc(rec.Exchanges, func(e *koomock.Exchange) bool { return e.ID == judged.ID }) {
			rec.Exchanges = append(rec.Exchanges, judged)
		}
		ctx = r.attach(ctx, rec)
	}
	if err != nil {
		s.done = true
	}
	r.res.addStep(s.rec, rec)
	if r.stepper != nil && !s.skipped && !skip {
		r.stepper.after(rec)
	}
	return ctx, nil
}

// attach adds every exchange of a failed step to the cucumber report: request, answer, verdicts, and a
// curl command signed afresh.
func (r *run) attach(ctx context.Context, rec *StepRecord) context.Context {
	for _, e := range rec.Exchanges {
		body, err := json.MarshalIndent(e, "", "  ")
		if err == nil {
			ctx = godog.Attach(ctx, godog.Attachment{Body: body, FileName: fmt.Sprintf("exchange-%d.json", e.ID), MediaType: "application/json"})
		}
		curl, err := r.api.Reproduce(ctx, e.ID)
		if err != nil {
			continue // inbound exchanges, or a koomock that went away: nothing to reproduce
		}
		if rec.Curls == nil {
			rec.Curls = map[int64]string{}
		}
		rec.Curls[e.ID] = curl
		ctx = godog.Attach(ctx, godog.Attachment{Body: []byte(curl + "\n"), FileName: fmt.Sprintf("exchange-%d.curl.sh", e.ID), MediaType: "text/x-sh"})
	}
	return ctx
}

func (r *run) afterScenario(ctx context.Context, sc *godog.Scenario, err error) (context.Context, error) {
	s := state(ctx)
	status := StatusPassed
	switch {
	case s.skipped || (s.skipRest && (err == nil || errors.Is(err, godog.ErrSkip))):
		status = StatusSkipped
	case err != nil && !errors.Is(err, godog.ErrSkip):
		status = StatusFailed
	}
	r.res.endScenario(s.rec, status, r.now())
	if r.progress != nil {
		r.progress.update(r.res)
	}
	return ctx, nil
}
