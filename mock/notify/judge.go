package notify

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/diagnose"
	"github.com/koomock/koomock/protocol"
)

// judge gives the verdicts every answer gets, then runs the delivery's own checks.
func judge(e *koomock.Exchange, d Callback, answer []byte, timeout time.Duration, n *Notifier) {
	if e.Response == nil {
		if strings.HasPrefix(e.Error, "no answer within") {
			e.Judge(koomock.RuleDeadline, koomock.Fail, fmt.Sprintf(
				"no answer within %s: KooGallery stops waiting after %s and counts the call as failed", timeout, timeout))
		} else {
			e.Judge(koomock.RuleTransport, koomock.Fail, "the seller could not be reached: "+e.Error)
		}
		// Checks see a nil answer, so those about the exchange as a whole (a dial test, a last poll)
		// still give their verdict.
		runChecks(e, d, nil)
		return
	}
	judgeDeadline(e, timeout)
	if _, missing := d.Probe.Field(); missing && !answeredAsJSON(e, answer) {
		// KooGallery never sends a callback without a mandatory field, so an answer that is no
		// refusal at all (Spring Boot's HTTP 500 for a null in a switch) is advice, not a broken rule.
		e.Judge(koomock.RuleMissingField, koomock.Fail, fmt.Sprintf("sent %s; the seller answered HTTP %d without a JSON resultCode, want one of %s",
			describeProbe(d.Probe), e.Response.Status, strings.Join(acceptedRefusals(d), ", ")))
		return
	}
	if !judgeStatus(e) {
		return
	}
	obj := judgeJSON(e, answer)
	if obj == nil {
		runChecks(e, d, nil)
		return
	}
	obj, nulls := judgeNulls(e, d, n, obj)
	judgeSchema(e, d, n, obj, nulls)
	code, _ := obj["resultCode"].(string)
	judgeResultCode(e, d, code)
	judgeBodySign(e, d, n, answer)
	if d.Probe != controlapi.NoProbe {
		judgeRefusal(e, d, code)
	} else {
		judgeSuccess(e, d, code, obj)
	}
	runChecks(e, d, obj)
}

func runChecks(e *koomock.Exchange, d Callback, obj map[string]any) {
	for _, c := range d.Checks {
		c(e, obj)
	}
}

func judgeDeadline(e *koomock.Exchange, timeout time.Duration) {
	took := e.Took()
	if e.Duration > timeout*8/10 {
		e.Judge(koomock.RuleDeadline, koomock.Warn, fmt.Sprintf(
			"answered in %s, close to KooGallery's %s limit", took, timeout))
		return
	}
	e.Judge(koomock.RuleDeadline, koomock.Pass, fmt.Sprintf("answered in %s (limit %s)", took, timeout))
}

// judgeStatus reports whether the answer is worth reading further.
func judgeStatus(e *koomock.Exchange) bool {
	status := e.Response.Status
	switch {
	case status == http.StatusOK:
		e.Judge(koomock.RuleHTTPStatus, koomock.Pass, "HTTP 200")
		return true
	case status >= 300 && status < 400:
		e.Judge(koomock.RuleHTTPStatus, koomock.Fail, fmt.Sprintf(
			"HTTP %d redirect to %q: KooGallery does not follow redirects; answer 200 at the registered URL",
			status, e.Response.Header.Get("Location")))
		return false
	default:
		e.Judge(koomock.RuleHTTPStatus, koomock.Fail, fmt.Sprintf(
			"HTTP %d: KooGallery expects HTTP 200 with the outcome in resultCode", status))
		// A 4xx or 5xx may still carry a JSON resultCode worth judging (e.g. a refusal).
		return status >= 400
	}
}

