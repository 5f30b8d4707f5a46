package koomock

import "time"

// OrderType is KooGallery's order type, as the order query API reports it (spec saas-v2 §6.2).
type OrderType string

// Order types.
const (
	OrderNew           OrderType = "NEW"
	OrderTrial         OrderType = "TRIAL"
	OrderTrialToFormal OrderType = "TRIAL_TO_FORMAL"
	OrderRenew         OrderType = "RENEW"
	OrderUnsubscribe   OrderType = "UNSUBSCRIBE"
	OrderChange        OrderType = "CHANGE"
)

// ChargingMode is how an order line is charged (spec saas-v2 §6.2).
type ChargingMode string

// Charging modes.
const (
	ChargingPeriod      ChargingMode = "PERIOD"
	ChargingOneTime     ChargingMode = "ONE_TIME"
	ChargingOnDemand    ChargingMode = "ON_DEMAND"
	ChargingOnDemandPkg ChargingMode = "ON_DEMAND_PKG"
)

// PeriodType is the unit of a periodic (包周期) order.
type PeriodType string

// Period types.
const (
	PeriodYear  PeriodType = "year"
	PeriodMonth PeriodType = "month"
	PeriodDay   PeriodType = "day"
)

// OrderStatus is how far koomock got in delivering an order to the seller.
type OrderStatus string

// Order statuses.
const (
	// OrderPending: the callback for the order has not been answered with success yet.
	OrderPending OrderStatus = "pending"
	// OrderDelivered: the seller acknowledged the order.
	OrderDelivered OrderStatus = "delivered"
	// OrderFailed: the seller refused or never answered; KooGallery would cancel and refund.
	OrderFailed OrderStatus = "failed"
	// OrderRefunded: the buyer cancelled a renewal before its period began (退续费).
	OrderRefunded OrderStatus = "refunded"
)

// Order is one KooGallery order with its single order line. Real orders can carry several lines;
// koomock emulates one line per order because every callback names exactly one.
type Order struct {
	ID           string       `json:"orderId"`
	LineID       string       `json:"orderLineId"`
	Type         OrderType    `json:"orderType"`
	ChargingMode ChargingMode `json:"chargingMode"`
	PeriodType   PeriodType   `json:"periodType,omitempty"`
	PeriodNumber int          `json:"periodNumber,omitempty"`
	ProductID    string       `json:"productId"`
	SKUCode      string       `json:"skuCode"`
	ProductName  string       `json:"productName"`
	// LinearValue is the chosen quantity of a linear attribute (users, seats), 0 when the product has none.
	LinearValue  int    `json:"linearValue,omitempty"`
	CustomerID   string `json:"customerId"`
	CustomerName string `json:"customerName"`
	// TestFlag is "1" for debug orders; empty for real ones.
	TestFlag string `json:"testFlag,omitempty"`
	// InstanceID is the instance the order created (from the seller's first answer) or acts on.
	InstanceID string      `json:"instanceId,omitempty"`
	Status     OrderStatus `json:"status"`
	CreatedAt  time.Time   `json:"createTime"`
	// ExpireAt is when the purchased period ends; zero for one-time and on-demand orders.
	ExpireAt time.Time `json:"expireTime,omitzero"`
	// PreviousExpireAt is, for a renewal, the expiry it extended: cancelling the renewal restores it.
	PreviousExpireAt time.Time `json:"previousExpireTime,omitzero"`
	// ExtendParams are the purchase-time parameters the buyer filled in (the order query's extendParams).
	ExtendParams []Param `json:"extendParams,omitempty"`
}

// Param is a key and a value, as KooGallery's extendParams carry them.
type Param struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// InstanceState is where an instance is in its KooGallery life.
type InstanceState string

// Instance states.
const (
	InstanceCreating InstanceState = "creating"
	InstanceActive   InstanceState = "active"
	InstanceFrozen   InstanceState = "frozen"
	InstanceReleased InstanceState = "released"
	// InstanceFailed: the seller answered 000004 but never delivered the instance within the window;
	// KooGallery cancels the order.
	InstanceFailed InstanceState = "failed"
)

// Instance is what a seller created for an order, as KooGallery knows it.
type Instance struct {
	ID string `json:"instanceId"`
	// OrderID is the order that created the instance; later orders (renewals, upgrades...) name it.
	OrderID   string        `json:"orderId"`
	State     InstanceState `json:"state"`
	CreatedAt time.Time     `json:"createdAt"`
	ExpireAt  time.Time     `json:"expireTime,omitzero"`
	// What the instance is, as its latest order left it.
	ProductID    string       `json:"productId,omitempty"`
	SKUCode      string       `json:"skuCode,omitempty"`
	ChargingMode ChargingMode `json:"chargingMode,omitempty"`
	LinearValue  int          `json:"linearValue,omitempty"`
	// Trial is set while the instance is a trial not yet converted to a formal purchase.
	Trial bool `json:"trial,omitempty"`
	// FrozenAt is when the instance was last frozen; ReleaseAt when its freeze window ends.
	FrozenAt  time.Time `json:"frozenAt,omitzero"`
	ReleaseAt time.Time `json:"releaseAt,omitzero"`
	// ReleasedAt is when KooGallery released the instance.
	ReleasedAt time.Time `json:"releasedAt,omitzero"`
	// CreatingUntil is when KooGallery stops polling an instance the seller is creating asynchronously.
	CreatingUntil time.Time `json:"creatingUntil,omitzero"`
}
