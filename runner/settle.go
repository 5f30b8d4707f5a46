package runner

import (
	"context"
	"errors"
	"reflect"

	"github.com/koomock/koomock"
)

// settled wraps a step function so that the verdicts it gives itself (a call the seller never made,
// a session it does not hold) are settled by the run's policy, as koomock settles the verdicts of
// exchanges: a step whose broken rules are all advisory passes, and its verdicts become warnings of
// the step. Step functions have godog's many signatures (context first, error last), hence reflect.
func settled(fn any, policy koomock.Policy) any {
	v := reflect.ValueOf(fn)
	t := v.Type()
	if t.Kind() != reflect.Func || t.NumIn() == 0 || t.In(0) != reflect.TypeFor[context.Context]() ||
		t.NumOut() == 0 || t.Out(t.NumOut()-1) != reflect.TypeFor[error]() {
		return fn
	}
	return reflect.MakeFunc(t, func(args []reflect.Value) []reflect.Value {
		out := v.Call(args)
		err, _ := out[len(out)-1].Interface().(error)
		var re *ruleError
		if !errors.As(err, &re) || len(re.verdicts) == 0 {
			return out
		}
		warnings := make([]koomock.Verdict, len(re.verdicts))
		for i, verdict := range re.verdicts {
			warnings[i] = policy.Settle(verdict)
			if warnings[i].Outcome == koomock.Fail {
				return out
			}
		}
		ctx, _ := args[0].Interface().(context.Context)
		if s, ok := ctx.Value(scenarioKey{}).(*scenario); ok {
			s.warnings = append(s.warnings, warnings...)
		}
		out[len(out)-1] = reflect.Zero(t.Out(t.NumOut() - 1))
		return out
	}).Interface()
}
