package koomock

// Diagnosis explains why a signature did not match: what koomock expected, step by step, and which
// known mistake the signature matches when one does. Diagnoses never carry a secret.
type Diagnosis struct {
	// Scheme is the signature scheme: "apig", "v2-basic", "body-sign", ...
	Scheme string `json:"scheme"`
	// Mistake is the stable name of the recognised mistake, "" when none explains the signature.
	Mistake string `json:"mistake,omitempty"`
	// Summary is one line a seller can act on, in English; Key and Args are its catalog message, which a
	// reader renders in its language ("" for a diagnosis written before diagnoses had keys).
	Summary string   `json:"summary"`
	Key     string   `json:"key,omitempty"`
	Args    []string `json:"args,omitempty"`
	// Expected are the intermediate values koomock computed, in order.
	Expected []Step `json:"expected,omitempty"`
	// Matched are the intermediate values under the recognised mistake, which the signature matches.
	Matched []Step `json:"matched,omitempty"`
	// Causes lists likely causes when the mistake cannot be seen from koomock's side (a seller refusing
	// a correctly signed callback), each with the value the seller's verifier would then compute.
	Causes []string `json:"causes,omitempty"`
}

// Step is one named intermediate value of a signature.
type Step struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}
