package koomock

import (
	"time"

	"github.com/koomock/koomock/protocol"
)

// DeliveryStatus is where a callback's delivery stands.
type DeliveryStatus string

// Delivery statuses.
const (
	// DeliveryPending: the first attempt is under way.
	DeliveryPending DeliveryStatus = "pending"
	// DeliveryRetrying: an attempt failed and the next one is scheduled.
	DeliveryRetrying DeliveryStatus = "retrying"
	// DeliveryDelivered: the seller acknowledged the callback.
	DeliveryDelivered DeliveryStatus = "delivered"
	// DeliveryFailed: the retry window closed without success; KooGallery gives up, and the seller
	// must fix its service and re-trigger the message (卖家中心 > 生产接口消息 > 重新启动).
	DeliveryFailed DeliveryStatus = "failed"
)

// Delivery is one callback KooGallery owes the seller, with every attempt at sending it. KooGallery
// retries a failed callback on a schedule within a window (create and upgrade 3 h, the others 1 h);
// each attempt is an exchange in the journal.
type Delivery struct {
	ID int64 `json:"id"`
	// Kind names the flow that builds and settles the delivery (e.g. "saas.newInstance").
	Kind       string            `json:"kind"`
	Activity   protocol.Activity `json:"activity"`
	OrderID    string            `json:"orderId,omitempty"`
	InstanceID string            `json:"instanceId,omitempty"`
	// Body holds the callback's fields; a flow may renew some per attempt (newInstance's businessId).
	Body   map[string]any `json:"body"`
	Status DeliveryStatus `json:"status"`
	// Attempts counts the attempts so far; Exchanges are their journal entries, oldest first.
	Attempts  int       `json:"attempts"`
	Exchanges []int64   `json:"exchanges"`
	StartedAt time.Time `json:"startedAt"`
	// GiveUpAt is the end of the retry window; Every the time between attempts.
	GiveUpAt time.Time     `json:"giveUpAt"`
	Every    time.Duration `json:"everyNs"`
	// NextAttemptAt is when the next retry is due (zero when none is scheduled).
	NextAttemptAt time.Time `json:"nextAttemptAt,omitzero"`
	DeliveredAt   time.Time `json:"deliveredAt,omitzero"`
	// LastError says why the latest attempt failed.
	LastError string `json:"lastError,omitempty"`
}
