package koomock

// Outcome is how an exchange fared against one rule.
type Outcome string

const (
	// Pass means the rule held.
	Pass Outcome = "pass"
	// Fail means the seller broke the rule; KooGallery would refuse or retry.
	Fail Outcome = "fail"
	// Warn means something a seller should look at that KooGallery does not enforce.
	Warn Outcome = "warn"
)

// Verdict is the judgement of one exchange against one rule.
type Verdict struct {
	Rule    Rule    `json:"rule"`
	Outcome Outcome `json:"outcome"`
	// Message is the verdict's text in English, which every reader can show.
	Message string `json:"message"`
	// Key and Args are the message's key in koomock's catalog and its arguments, as text: a reader
	// renders them in its own language (package i18n), and falls back to Message when Key is empty
	// (journals written before verdicts had keys) or unknown to it.
	Key  string   `json:"key,omitempty"`
	Args []string `json:"args,omitempty"`
	// Pointer is the JSON pointer (RFC 6901) into the answer body the verdict is about, if any.
	Pointer string `json:"pointer,omitempty"`
}

// Rule names a KooGallery requirement. Names are stable: features, reports and sellers' CI refer to
// them.
type Rule string

// The rules koomock checks on every answer to a callback.
const (
	// RuleTransport: the seller must accept the connection and answer.
	RuleTransport Rule = "transport"
	// RuleDeadline: KooGallery waits 5 s for the answer (spec saas-v2 §1).
	RuleDeadline Rule = "answer.deadline"
	// RuleHTTPStatus: the seller answers HTTP 200; the outcome is in resultCode (spec saas-v2 §1).
	RuleHTTPStatus Rule = "answer.httpStatus"
	// RuleJSON: the answer body is one JSON object.
	RuleJSON Rule = "answer.json"
	// RuleSchema: the answer matches the activity's schema in openapi/seller.yaml.
	RuleSchema Rule = "answer.schema"
	// RuleNullField: optional answer fields are left out rather than written as JSON null. KooGallery's
	// Java parser reads null as absent, so a null optional field is advice; a null mandatory field
	// breaks answer.schema.
	RuleNullField Rule = "answer.nullField"
	// RuleResultCode: resultCode is one of the six-digit codes of spec saas-v2 §4.
	RuleResultCode Rule = "answer.resultCode"
	// RuleBodySign: a Body-Sign header, when present or required, matches the body (spec saas-v2 §2.4).
	RuleBodySign Rule = "answer.bodySign"
	// RuleSucceeded: a correct callback must succeed (resultCode 000000, or 000004 where allowed).
	RuleSucceeded Rule = "answer.succeeded"
)

// The rules specific to newInstance (spec saas-v2 §3.1).
const (
	// RuleInstanceID: an instanceId of at most 64 characters comes with 000000 and 000004.
	RuleInstanceID Rule = "newInstance.instanceId"
	// RuleIdempotent: the same orderId + orderLineId yields the same instanceId on every resend.
	RuleIdempotent Rule = "newInstance.idempotent"
	// RuleUniqueInstance: different orders never share an instanceId.
	RuleUniqueInstance Rule = "newInstance.unique"
)

// RuleRefused: a deliberately faulty callback (bad signature, stale timestamp, missing field) must be
// refused with one of the accepted result codes.
const RuleRefused Rule = "probe.refused"

// RuleMissingField: a callback without a mandatory field is refused with 000002 (or 000003 when the
// missing field is the instance's identity). KooGallery never sends such a callback, and Huawei's
// official sample does not validate fields, so this is robustness: advisory.
const RuleMissingField Rule = "probe.missingField"

// The rules koomock checks on requests a seller makes to it.
const (
	// RuleAPIGSignature: calls to KooGallery's open APIs carry a valid APIG AK/SK signature.
	RuleAPIGSignature Rule = "request.apigSignature"
	// RuleRequestSchema: the request matches its operation in openapi/marketplace.yaml.
	RuleRequestSchema Rule = "request.schema"
)
