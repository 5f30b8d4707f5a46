package controlapi

import (
	"fmt"
	"strings"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/protocol"
)

// Probe is a deliberate fault koomock puts into a callback to check that the seller refuses it.
type Probe string

// The probes. A missing-field probe names its field: "missing-field:orderId".
const (
	// NoProbe marks a correct callback.
	NoProbe Probe = ""
	// TamperedSignature changes one character of an otherwise correct signature.
	TamperedSignature Probe = "tampered-signature"
	// StaleTimestamp signs correctly, but with a timestamp 10 minutes old (the window is 60 s).
	StaleTimestamp Probe = "stale-timestamp"
	// MissingSignature sends no signature parameter at all.
	MissingSignature Probe = "missing-signature"
	// UnknownInstance sends a correct callback naming an instance the seller never created; the seller
	// must answer 000003 (spec saas-v2 §4).
	UnknownInstance Probe = "unknown-instance"
	// TooManyIDs sends queryInstance with 101 instance IDs; the seller must refuse with 000002
	// (spec saas-v2 §3.2).
	TooManyIDs         Probe = "too-many-ids"
	missingFieldPrefix       = "missing-field:"
)

// StaleBy is how old a stale-timestamp probe's timestamp is: far outside the 60 s window, so that no
// clock skew can excuse accepting it.
const StaleBy = 10 * time.Minute

// MissingField returns the probe that leaves out field and signs the rest correctly.
func MissingField(field string) Probe { return Probe(missingFieldPrefix + field) }

// ParseProbe validates a probe name.
func ParseProbe(s string) (Probe, error) {
	switch p := Probe(s); p {
	case NoProbe, TamperedSignature, StaleTimestamp, MissingSignature, UnknownInstance, TooManyIDs:
		return p, nil
	}
	if f, ok := strings.CutPrefix(s, missingFieldPrefix); ok && f != "" {
		return Probe(s), nil
	}
	return "", fmt.Errorf("unknown probe %q: want %s, %s, %s, %s, %s or %sFIELD",
		s, TamperedSignature, StaleTimestamp, MissingSignature, UnknownInstance, TooManyIDs, missingFieldPrefix)
}

// Field returns the field a missing-field probe leaves out.
func (p Probe) Field() (string, bool) {
	return strings.CutPrefix(string(p), missingFieldPrefix)
}

// DefaultRefusals are the result codes that count as refusing each kind of probe by default: the codes
// Huawei's official sample answers (spec saas-v2 §2.5): 000001 for a bad signature, 000002 for a bad
// timestamp or a missing parameter (or 000003 when the missing parameter is the instanceId).
func (p Probe) DefaultRefusals() []string {
	switch {
	case p == TamperedSignature || p == MissingSignature:
		return []string{string(protocol.ResultAuthFailed)}
	case p == StaleTimestamp || p == TooManyIDs:
		return []string{string(protocol.ResultInvalidParam)}
	case p == UnknownInstance:
		return []string{string(protocol.ResultNoSuchInstance)}
	}
	if f, ok := p.Field(); ok {
		// A sound seller may also answer "no such instance" when the instance's identity is missing.
		if f == protocol.FieldInstanceID {
			return []string{string(protocol.ResultInvalidParam), string(protocol.ResultNoSuchInstance)}
		}
		return []string{string(protocol.ResultInvalidParam)}
	}
	return nil
}

// Rule is the one rule a probe's answer is judged under: a signature or timestamp probe under
// probe.refused, a missing-field probe under the advisory probe.missingField (KooGallery never sends
// one), and the probes of a documented answer under their own rule.
func (p Probe) Rule() koomock.Rule {
	if _, ok := p.Field(); ok {
		return koomock.RuleMissingField
	}
	switch p {
	case UnknownInstance:
		return koomock.RuleUnknownInstance
	case TooManyIDs:
		return koomock.RuleQueryLimit
	}
	return koomock.RuleRefused
}

// Kind is the probe without its field, the key under which accepted refusal codes are configured.
func (p Probe) Kind() string {
	if _, ok := p.Field(); ok {
		return strings.TrimSuffix(missingFieldPrefix, ":")
	}
	return string(p)
}
