package koomock

import "time"

// UsageRecord is one usage record a seller pushed, as koomock stored it.
type UsageRecord struct {
	MeteringSN string    `json:"meteringSn"`
	InstanceID string    `json:"instanceId"`
	Value      float64   `json:"value"`
	BeginAt    time.Time `json:"beginAt"`
	EndAt      time.Time `json:"endAt"`
	RecordAt   time.Time `json:"recordAt"`
	// PackageInstanceID is the package the usage was drawn from, if any.
	PackageInstanceID string `json:"packageInstanceId,omitempty"`
	// Exchange is the push that carried the record; ReceivedAt when koomock stored it.
	Exchange   int64     `json:"exchange"`
	ReceivedAt time.Time `json:"receivedAt"`
}
