package controlapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/koomock/koomock"
)

// Client drives a koomock server through its control API.
type Client struct {
	// BaseURL is the server's root URL, e.g. http://127.0.0.1:8080.
	BaseURL string
	// HTTPClient is used for every call; http.DefaultClient when nil.
	HTTPClient *http.Client
	// Token is the admin token, sent as a bearer token when set.
	Token string
}

// UnreachableError means the control API could not be reached or answered something that is not its
// own format: koomock itself is down or misaddressed.
type UnreachableError struct {
	Err error
}

// Error says koomock could not be reached, and why.
func (e *UnreachableError) Error() string { return "koomock control API: " + e.Err.Error() }

// Unwrap returns the transport error.
func (e *UnreachableError) Unwrap() error { return e.Err }

func (c *Client) do(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	size := int64(-1)
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body, size = bytes.NewReader(b), int64(len(b))
	}
	return c.send(ctx, method, path, "application/json", body, size, out)
}

// doStream sends body as it is read (an upload), as application/octet-stream; size ≥ 0 is its
// Content-Length.
func (c *Client) doStream(ctx context.Context, method, path string, body io.Reader, size int64, out any) error {
	return c.send(ctx, method, path, "application/octet-stream", body, size, out)
}

func (c *Client) send(ctx context.Context, method, path, contentType string, body io.Reader, size int64, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimSuffix(c.BaseURL, "/")+path, body)
	if err != nil {
		return &UnreachableError{Err: err}
	}
	if body != nil {
		req.Header.Set("Content-Type", contentType)
		if size >= 0 {
			req.ContentLength = size
		}
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	hc := c.HTTPClient
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return &UnreachableError{Err: err}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return &UnreachableError{Err: err}
	}
	if resp.StatusCode >= 300 {
		var eb errorBody
		if json.Unmarshal(data, &eb) == nil && eb.Error != nil {
			return eb.Error
		}
		return &UnreachableError{Err: fmt.Errorf("%s %s: HTTP %d", method, path, resp.StatusCode)}
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return &UnreachableError{Err: fmt.Errorf("%s %s: %w", method, path, err)}
	}
	return nil
}

// Health checks that the server is up.
func (c *Client) Health(ctx context.Context) error {
	return c.do(ctx, http.MethodGet, "/healthz", nil, nil)
}

// Settings returns the server's effective settings.
func (c *Client) Settings(ctx context.Context) (Settings, error) {
	var s Settings
	err := c.do(ctx, http.MethodGet, "/_mock/settings", nil, &s)
	return s, err
}

// RevealSettings returns the server's effective settings with the secrets in clear, for a person who
// asked to see them (the console's reveal button).
func (c *Client) RevealSettings(ctx context.Context) (Settings, error) {
	var s Settings
	err := c.do(ctx, http.MethodGet, "/_mock/settings?reveal=true", nil, &s)
	return s, err
}

// Orders returns the newest orders first, at most limit of them (100 when limit is 0).
func (c *Client) Orders(ctx context.Context, limit int) ([]koomock.Order, error) {
	path := "/_mock/orders"
	if limit > 0 {
		path += "?limit=" + strconv.Itoa(limit)
	}
	var r OrderList
	err := c.do(ctx, http.MethodGet, path, nil, &r)
	return r.Orders, err
}

// Buy places and pays for an order, which fires newInstance.
func (c *Client) Buy(ctx context.Context, req BuyRequest) (Purchase, error) {
	var p Purchase
	err := c.do(ctx, http.MethodPost, "/_mock/orders", req, &p)
	return p, err
}

// Order returns an order and its instance.
func (c *Client) Order(ctx context.Context, orderID string) (Purchase, error) {
	var p Purchase
	err := c.do(ctx, http.MethodGet, "/_mock/orders/"+url.PathEscape(orderID), nil, &p)
	return p, err
}

// Resend sends newInstance for an order again, with a new businessId, as KooGallery does.
func (c *Client) Resend(ctx context.Context, orderID string) (Purchase, error) {
	var p Purchase
	err := c.do(ctx, http.MethodPost, "/_mock/orders/"+url.PathEscape(orderID)+"/resend", nil, &p)
	return p, err
}

