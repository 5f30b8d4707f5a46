package koomock

import "github.com/koomock/koomock/protocol"

// ExchangeFilter selects journal entries; zero fields select everything.
type ExchangeFilter struct {
	Direction  Direction
	Activity   protocol.Activity
	OrderID    string
	InstanceID string
	// TenantID keeps the kit syncs and identity-provider calls of one joint-operation tenant.
	TenantID string
	// FailedOnly keeps exchanges with at least one failed verdict.
	FailedOnly bool
	// BeforeID pages backwards: only entries with a smaller ID.
	BeforeID int64
	// AfterID pages forwards: only entries with a larger ID.
	AfterID int64
	// Limit caps the result; 0 means 100.
	Limit int
}

// Matches reports whether e is one of the exchanges the filter selects (paging aside: Limit is not
// considered), so that a live stream filters as the journal query does.
func (f ExchangeFilter) Matches(e *Exchange) bool {
	switch {
	case f.Direction != "" && e.Direction != f.Direction,
		f.Activity != "" && e.Activity != f.Activity,
		f.OrderID != "" && e.OrderID != f.OrderID,
		f.InstanceID != "" && e.InstanceID != f.InstanceID,
		f.TenantID != "" && e.TenantID != f.TenantID,
		f.FailedOnly && !e.Failed(),
		f.BeforeID > 0 && e.ID >= f.BeforeID,
		f.AfterID > 0 && e.ID <= f.AfterID:
		return false
	}
	return true
}
