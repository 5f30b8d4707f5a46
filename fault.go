package koomock

// Fault is a scripted fault a developer switched on through the control API: koomock then misbehaves
// on purpose (tampers with a callback's signature, treats the seller as unreachable, answers an API
// slowly or with an error) so that the seller's handling of it can be watched and tested.
type Fault struct {
	ID int64 `json:"id"`
	// Name is one of the faults the running flows declare (GET /_mock/faults lists them).
	Name string `json:"name"`
	// Target narrows the fault to one activity or API; empty means every one it applies to.
	Target string `json:"target,omitempty"`
	// Remaining is how many more times the fault fires; 0 means until it is cleared.
	Remaining int `json:"remaining,omitempty"`
	// Value parameterises the fault: a latency ("3s"), an HTTP status ("503"), an error code.
	Value string `json:"value,omitempty"`
}
