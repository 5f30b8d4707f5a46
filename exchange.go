package koomock

import (
	"net/http"
	"time"

	"github.com/koomock/koomock/protocol"
)

// Direction tells who started an exchange.
type Direction string

const (
	// Outbound exchanges are callbacks koomock (as KooGallery) sends to the seller.
	Outbound Direction = "outbound"
	// Inbound exchanges are calls the seller's service or software makes to koomock.
	Inbound Direction = "inbound"
)

// Exchange is one request and its answer, in either direction, as recorded in the journal. It is
// the unit that features assert on, that the console shows, and that reproduction commands replay.
type Exchange struct {
	ID        int64     `json:"id"`
	Direction Direction `json:"direction"`
	// Activity is the KooGallery activity or API name: newInstance, tenantSync, orderQuery, ...
	Activity protocol.Activity `json:"activity"`
	// OrderID and InstanceID correlate the exchange with marketplace state, for filtering.
	OrderID    string `json:"orderId,omitempty"`
	InstanceID string `json:"instanceId,omitempty"`
	// TenantID correlates a kit sync or an identity-provider call with its joint-operation tenant.
	TenantID string `json:"tenantId,omitempty"`
	// Probe names the deliberate fault koomock put into an outbound request ("" for a correct one),
	// so that a replay reproduces the same fault.
	Probe    string       `json:"probe,omitempty"`
	Request  HTTPMessage  `json:"request"`
	Response *HTTPMessage `json:"response,omitempty"`
	// Error is the transport failure (refused connection, timeout, ...) when there is no response.
	Error     string        `json:"error,omitempty"`
	StartedAt time.Time     `json:"startedAt"`
	Duration  time.Duration `json:"durationNs"`
	Signing   *SigningTrace `json:"signing,omitempty"`
	Verdicts  []Verdict     `json:"verdicts"`
	// Diagnoses explain signatures that did not match, in either direction.
	Diagnoses []Diagnosis `json:"diagnoses,omitempty"`
	// Policy settles the verdicts given to the exchange (advisory rules warn unless --strict). It is
	// set where the exchange is made and not journaled: the verdicts keep the outcome it gave them.
	Policy Policy `json:"-"`
}

// HTTPMessage is a request or a response as it crossed the wire. Body holds the bytes as text; it is
// cut at the notifier's read limit, in which case Truncated is set.
type HTTPMessage struct {
	Method    string      `json:"method,omitempty"`
	URL       string      `json:"url,omitempty"`
	Status    int         `json:"status,omitempty"`
	Header    http.Header `json:"header,omitempty"`
	Body      string      `json:"body"`
	Truncated bool        `json:"truncated,omitempty"`
}

// SigningTrace shows how a request was signed, so a seller can compare each intermediate value with
// their own verifier. Secrets never appear here: StringToSign has the key replaced by a mask.
type SigningTrace struct {
	Scheme        string `json:"scheme"`
	CanonicalBody string `json:"canonicalBody,omitempty"`
	InnerDigest   string `json:"innerDigest,omitempty"`
	StringToSign  string `json:"stringToSign,omitempty"`
	Nonce         string `json:"nonce,omitempty"`
	Timestamp     string `json:"timestamp,omitempty"`
	Signature     string `json:"signature,omitempty"`
}

// Failed reports whether any verdict on the exchange failed.
func (e *Exchange) Failed() bool {
	for _, v := range e.Verdicts {
		if v.Outcome == Fail {
			return true
		}
	}
	return false
}

// Failures returns the failed verdicts in the order they were given.
func (e *Exchange) Failures() []Verdict {
	var out []Verdict
	for _, v := range e.Verdicts {
		if v.Outcome == Fail {
			out = append(out, v)
		}
	}
	return out
}

// Verdict returns the verdict given under rule, if any.
func (e *Exchange) Verdict(rule Rule) (Verdict, bool) {
	for _, v := range e.Verdicts {
		if v.Rule == rule {
			return v, true
		}
	}
	return Verdict{}, false
}

// Record gives the exchange a verdict, settled by the exchange's policy: the one way verdicts are
// given. A judge reports a broken rule as Fail; the policy makes it a warning when the rule is advisory.
func (e *Exchange) Record(v Verdict) {
	e.Verdicts = append(e.Verdicts, e.Policy.Settle(v))
}

// Judge gives the exchange a verdict about the answer as a whole (no JSON pointer).
func (e *Exchange) Judge(rule Rule, outcome Outcome, message string) {
	e.Record(Verdict{Rule: rule, Outcome: outcome, Message: message})
}

// Warnings returns the verdicts that are warnings, in the order they were given.
func (e *Exchange) Warnings() []Verdict {
	var out []Verdict
	for _, v := range e.Verdicts {
		if v.Outcome == Warn {
			out = append(out, v)
		}
	}
	return out
}

// Took returns how long the exchange took, rounded for people: 1.234s, 12.3ms, 340µs.
func (e *Exchange) Took() time.Duration {
	d := e.Duration
	switch {
	case d >= time.Second:
		return d.Round(time.Millisecond)
	case d >= time.Millisecond:
		return d.Round(100 * time.Microsecond)
	}
	return d.Round(time.Microsecond)
}
