package notify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/openapi"
	"github.com/koomock/koomock/protocol"
)

// Timeout is how long KooGallery waits for a seller's answer (spec saas-v2 §1).
const Timeout = 5 * time.Second

// MaxAnswerBytes caps how much of an answer is read: KooGallery's answers are a few hundred bytes,
// and a seller that streams megabytes must not exhaust koomock's memory.
const MaxAnswerBytes = 1 << 20

// ContentType is the Content-Type KooGallery's examples send, spelling included.
const ContentType = "application/json;charset=utf8"

// Journal commits exchanges before Record returns. *journal.Journal implements it.
type Journal interface {
	Record(ctx context.Context, e *koomock.Exchange) error
}

// Check judges one answer beyond the generic rules: it inspects the exchange and the decoded answer
// (nil when the answer was not a JSON object) and appends verdicts.
type Check func(e *koomock.Exchange, answer map[string]any)

// Callback is one callback koomock sends: the request of one delivery attempt (a koomock.Delivery
// is the whole delivery, with its retries), with the checks its answer gets.
type Callback struct {
	// Activity is the webhook name in openapi/seller.yaml that describes body and answer.
	Activity protocol.Activity
	// URL is the seller's production URL (with the kit sub-path for kit syncs).
	URL string
	// Body holds the request fields; it is serialised canonically.
	Body map[string]any
	// Key is the access key that signs the request.
	Key string
	// Scheme signs the request; nil means BasicScheme.
	Scheme Scheme
	// Probe is the deliberate fault to put in, controlapi.NoProbe for a correct callback.
	Probe controlapi.Probe
	// Refusals are the result codes that count as refusing the probe; nil means its defaults.
	Refusals []string
	// Allow are result codes besides 000000 that count as success (000004 for newInstance).
	Allow []protocol.ResultCode
	// ResultCodes are the result codes the activity may be answered with; nil means every code of
	// spec saas-v2 §4 (license callbacks allow only 000000-000005).
	ResultCodes []protocol.ResultCode
	// OrderID and InstanceID correlate the exchange in the journal; TenantID ties a kit sync to its
	// tenant.
	OrderID, InstanceID string
	TenantID            string
	// Checks run after the generic rules.
	Checks []Check
	// Unreachable, when set, fails the attempt at once without contacting the seller, recording this
	// reason: a scripted fault that lets a correct seller appear to be down.
	Unreachable string
}

// Notifier sends deliveries. Its zero value is not usable: Spec must be set.
type Notifier struct {
	// HTTPClient sends callbacks; nil means a client that never follows redirects.
	HTTPClient *http.Client
	// Timeout bounds each attempt; zero means Timeout (5 s). Lower it only to speed up tests.
	Timeout time.Duration
	// Now is koomock's clock: when an exchange happened, in the marketplace's time; time.Now when nil.
	// Durations are measured on the real monotonic clock, because the 5 s budget is about real waiting.
	Now func() time.Time
	// Wall gives the signature timestamps; time.Now when nil. It is real time even when Now is
	// virtual, because the seller checks the 60 s window against its own clock (see clock.Wall).
	Wall func() time.Time
	// Nonce makes nonces; required.
	Nonce func() string
	// Spec validates answers; required.
	Spec *openapi.Spec
	// Journal records every exchange; optional.
	Journal Journal
	// RequireBodySign judges every answer's Body-Sign, also a missing one (spec saas-v2 §2.4: off for
	// V2). Whether a wrong Body-Sign fails is the Policy's: answer.bodySign is advisory unless raised.
	RequireBodySign bool
	// Policy settles the verdicts of every exchange sent (--strict, --require-body-sign).
	Policy koomock.Policy
	// Logger logs deliveries; never keys. Discarded when nil.
	Logger *slog.Logger

	inflight sync.WaitGroup
}

// Wait blocks until every Send under way has finished.
func (n *Notifier) Wait() { n.inflight.Wait() }

