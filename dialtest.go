package koomock

import (
	"time"

	"github.com/koomock/koomock/protocol"
)

// DebugCase is a passing exchange the seller saved in the console's debugging (调试用例). KooGallery
// replays the saved cases against the production URL twice a day as dial tests (拨测), with testFlag
// "1", while the product is on sale (spec saas-v2 §1).
type DebugCase struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	// Activity and Body are the callback replayed; Body carries testFlag "1".
	Activity protocol.Activity `json:"activity"`
	Body     map[string]any    `json:"body"`
	// ProductID is the product the case belongs to: five failing days freeze it.
	ProductID string `json:"productId"`
	// FromExchange is the exchange the case was saved from.
	FromExchange int64     `json:"fromExchange"`
	CreatedAt    time.Time `json:"createdAt"`
	// Runs are the latest replays, oldest first (at most MaxCaseRuns).
	Runs []CaseRun `json:"runs"`
	// FailedDays counts consecutive days (UTC+8) on which a replay failed; LastFailedDay is the latest.
	FailedDays    int    `json:"failedDays"`
	LastFailedDay string `json:"lastFailedDay,omitempty"`
}

// MaxCaseRuns is how many replays a debug case keeps in its history.
const MaxCaseRuns = 100

// CaseRun is one replay of a debug case.
type CaseRun struct {
	At       time.Time `json:"at"`
	Exchange int64     `json:"exchange"`
	Passed   bool      `json:"passed"`
	// DialTest is false for a replay asked for on demand.
	DialTest bool `json:"dialTest"`
}

// ProductState is whether a product is on sale. KooGallery freezes and hides a product whose debug
// case failed its dial test on five consecutive days (spec saas-v2 §1).
type ProductState struct {
	ProductID string    `json:"productId"`
	Frozen    bool      `json:"frozen"`
	FrozenAt  time.Time `json:"frozenAt,omitzero"`
	Reason    string    `json:"reason,omitempty"`
}
