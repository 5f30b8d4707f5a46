package saasapi

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/i18n"
	"github.com/koomock/koomock/mock/inbound"
	"github.com/koomock/koomock/protocol"
	"github.com/koomock/koomock/store"
)

// The order query's answer messages.
const (
	msgSuccess = "success"
	// codeNoOrder answers an unknown order or order line. The documentation's error table was not
	// available; MKT.0101 (invalid parameter) is koomock's choice, stated in marketplace.yaml.
	codeNoOrder = protocol.MKTInvalidParam
)

func (a *API) handleOrderQuery(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	orderID, lineID := q.Get(protocol.QueryOrderID), q.Get(protocol.QueryOrderLineID)
	o, err := a.LookupOrder(ctx, orderID)
	if errors.Is(err, store.ErrNotFound) {
		a.noOrder(w, r, fmt.Sprintf("order %s does not exist", orderID), "verdict.orderQuery.noOrder", orderID)
		return
	}
	if err != nil {
		a.Logger.Error("order query", "order", orderID, "err", err)
		writeJSON(w, http.StatusInternalServerError, protocol.OrderQueryResult{ResultCode: protocol.MKTInternal, ResultMsg: "internal error"})
		return
	}
	inbound.Correlate(ctx, o.ID, o.InstanceID)
	if lineID != "" && lineID != o.LineID {
		a.noOrder(w, r, fmt.Sprintf("order %s has no order line %s (its line is %s)", orderID, lineID, o.LineID), "verdict.orderQuery.noLine", orderID, lineID, o.LineID)
		return
	}
	inbound.Judge(ctx, i18n.Verdict(koomock.RuleOrderQuery, koomock.Pass, "verdict.orderQuery.pass", o.Type, o.ID))
	writeJSON(w, http.StatusOK, protocol.OrderQueryResult{ResultCode: protocol.MKTSuccess, ResultMsg: msgSuccess, OrderInfo: OrderInfo(o)})
}

// noOrder answers an order query for an order koomock does not know. It is a warning, not a broken
// rule: a seller may look up an order that does not exist, but it usually means a typo. msg is the
// result message KooGallery sends (English); key and args say the same in the verdict, in the
// reader's language.
func (a *API) noOrder(w http.ResponseWriter, r *http.Request, msg, key string, args ...any) {
	inbound.Judge(r.Context(), i18n.Verdict(koomock.RuleOrderQuery, koomock.Warn, key, args...))
	writeJSON(w, http.StatusOK, protocol.OrderQueryResult{ResultCode: codeNoOrder, ResultMsg: msg})
}

// OrderInfo renders an order as the order query returns it: one order line with its product.
func OrderInfo(o koomock.Order) *protocol.OrderInfo {
	line := protocol.OrderLine{
		OrderLineID: o.LineID, ChargingMode: string(o.ChargingMode),
		PeriodType: string(o.PeriodType), PeriodNumber: o.PeriodNumber,
		ProductInfo: []protocol.ProductInfo{{ProductID: o.ProductID, SKUCode: o.SKUCode, LinearValue: o.LinearValue, ProductName: o.ProductName}},
	}
	if !o.ExpireAt.IsZero() {
		line.ExpireTime = o.ExpireAt.UTC().Format(protocol.OrderTimeLayout)
	}
	info := &protocol.OrderInfo{
		OrderID: o.ID, OrderType: string(o.Type), CreateTime: o.CreatedAt.UTC().Format(protocol.OrderTimeLayout),
		OrderLine: []protocol.OrderLine{line},
		BuyerInfo: &protocol.BuyerInfo{CustomerID: o.CustomerID, CustomerName: o.CustomerName},
	}
	for _, p := range o.ExtendParams {
		info.ExtendParams = append(info.ExtendParams, protocol.ExtendParam{Key: p.Key, Value: p.Value})
	}
	return info
}
