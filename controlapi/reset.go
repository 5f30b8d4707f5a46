package controlapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// ResetResult is the answer to POST /_mock/reset: koomock is back in its fresh state, the clock as
// it started.
type ResetResult struct {
	Clock ClockState `json:"clock"`
}

// RunRequest begins a run (POST /_mock/runs); Name says who runs, e.g. "koomock verify".
type RunRequest struct {
	Name string `json:"name,omitempty"`
}

// Run is a verify run driving koomock; while one is active, POST /_mock/reset answers 409.
type Run struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	StartedAt time.Time `json:"startedAt"`
}

// RunList is the answer of GET /_mock/runs.
type RunList struct {
	Runs []Run `json:"runs"`
}

// Reset puts koomock back in its fresh state (POST /_mock/reset): no orders, instances, exchanges,
// jobs, faults, tenants, license codes, deliveries or cases; the clock as it started; the demo
// tenant and license codes issued again. Its configuration stays. While a run is active it fails
// with CodeConflict.
func (c *Client) Reset(ctx context.Context) (ResetResult, error) {
	var r ResetResult
	err := c.do(ctx, http.MethodPost, "/_mock/reset", nil, &r)
	return r, err
}

// Runs returns the runs driving koomock.
func (c *Client) Runs(ctx context.Context) ([]Run, error) {
	var r RunList
	err := c.do(ctx, http.MethodGet, "/_mock/runs", nil, &r)
	return r.Runs, err
}

// RunLease is a run koomock knows is under way; End it when the run is over.
type RunLease struct {
	Run    Run
	c      *Client
	body   io.Closer
	cancel context.CancelFunc
}

// BeginRun tells koomock a run drives it, so that a reset is refused until the run ends. The run
// lasts as long as the request that began it: koomock holds its answer open, and a process that
// dies closes it with its connection, so a crashed run never blocks resets. Cancelling ctx ends the
// run too.
func (c *Client) BeginRun(ctx context.Context, name string) (*RunLease, error) {
	body, err := json.Marshal(RunRequest{Name: name})
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(c.BaseURL, "/")+"/_mock/runs", bytes.NewReader(body))
	if err != nil {
		cancel()
		return nil, &UnreachableError{Err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	// A client of the same transport without a deadline: the answer lasts as long as the run.
	hc := http.Client{}
	if c.HTTPClient != nil {
		hc = *c.HTTPClient
	}
	hc.Timeout = 0
	resp, err := hc.Do(req)
	if err != nil {
		cancel()
		return nil, &UnreachableError{Err: err}
	}
	if resp.StatusCode != http.StatusCreated {
		defer cancel()
		defer resp.Body.Close()
		data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		var eb errorBody
		if json.Unmarshal(data, &eb) == nil && eb.Error != nil {
			return nil, eb.Error
		}
		return nil, &UnreachableError{Err: fmt.Errorf("POST /_mock/runs: HTTP %d", resp.StatusCode)}
	}
	l := &RunLease{c: c, body: resp.Body, cancel: cancel}
	if err := json.NewDecoder(resp.Body).Decode(&l.Run); err != nil {
		resp.Body.Close()
		cancel()
		return nil, &UnreachableError{Err: fmt.Errorf("POST /_mock/runs: %w", err)}
	}
	return l, nil
}

// End tells koomock the run is over, so that a reset right after it is accepted, and closes the
// held answer.
func (l *RunLease) End(ctx context.Context) error {
	err := l.c.do(ctx, http.MethodDelete, "/_mock/runs/"+url.PathEscape(l.Run.ID), nil, nil)
	l.body.Close()
	l.cancel()
	return err
}