// NotifyOrder sends orderNotify (订单通知) for an order and returns its exchange.
func (c *Client) NotifyOrder(ctx context.Context, orderID string) (*koomock.Exchange, error) {
	var r ExchangeResult
	err := c.do(ctx, http.MethodPost, "/_mock/orders/"+url.PathEscape(orderID)+"/notify", nil, &r)
	return r.Exchange, err
}

// Probe sends a deliberately faulty callback.
func (c *Client) Probe(ctx context.Context, req ProbeRequest) (*koomock.Exchange, error) {
	var r ExchangeResult
	err := c.do(ctx, http.MethodPost, "/_mock/probes", req, &r)
	return r.Exchange, err
}

// Exchange returns one journal entry.
func (c *Client) Exchange(ctx context.Context, id int64) (*koomock.Exchange, error) {
	var r ExchangeResult
	err := c.do(ctx, http.MethodGet, "/_mock/exchanges/"+strconv.FormatInt(id, 10), nil, &r)
	return r.Exchange, err
}

// Exchanges returns journal entries, newest first.
func (c *Client) Exchanges(ctx context.Context, q koomock.ExchangeFilter) ([]koomock.Exchange, error) {
	var r ExchangeList
	err := c.do(ctx, http.MethodGet, "/_mock/exchanges?"+FilterValues(q).Encode(), nil, &r)
	return r.Exchanges, err
}

// Reproduce returns a curl command that re-sends an exchange with a fresh signature.
func (c *Client) Reproduce(ctx context.Context, id int64) (string, error) {
	var r Reproduction
	err := c.do(ctx, http.MethodGet, "/_mock/exchanges/"+strconv.FormatInt(id, 10)+"/curl", nil, &r)
	return r.Curl, err
}

// Replay re-sends an exchange with a fresh signature, judges the answer as the original was judged
// where that needs no marketplace state, and returns the new exchange.
func (c *Client) Replay(ctx context.Context, id int64) (*koomock.Exchange, error) {
	var r ExchangeResult
	err := c.do(ctx, http.MethodPost, "/_mock/exchanges/"+strconv.FormatInt(id, 10)+"/replay", nil, &r)
	return r.Exchange, err
}

// Clock returns the server's clock.
func (c *Client) Clock(ctx context.Context) (ClockState, error) {
	var s ClockState
	err := c.do(ctx, http.MethodGet, "/_mock/clock", nil, &s)
	return s, err
}

// SetClock switches the server's clock between real and virtual time.
func (c *Client) SetClock(ctx context.Context, req ClockRequest) (ClockState, error) {
	var s ClockState
	err := c.do(ctx, http.MethodPost, "/_mock/clock", req, &s)
	return s, err
}

// Advance moves the server's virtual clock forward.
func (c *Client) Advance(ctx context.Context, by string) (ClockState, error) {
	var s ClockState
	err := c.do(ctx, http.MethodPost, "/_mock/clock/advance", AdvanceRequest{By: by}, &s)
	return s, err
}

// Jobs returns the pending scheduled work, soonest first; kind "" means every kind.
func (c *Client) Jobs(ctx context.Context, kind string) ([]Job, error) {
	var r JobList
	err := c.do(ctx, http.MethodGet, "/_mock/jobs?kind="+url.QueryEscape(kind), nil, &r)
	return r.Jobs, err
}

// Faults returns the active faults and the ones koomock offers.
func (c *Client) Faults(ctx context.Context) (FaultList, error) {
	var l FaultList
	err := c.do(ctx, http.MethodGet, "/_mock/faults", nil, &l)
	return l, err
}

// SetFault switches a fault on.
func (c *Client) SetFault(ctx context.Context, f koomock.Fault) (koomock.Fault, error) {
	var out koomock.Fault
	err := c.do(ctx, http.MethodPost, "/_mock/faults", f, &out)
	return out, err
}

// ClearFault switches one fault off; id 0 clears every fault.
func (c *Client) ClearFault(ctx context.Context, id int64) error {
	path := "/_mock/faults"
	if id != 0 {
		path += "/" + strconv.FormatInt(id, 10)
	}
	return c.do(ctx, http.MethodDelete, path, nil, nil)
}
