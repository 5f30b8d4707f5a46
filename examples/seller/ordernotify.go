package seller

import (
	"context"
	"errors"

	"github.com/koomock/koomock/protocol"
)

// orderNotify takes KooGallery's order notification (订单通知, for products that opted in): the
// seller looks the order up, as it does for every callback that names one, and acknowledges it. The
// instance itself is still created by newInstance.
func (s *Seller) orderNotify(ctx context.Context, f fields) any {
	if f.missing(protocol.FieldOrderID, protocol.FieldOrderLineID) {
		return badParam()
	}
	if f.debug() {
		return ok()
	}
	_, err := s.lookUpOrder(ctx, f.str(protocol.FieldOrderID), f.str(protocol.FieldOrderLineID))
	if errors.Is(err, errNoSuchOrder) {
		return badParam()
	}
	if err != nil {
		s.cfg.Logger.Warn("order query failed", "order", f.str(protocol.FieldOrderID), "err", err)
		return innerError()
	}
	return ok()
}