// judgeJSON decodes the answer as one JSON object, or says precisely what it is instead.
func judgeJSON(e *koomock.Exchange, answer []byte) map[string]any {
	if e.Response.Truncated {
		e.Judge(koomock.RuleJSON, koomock.Fail, fmt.Sprintf(
			"the answer is larger than %d bytes; KooGallery answers are a small JSON object", MaxAnswerBytes))
		return nil
	}
	obj, err := protocol.DecodeObject(answer)
	if err == nil {
		e.Judge(koomock.RuleJSON, koomock.Pass, "one JSON object")
		return obj
	}
	trimmed := strings.TrimSpace(string(answer))
	var what string
	switch {
	case trimmed == "":
		what = "the answer body is empty"
	case strings.HasPrefix(trimmed, "<"):
		what = "the answer is HTML or XML, not JSON: " + snippet(trimmed)
	default:
		what = "the answer is not one JSON object: " + snippet(trimmed)
	}
	e.Judge(koomock.RuleJSON, koomock.Fail, what)
	return nil
}

func snippet(s string) string {
	const max = 80
	if utf8.RuneCountInString(s) <= max {
		return fmt.Sprintf("%q", s)
	}
	r := []rune(s)
	return fmt.Sprintf("%q…", string(r[:max]))
}

func judgeSchema(e *koomock.Exchange, d Callback, n *Notifier, obj map[string]any, nulls []string) {
	violations, err := n.Spec.CheckAnswer(string(d.Activity), obj)
	if err != nil {
		e.Judge(koomock.RuleSchema, koomock.Warn, "no schema to check the answer against: "+err.Error())
		return
	}
	if len(violations) == 0 {
		e.Judge(koomock.RuleSchema, koomock.Pass, "matches the "+string(d.Activity)+" answer schema")
		return
	}
	for _, v := range violations {
		e.Record(koomock.Verdict{
			Rule: koomock.RuleSchema, Outcome: koomock.Fail, Pointer: v.Pointer,
			Message: fmt.Sprintf("%s: %s%s", pointerOrBody(v.Pointer), v.Message, nullNote(v, nulls)),
		})
	}
}

func pointerOrBody(p string) string {
	if p == "" {
		return "body"
	}
	return p
}

func judgeResultCode(e *koomock.Exchange, d Callback, code string) {
	if code == "" {
		return // the schema verdict already names the missing or mistyped resultCode
	}
	if d.ResultCodes != nil && !slices.Contains(d.ResultCodes, protocol.ResultCode(code)) {
		names := make([]string, len(d.ResultCodes))
		for i, c := range d.ResultCodes {
			names[i] = string(c)
		}
		e.Record(koomock.Verdict{
			Rule: koomock.RuleResultCode, Outcome: koomock.Fail, Pointer: "/resultCode",
			Message: fmt.Sprintf("resultCode %q is not one of the codes %s may be answered with (%s)", code, d.Activity, strings.Join(names, ", ")),
		})
		return
	}
	if meaning, ok := protocol.ResultCode(code).Meaning(); ok {
		e.Judge(koomock.RuleResultCode, koomock.Pass, code+" ("+meaning+")")
		return
	}
	e.Record(koomock.Verdict{
		Rule: koomock.RuleResultCode, Outcome: koomock.Fail, Pointer: "/resultCode",
		Message: fmt.Sprintf("resultCode %q is not one of KooGallery's codes (000000-000005, 000100-000107)", code),
	})
}

func judgeBodySign(e *koomock.Exchange, d Callback, n *Notifier, answer []byte) {
	header := e.Response.Header.Get(protocol.BodySignHeader)
	if header == "" && !n.RequireBodySign {
		return
	}
	timestamp := ""
	if e.Signing != nil {
		timestamp = e.Signing.Timestamp
	}
	diag, wrong := diagnose.BodySign(d.Key, header, answer, timestamp)
	switch {
	case !wrong:
		e.Judge(koomock.RuleBodySign, koomock.Pass, "Body-Sign matches the body")
	case diag.Mistake == diagnose.MistakeBodySignUnquoted:
		// The signature is right; only the documented quoting is off, which KooGallery may not forgive.
		e.Diagnoses = append(e.Diagnoses, diag)
		e.Judge(koomock.RuleBodySign, koomock.Warn, "Body-Sign: "+diag.Summary)
	default:
		e.Diagnoses = append(e.Diagnoses, diag)
		e.Judge(koomock.RuleBodySign, koomock.Fail, "Body-Sign: "+diag.Summary)
	}
}

