package saas

import (
	"context"
	"errors"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/mock/notify"
	"github.com/koomock/koomock/protocol"
	"github.com/koomock/koomock/store"
)

// NotifyOrder sends orderNotify (订单通知) for an order: the order notification of newer product lines
// that opted in, signed like the basic activities (spec saas-v2 §3.8). It is sent on request, not on
// every purchase: when KooGallery sends it relative to newInstance is not documented.
func (m *Market) NotifyOrder(ctx context.Context, orderID string) (*koomock.Exchange, error) {
	if err := m.needSeller(); err != nil {
		return nil, err
	}
	o, err := m.Store.Order(ctx, orderID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, controlapi.Errorf(controlapi.CodeNotFound, "order %s does not exist", orderID)
	}
	if err != nil {
		return nil, err
	}
	body := map[string]any{
		protocol.FieldActivity:    string(protocol.OrderNotify),
		protocol.FieldOrderID:     o.ID,
		protocol.FieldOrderLineID: o.LineID,
	}
	m.testFlag(body, o.TestFlag)
	sent, err := m.Courier.Send(ctx, notify.Callback{
		Activity: protocol.OrderNotify, URL: m.SellerURL, Key: m.AccessKey, Body: body, OrderID: o.ID,
	}, string(protocol.OrderNotify))
	if err != nil {
		return nil, err
	}
	return sent[len(sent)-1], nil
}
