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
	"github.com/koomock/koomock/i18n"
	"github.com/koomock/koomock/protocol"
)

// judge gives the verdicts every answer gets, then runs the delivery's own checks.
func judge(e *koomock.Exchange, d Callback, answer []byte, timeout time.Duration, n *Notifier) {
	if e.Response == nil {
		if strings.HasPrefix(e.Error, "no answer within") {
			i18n.Judge(e, koomock.RuleDeadline, koomock.Fail, "verdict.deadline.none", timeout)
		} else {
			i18n.Judge(e, koomock.RuleTransport, koomock.Fail, "verdict.transport.unreachable", e.Error)
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
		i18n.Judge(e, koomock.RuleMissingField, koomock.Fail, "verdict.probe.noJSON",
			describeProbe(d.Probe), e.Response.Status, strings.Join(acceptedRefusals(d), ", "))
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
		i18n.Judge(e, koomock.RuleDeadline, koomock.Warn, "verdict.deadline.close", took, timeout)
		return
	}
	i18n.Judge(e, koomock.RuleDeadline, koomock.Pass, "verdict.deadline.pass", took, timeout)
}

// judgeStatus reports whether the answer is worth reading further.
func judgeStatus(e *koomock.Exchange) bool {
	status := e.Response.Status
	switch {
	case status == http.StatusOK:
		i18n.Judge(e, koomock.RuleHTTPStatus, koomock.Pass, "verdict.httpStatus.pass")
		return true
	case status >= 300 && status < 400:
		i18n.Judge(e, koomock.RuleHTTPStatus, koomock.Fail, "verdict.httpStatus.redirect",
			status, e.Response.Header.Get("Location"))
		return false
	default:
		i18n.Judge(e, koomock.RuleHTTPStatus, koomock.Fail, "verdict.httpStatus.fail", status)
		// A 4xx or 5xx may still carry a JSON resultCode worth judging (e.g. a refusal).
		return status >= 400
	}
}

// judgeJSON decodes the answer as one JSON object, or says precisely what it is instead.
func judgeJSON(e *koomock.Exchange, answer []byte) map[string]any {
	if e.Response.Truncated {
		i18n.Judge(e, koomock.RuleJSON, koomock.Fail, "verdict.json.tooLarge", MaxAnswerBytes)
		return nil
	}
	obj, err := protocol.DecodeObject(answer)
	if err == nil {
		i18n.Judge(e, koomock.RuleJSON, koomock.Pass, "verdict.json.pass")
		return obj
	}
	trimmed := strings.TrimSpace(string(answer))
	switch {
	case trimmed == "":
		i18n.Judge(e, koomock.RuleJSON, koomock.Fail, "verdict.json.empty")
	case strings.HasPrefix(trimmed, "<"):
		i18n.Judge(e, koomock.RuleJSON, koomock.Fail, "verdict.json.markup", snippet(trimmed))
	default:
		i18n.Judge(e, koomock.RuleJSON, koomock.Fail, "verdict.json.notObject", snippet(trimmed))
	}
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
		i18n.Judge(e, koomock.RuleSchema, koomock.Warn, "verdict.schema.none", err.Error())
		return
	}
	if len(violations) == 0 {
		i18n.Judge(e, koomock.RuleSchema, koomock.Pass, "verdict.schema.pass", d.Activity)
		return
	}
	for _, v := range violations {
		if null := nullOf(v, nulls); null != "" {
			e.Record(i18n.VerdictAt(koomock.RuleSchema, koomock.Fail, v.Pointer, "verdict.schema.failNull",
				pointerOrBody(v.Pointer), v.Message, null))
			continue
		}
		e.Record(i18n.VerdictAt(koomock.RuleSchema, koomock.Fail, v.Pointer, "verdict.schema.fail",
			pointerOrBody(v.Pointer), v.Message))
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
		e.Record(i18n.VerdictAt(koomock.RuleResultCode, koomock.Fail, "/resultCode", "verdict.resultCode.notForActivity",
			code, d.Activity, strings.Join(names, ", ")))
		return
	}
	if _, ok := protocol.ResultCode(code).Meaning(); ok {
		i18n.Judge(e, koomock.RuleResultCode, koomock.Pass, "verdict.resultCode.pass", code, meaningOf(code))
		return
	}
	e.Record(i18n.VerdictAt(koomock.RuleResultCode, koomock.Fail, "/resultCode", "verdict.resultCode.unknown", code))
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
		i18n.Judge(e, koomock.RuleBodySign, koomock.Pass, "verdict.bodySign.pass")
	case diag.Mistake == diagnose.MistakeBodySignUnquoted:
		// The signature is right; only the documented quoting is off, which KooGallery may not forgive.
		e.Diagnoses = append(e.Diagnoses, diag)
		i18n.Judge(e, koomock.RuleBodySign, koomock.Warn, "verdict.bodySign.fail", i18n.DiagnosisPhrase(diag))
	default:
		e.Diagnoses = append(e.Diagnoses, diag)
		i18n.Judge(e, koomock.RuleBodySign, koomock.Fail, "verdict.bodySign.fail", i18n.DiagnosisPhrase(diag))
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
		i18n.Judge(e, rule, koomock.Pass, "verdict.probe.refused", what, code)
		return
	}
	if code == "" {
		i18n.Judge(e, rule, koomock.Fail, "verdict.probe.noResultCode", what, strings.Join(accepted, ", "))
		return
	}
	key := "verdict.probe.answered"
	if code == string(protocol.ResultSuccess) || code == string(protocol.ResultProcessing) {
		key = "verdict.probe.accepted"
	}
	e.Record(i18n.VerdictAt(rule, koomock.Fail, "/resultCode", key, what, code, strings.Join(accepted, ", ")))
}