// NewHTTPClient returns the client KooGallery behaves like: no redirects followed, no cookies.
func NewHTTPClient() *http.Client {
	return &http.Client{
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

func (n *Notifier) now() time.Time {
	if n.Now == nil {
		return time.Now()
	}
	return n.Now()
}

func (n *Notifier) wall() time.Time {
	if n.Wall == nil {
		return time.Now()
	}
	return n.Wall()
}

func (n *Notifier) logger() *slog.Logger {
	if n.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return n.Logger
}

// Build makes the signed request for d at the notifier's current time, with the probe applied, and
// returns it with its exact body and signing trace. Send uses it, and so does reproduction.
func (n *Notifier) Build(ctx context.Context, d Callback) (*http.Request, []byte, koomock.SigningTrace, error) {
	fields := make(map[string]any, len(d.Body))
	for k, v := range d.Body {
		fields[k] = v
	}
	if f, ok := d.Probe.Field(); ok {
		delete(fields, f)
	}
	body, err := protocol.MarshalCanonical(fields)
	if err != nil {
		return nil, nil, koomock.SigningTrace{}, err
	}
	at := n.wall()
	if d.Probe == controlapi.StaleTimestamp {
		at = at.Add(-controlapi.StaleBy)
	}
	scheme := d.Scheme
	if scheme == nil {
		scheme = BasicScheme{}
	}
	trace := scheme.Sign(d.Key, n.Nonce(), at, body)
	if d.Probe == controlapi.TamperedSignature {
		trace.Signature = tamper(trace.Signature)
	}
	u, err := url.Parse(d.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, nil, trace, fmt.Errorf("seller URL %q is not an absolute http(s) URL", d.URL)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, nil, trace, err
	}
	req.Header.Set("Content-Type", ContentType)
	req.Header.Set("Accept", "application/json")
	scheme.Apply(req, trace)
	if d.Probe == controlapi.MissingSignature {
		q := req.URL.Query()
		q.Del(protocol.QuerySignature)
		req.URL.RawQuery = q.Encode()
		req.Header.Del("x-sign")
	}
	return req, body, trace, nil
}

// Send delivers d once, judges the answer and records the exchange. It returns the exchange even when
// the seller could not be reached; the error is only for koomock's own failures (a bad URL, a journal
// that cannot be written).
func (n *Notifier) Send(ctx context.Context, d Callback) (*koomock.Exchange, error) {
	n.inflight.Add(1)
	defer n.inflight.Done()
	timeout := n.Timeout
	if timeout <= 0 {
		timeout = Timeout
	}
	// Detached from the caller: a control-API client that hangs up must not cut a delivery short and
	// leave a half-recorded exchange.
	ctx = context.WithoutCancel(ctx)
	attempt, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	req, body, trace, err := n.Build(attempt, d)
	if err != nil {
		return nil, fmt.Errorf("build %s callback: %w", d.Activity, err)
	}
	e := &koomock.Exchange{
		Direction:  koomock.Outbound,
		Activity:   d.Activity,
		OrderID:    d.OrderID,
		InstanceID: d.InstanceID,
		TenantID:   d.TenantID,
		Probe:      string(d.Probe),
		StartedAt:  n.now(),
		Signing:    &trace,
		Policy:     n.Policy,
		Request: koomock.HTTPMessage{
			Method: req.Method, URL: req.URL.String(), Header: req.Header.Clone(), Body: string(body),
		},
	}
	client := n.HTTPClient
	if client == nil {
		client = NewHTTPClient()
	}
	if d.Unreachable != "" {
		e.Error = d.Unreachable
		judge(e, d, nil, timeout, n)
		return e, n.record(ctx, e)
	}
	start := time.Now()
	resp, err := client.Do(req)
	var answer []byte
	if err == nil {
		answer, err = readCapped(resp.Body, MaxAnswerBytes)
		resp.Body.Close()
		e.Response = &koomock.HTTPMessage{Status: resp.StatusCode, Header: resp.Header.Clone(), Body: string(answer)}
		if len(answer) > MaxAnswerBytes {
			e.Response.Body, e.Response.Truncated = string(answer[:MaxAnswerBytes]), true
		}
	}
	e.Duration = time.Since(start)
	if err != nil {
		e.Error = describeTransportError(err, timeout)
	}
	judge(e, d, answer, timeout, n)
	n.logger().Info("callback", "activity", d.Activity, "url", redactQuery(req.URL), "probe", d.Probe,
		"status", statusOf(e), "duration", e.Duration.Round(time.Millisecond), "failed", e.Failed())
	return e, n.record(ctx, e)
}

func (n *Notifier) record(ctx context.Context, e *koomock.Exchange) error {
	if n.Journal == nil {
		return nil
	}
	if err := n.Journal.Record(ctx, e); err != nil {
		return fmt.Errorf("record %s exchange: %w", e.Activity, err)
	}
	return nil
}

// readCapped reads up to limit+1 bytes, so the caller can tell an over-long answer from one that fits.
func readCapped(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return b, fmt.Errorf("read answer: %w", err)
	}
	return b, nil
}

func describeTransportError(err error, timeout time.Duration) string {
	switch {
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		return fmt.Sprintf("no answer within %s", timeout)
	}
	var uerr *url.Error
	if errors.As(err, &uerr) {
		return uerr.Err.Error()
	}
	return err.Error()
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

func statusOf(e *koomock.Exchange) int {
	if e.Response == nil {
		return 0
	}
	return e.Response.Status
}

// redactQuery drops the signature from logged URLs: it is not a secret, but logs are no place to
// collect material for offline guessing of a key.
func redactQuery(u *url.URL) string {
	c := *u
	c.RawQuery = ""
	return c.String()
}
