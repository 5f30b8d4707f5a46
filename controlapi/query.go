package controlapi

import (
	"net/url"
	"strconv"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/protocol"
)

// MaxExchanges is the most journal entries one query returns.
const MaxExchanges = 1000

// FilterValues encodes a journal filter as the URL parameters of GET /_mock/exchanges and
// GET /_mock/events.
func FilterValues(q koomock.ExchangeFilter) url.Values {
	v := url.Values{}
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	set("direction", string(q.Direction))
	set("activity", string(q.Activity))
	set("order", q.OrderID)
	set("instance", q.InstanceID)
	set("tenant", q.TenantID)
	if q.FailedOnly {
		v.Set("failed", "true")
	}
	if q.BeforeID > 0 {
		v.Set("before", strconv.FormatInt(q.BeforeID, 10))
	}
	if q.AfterID > 0 {
		v.Set("after", strconv.FormatInt(q.AfterID, 10))
	}
	if q.Limit > 0 {
		v.Set("limit", strconv.Itoa(q.Limit))
	}
	return v
}

// ParseFilter reads the URL parameters FilterValues writes, refusing impossible values with a
// CodeInvalid error.
func ParseFilter(v url.Values) (koomock.ExchangeFilter, error) {
	q := koomock.ExchangeFilter{
		Direction:  koomock.Direction(v.Get("direction")),
		Activity:   protocol.Activity(v.Get("activity")),
		OrderID:    v.Get("order"),
		InstanceID: v.Get("instance"),
		TenantID:   v.Get("tenant"),
		FailedOnly: v.Get("failed") == "true",
	}
	if q.Direction != "" && q.Direction != koomock.Inbound && q.Direction != koomock.Outbound {
		return q, Errorf(CodeInvalid, "direction must be inbound or outbound")
	}
	for name, dst := range map[string]*int64{"before": &q.BeforeID, "after": &q.AfterID} {
		if s := v.Get(name); s != "" {
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil || n < 0 {
				return q, Errorf(CodeInvalid, "%s must be an exchange ID", name)
			}
			*dst = n
		}
	}
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > MaxExchanges {
			return q, Errorf(CodeInvalid, "limit must be 1 to %d", MaxExchanges)
		}
		q.Limit = n
	}
	return q, nil
}
