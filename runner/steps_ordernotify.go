package runner

import (
	"context"
	"errors"
	"fmt"
)

// notifyOrder sends orderNotify for the scenario's latest order.
func notifyOrder(ctx context.Context) error {
	s := state(ctx)
	if len(s.orders) == 0 {
		return harness(errors.New("no order in this scenario to notify the seller of"))
	}
	e, err := s.api.NotifyOrder(ctx, s.orders[len(s.orders)-1].Order.ID)
	if err != nil {
		return harness(fmt.Errorf("send orderNotify: %w", err))
	}
	s.record(e)
	return nil
}
