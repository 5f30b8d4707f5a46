package controlapi

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/protocol"
)

// DeliveryList carries deliveries, newest first.
type DeliveryList struct {
	Deliveries []koomock.Delivery `json:"deliveries"`
}

// DeliveryResult is a delivery with the exchange the request caused, if any.
type DeliveryResult struct {
	Delivery koomock.Delivery  `json:"delivery"`
	Exchange *koomock.Exchange `json:"exchange,omitempty"`
}

// DeliveryQuery filters deliveries; zero fields select everything.
type DeliveryQuery struct {
	Status     koomock.DeliveryStatus
	Activity   protocol.Activity
	OrderID    string
	InstanceID string
	Limit      int
}

// Deliveries lists deliveries, newest first; Status "failed" lists what KooGallery gave up on.
func (c *Client) Deliveries(ctx context.Context, q DeliveryQuery) ([]koomock.Delivery, error) {
	v := url.Values{}
	for k, val := range map[string]string{"status": string(q.Status), "activity": string(q.Activity), "order": q.OrderID, "instance": q.InstanceID} {
		if val != "" {
			v.Set(k, val)
		}
	}
	if q.Limit > 0 {
		v.Set("limit", strconv.Itoa(q.Limit))
	}
	var r DeliveryList
	err := c.do(ctx, http.MethodGet, "/_mock/deliveries?"+v.Encode(), nil, &r)
	return r.Deliveries, err
}

// Delivery returns one delivery.
func (c *Client) Delivery(ctx context.Context, id int64) (koomock.Delivery, error) {
	var r DeliveryResult
	err := c.do(ctx, http.MethodGet, "/_mock/deliveries/"+strconv.FormatInt(id, 10), nil, &r)
	return r.Delivery, err
}

// ResendDelivery makes one attempt at a delivery now, as the seller console's re-trigger does.
func (c *Client) ResendDelivery(ctx context.Context, id int64) (DeliveryResult, error) {
	var r DeliveryResult
	err := c.do(ctx, http.MethodPost, "/_mock/deliveries/"+strconv.FormatInt(id, 10)+"/resend", nil, &r)
	return r, err
}