// describeProbe says what a probe sent, as a phrase rendered in the reader's language.
func describeProbe(p controlapi.Probe) string {
	if f, ok := p.Field(); ok {
		return i18n.Phrase("probe.missingField", fmt.Sprintf("%q", f))
	}
	switch p {
	case controlapi.TamperedSignature:
		return i18n.Phrase("probe.tamperedSignature")
	case controlapi.StaleTimestamp:
		return i18n.Phrase("probe.staleTimestamp", controlapi.StaleBy)
	case controlapi.MissingSignature:
		return i18n.Phrase("probe.missingSignature")
	case controlapi.UnknownInstance:
		return i18n.Phrase("probe.unknownInstance")
	case controlapi.TooManyIDs:
		return i18n.Phrase("probe.tooManyIds", protocol.MaxQueryIDs)
	}
	return i18n.Phrase("probe.faulty")
}

// meaningOf is what a result code means, as a phrase rendered in the reader's language.
func meaningOf(code string) string {
	if _, ok := protocol.ResultCode(code).Meaning(); !ok {
		return ""
	}
	return i18n.Phrase("resultCode." + code)
}

func judgeSuccess(e *koomock.Exchange, d Callback, code string, obj map[string]any) {
	if code == string(protocol.ResultSuccess) || slices.Contains(d.Allow, protocol.ResultCode(code)) {
		i18n.Judge(e, koomock.RuleSucceeded, koomock.Pass, "verdict.succeeded.pass", code)
		return
	}
	msg, _ := obj["resultMsg"].(string)
	key := "verdict.succeeded.fail"
	if code == string(protocol.ResultAuthFailed) && e.Signing != nil {
		key = "verdict.succeeded.authFailed"
		e.Diagnoses = append(e.Diagnoses, diagnose.Refusal(d.Key, *e.Signing))
	}
	e.Record(i18n.VerdictAt(koomock.RuleSucceeded, koomock.Fail, "/resultCode", key,
		d.Activity, code, fmt.Sprintf("%q", msg), meaningOf(code)))
}
