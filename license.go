package koomock

import "time"

// LicenseState is where a License 2.0 code is in its KooGallery life (spec license-login §1.1, §1.7).
// Whether the buyer received it and whether the seller's software activated it are separate facts:
// a code that was never activated still expires and is released.
type LicenseState string

// License code states.
const (
	// LicenseActive: within its validity (whether or not it was activated yet).
	LicenseActive LicenseState = "active"
	// LicenseFrozen: expired; KooGallery sent FREEZE and keeps it for the freeze window (up to 15
	// days), during which a renewal unfreezes it.
	LicenseFrozen LicenseState = "frozen"
	// LicenseReleased: unsubscribed, or not renewed within the freeze window; KooGallery sent
	// releaseLicenseCode.
	LicenseReleased LicenseState = "released"
)

// LicenseCode is one License 2.0 license code (授权码) as KooGallery knows it. The flags Activated and
// HeartbeatSeen are what the seller console shows for test codes (已激活, 已检测).
type LicenseCode struct {
	Code        string `json:"code"`
	OrderID     string `json:"orderId"`
	OrderLineID string `json:"orderLineId"`
	ProductID   string `json:"productId"`
	// Amount is the quantity attribute of the purchase, reported in license_code_info.
	Amount int `json:"amount"`
	// TestFlag is "1" for test codes made in the seller console; empty for bought ones.
	TestFlag  string       `json:"testFlag,omitempty"`
	State     LicenseState `json:"state"`
	CreatedAt time.Time    `json:"createdAt"`
	// ReceivedAt is when the buyer received the code; it cannot be activated before.
	ReceivedAt time.Time `json:"receivedAt,omitzero"`
	// Activated and ActivatedAt: the seller's software activated the code (once).
	Activated   bool      `json:"activated"`
	ActivatedAt time.Time `json:"activatedAt,omitzero"`
	// RealEffectAt is the real_effect_time the software sent on activation, if any.
	RealEffectAt time.Time `json:"realEffectAt,omitzero"`
	// HeartbeatSeen: the software queried the code's status at least once after activation.
	HeartbeatSeen bool `json:"heartbeatSeen"`
	// UsageSeen: the software reported usage statistics at least once.
	UsageSeen bool      `json:"usageSeen"`
	ExpireAt  time.Time `json:"expireAt"`
	// Renewals are the renewals not unsubscribed, oldest first; unsubscribing the renewal period
	// takes the last one back.
	Renewals   []LicenseRenewal `json:"renewals,omitempty"`
	FrozenAt   time.Time        `json:"frozenAt,omitzero"`
	ReleasedAt time.Time        `json:"releasedAt,omitzero"`
	// ReleaseOrderID and ReleaseOrderLineID are the unsubscription that released the code, if any.
	ReleaseOrderID     string `json:"releaseOrderId,omitempty"`
	ReleaseOrderLineID string `json:"releaseOrderLineId,omitempty"`
}

// Received reports whether the buyer received the code.
func (c LicenseCode) Received() bool { return !c.ReceivedAt.IsZero() }

// LicenseRenewal is one renewal of a code: its order and the expiry it replaced.
type LicenseRenewal struct {
	OrderID     string    `json:"orderId"`
	OrderLineID string    `json:"orderLineId"`
	From        time.Time `json:"from"`
	To          time.Time `json:"to"`
}

// LicenseEventKind names what happened to a code.
type LicenseEventKind string

// License code events: its history as KooGallery keeps it.
const (
	LicenseEventIssued        LicenseEventKind = "issued"
	LicenseEventReceived      LicenseEventKind = "received"
	LicenseEventActivated     LicenseEventKind = "activated"
	LicenseEventHeartbeat     LicenseEventKind = "heartbeat"
	LicenseEventUsage         LicenseEventKind = "usage"
	LicenseEventRenewed       LicenseEventKind = "renewed"
	LicenseEventRenewalUndone LicenseEventKind = "renewalUnsubscribed"
	LicenseEventFrozen        LicenseEventKind = "frozen"
	LicenseEventUnfrozen      LicenseEventKind = "unfrozen"
	LicenseEventReleased      LicenseEventKind = "released"
)

// LicenseEvent is one entry of a code's history: an activation, a heartbeat, a usage report, a
// lifecycle step.
type LicenseEvent struct {
	ID   int64            `json:"id"`
	Code string           `json:"code"`
	Kind LicenseEventKind `json:"kind"`
	At   time.Time        `json:"at"`
	// API is the API version of a call from the software ("v1", "v2"); empty for lifecycle steps.
	API string `json:"api,omitempty"`
	// Status is the status a heartbeat reported.
	Status string `json:"status,omitempty"`
	// Account and IP are a heartbeat's heartbeatInfo, or a usage report's client login ID.
	Account string `json:"account,omitempty"`
	IP      string `json:"ip,omitempty"`
	// ActiveNum is a usage report's number of active clients.
	ActiveNum *int `json:"activeNum,omitempty"`
	// OrderID is the order behind a lifecycle step (renewal, unsubscription).
	OrderID string `json:"orderId,omitempty"`
	// Note says more, for people.
	Note string `json:"note,omitempty"`
	// ExchangeID is the journal entry of the call, for history read from the journal.
	ExchangeID int64 `json:"exchangeId,omitempty"`
}

// End returns when n periods of p starting at start end, and false for an unknown period type.
func (p PeriodType) End(start time.Time, n int) (time.Time, bool) {
	switch p {
	case PeriodYear:
		return start.AddDate(n, 0, 0), true
	case PeriodMonth:
		return start.AddDate(0, n, 0), true
	case PeriodDay:
		return start.AddDate(0, 0, n), true
	}
	return time.Time{}, false
}
