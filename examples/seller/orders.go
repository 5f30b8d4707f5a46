package seller

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/koomock/koomock/protocol"
)

// Charging modes the seller tells apart.
const (
	chargingOnDemand    = "ON_DEMAND"
	chargingOnDemandPkg = "ON_DEMAND_PKG"
)

// errNoSuchOrder means KooGallery does not know the order: the callback was not about a real order.
var errNoSuchOrder = errors.New("KooGallery does not know the order")

// lookUpOrder asks KooGallery's order query what was bought (spec saas-v2 §6.2), signed with AK/SK
// as Huawei's SDK signs (the host and X-Sdk-Date headers). Without a marketplace URL it returns nil:
// the seller then provisions from the callback alone.
func (s *Seller) lookUpOrder(ctx context.Context, orderID, lineID string) (*protocol.OrderInfo, error) {
	if s.cfg.MarketplaceURL == "" {
		return nil, nil
	}
	q := url.Values{protocol.QueryOrderID: {orderID}}
	if lineID != "" {
		q.Set(protocol.QueryOrderLineID, lineID)
	}
	u := strings.TrimSuffix(s.cfg.MarketplaceURL, "/") + protocol.OrderQueryPath + "?" + q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	protocol.SignAPIGRequest(req, nil, s.cfg.AK, s.cfg.SK, s.cfg.Wall())
	resp, err := s.cfg.HTTPClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("order query: %w", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return nil, fmt.Errorf("order query: %w", err)
	}
	var res protocol.OrderQueryResult
	if err := json.Unmarshal(raw, &res); err != nil || resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("order query: HTTP %d %.200s", resp.StatusCode, raw)
	}
	if res.ResultCode != protocol.MKTSuccess || res.OrderInfo == nil {
		return nil, fmt.Errorf("%w: %s %s", errNoSuchOrder, res.ResultCode, res.ResultMsg)
	}
	return res.OrderInfo, nil
}
