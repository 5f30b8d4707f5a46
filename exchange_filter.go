package koomock

// ExchangeFilter selects journal entries; zero fields select everything.
type ExchangeFilter struct {
	Direction  Direction
	Activity   string
	OrderID    string
	InstanceID string
	// FailedOnly keeps exchanges with at least one failed verdict.
	FailedOnly bool
	// BeforeID pages backwards: only entries with a smaller ID.
	BeforeID int64
	// AfterID pages forwards: only entries with a larger ID.
	AfterID int64
	// Limit caps the result; 0 means 100.
	Limit int
}