// acceptedRefusals are the result codes that count as refusing the delivery's probe.
func acceptedRefusals(d Callback) []string {
	if len(d.Refusals) > 0 {
		return d.Refusals
	}
	return d.Probe.DefaultRefusals()
}

// answeredAsJSON reports whether the answer is HTTP 200 with a JSON object carrying a resultCode.
func answeredAsJSON(e *koomock.Exchange, answer []byte) bool {
	if e.Response.Status != http.StatusOK || e.Response.Truncated {
		return false
	}
	obj, err := protocol.DecodeObject(answer)
	if err != nil {
		return false
	}
	_, ok := obj["resultCode"].(string)
	return ok
}

// judgeRefusal judges the answer to a probe under the probe's rule.
func judgeRefusal(e *koomock.Exchange, d Callback, code string) {
	accepted := acceptedRefusals(d)
	rule := d.Probe.Rule()
	what := describeProbe(d.Probe)
	if slices.Contains(accepted, code) {
		e.Judge(rule, koomock.Pass, fmt.Sprintf("refused %s with %s", what, code))
		return
	}
	if code == "" {
		e.Judge(rule, koomock.Fail, fmt.Sprintf(
			"sent %s; the answer carries no resultCode (accepted: %s)", what, strings.Join(accepted, ", ")))
		return
	}
	verb := "answered"
	if code == string(protocol.ResultSuccess) || code == string(protocol.ResultProcessing) {
		verb = "ACCEPTED it with"
	}
	e.Record(koomock.Verdict{
		Rule: rule, Outcome: koomock.Fail, Pointer: "/resultCode",
		Message: fmt.Sprintf("sent %s; the seller %s resultCode %s, want one of %s",
			what, verb, code, strings.Join(accepted, ", ")),
	})
}

func describeProbe(p controlapi.Probe) string {
	if f, ok := p.Field(); ok {
		return fmt.Sprintf("a callback without the mandatory field %q", f)
	}
	switch p {
	case controlapi.TamperedSignature:
		return "a callback with a tampered signature"
	case controlapi.StaleTimestamp:
		return fmt.Sprintf("a callback with a timestamp %s old", controlapi.StaleBy)
	case controlapi.MissingSignature:
		return "a callback without a signature"
	case controlapi.UnknownInstance:
		return "a callback naming an instance the seller never created"
	case controlapi.TooManyIDs:
		return fmt.Sprintf("a queryInstance with more than %d instance IDs", protocol.MaxQueryIDs)
	}
	return "a faulty callback"
}

func judgeSuccess(e *koomock.Exchange, d Callback, code string, obj map[string]any) {
	if code == string(protocol.ResultSuccess) || slices.Contains(d.Allow, protocol.ResultCode(code)) {
		e.Judge(koomock.RuleSucceeded, koomock.Pass, "accepted with "+code)
		return
	}
	msg, _ := obj["resultMsg"].(string)
	meaning, _ := protocol.ResultCode(code).Meaning()
	if code == string(protocol.ResultAuthFailed) && e.Signing != nil {
		meaning += "; koomock signed this callback correctly, so check the seller's verifier and access key (likely causes in the diagnosis)"
		e.Diagnoses = append(e.Diagnoses, diagnose.Refusal(d.Key, *e.Signing))
	}
	e.Record(koomock.Verdict{
		Rule: koomock.RuleSucceeded, Outcome: koomock.Fail, Pointer: "/resultCode",
		Message: fmt.Sprintf("a correct %s was answered with %s %q (%s)", d.Activity, code, msg, meaning),
	})
}
