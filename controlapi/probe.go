package controlapi

import (
	"fmt"
	"strings"
	"time"

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
// timestamp or a missing parameter.
func (p Probe) DefaultRefusals() []string {
	switch {
	case p == TamperedSignature || p == MissingSignature:
		return []string{string(protocol.ResultAuthFailed)}
	case p == StaleTimestamp || p == TooManyIDs:
		return []string{string(protocol.ResultInvalidParam)}
	case p == UnknownInstance:
		return []string{string(protocol.ResultNoSuchInstance)}
	}
	if _, ok := p.Field(); ok {
		return []string{string(protocol.ResultInvalidParam)}
	}
	return nil
}

// Kind is the probe without its field, the key under which accepted refusal codes are configured.
func (p Probe) Kind() string {
	if _, ok := p.Field(); ok {
		return strings.TrimSuffix(missingFieldPrefix, ":")
	}
	return string(p)
}
