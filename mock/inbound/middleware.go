package inbound

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/i18n"
	"github.com/koomock/koomock/openapi"
	"github.com/koomock/koomock/protocol"
)

// MaxRequestBytes caps what koomock reads of a request body; KooGallery's largest documented body
// (1000 usage records) is far below it.
const MaxRequestBytes = 4 << 20

// MaxRecordedBytes caps how much of a body the journal keeps.
const MaxRecordedBytes = 64 << 10

type ctxKey struct{}

// call is the state of one inbound call, shared by the middleware and the handlers.
type call struct {
	mu   sync.Mutex
	e    *koomock.Exchange
	body []byte
}

// Judge gives the exchange of the call under way in ctx a verdict, through Exchange.Record (a no-op
// outside a recorded call): the context's way to the exchange, not a second way to judge.
func Judge(ctx context.Context, v koomock.Verdict) {
	if c, ok := ctx.Value(ctxKey{}).(*call); ok {
		c.mu.Lock()
		c.e.Record(v)
		c.mu.Unlock()
	}
}

// Diagnose attaches a signature diagnosis to the exchange of the call under way in ctx.
func Diagnose(ctx context.Context, d koomock.Diagnosis) {
	if c, ok := ctx.Value(ctxKey{}).(*call); ok {
		c.mu.Lock()
		c.e.Diagnoses = append(c.e.Diagnoses, d)
		c.mu.Unlock()
	}
}

// Correlate ties the exchange of the call under way to an order and an instance (or license code), for
// the journal's filters. Empty values leave what is set.
func Correlate(ctx context.Context, orderID, instanceID string) {
	if c, ok := ctx.Value(ctxKey{}).(*call); ok {
		c.mu.Lock()
		if orderID != "" {
			c.e.OrderID = orderID
		}
		if instanceID != "" {
			c.e.InstanceID = instanceID
		}
		c.mu.Unlock()
	}
}

// CorrelateTenant ties the exchange of the call under way to a joint-operation tenant.
func CorrelateTenant(ctx context.Context, tenantID string) {
	if c, ok := ctx.Value(ctxKey{}).(*call); ok && tenantID != "" {
		c.mu.Lock()
		c.e.TenantID = tenantID
		c.mu.Unlock()
	}
}

// Body returns the request body the middleware read (nil outside a recorded call).
func Body(ctx context.Context) []byte {
	if c, ok := ctx.Value(ctxKey{}).(*call); ok {
		return c.body
	}
	return nil
}

// ErrTooLarge is the error a handler sees when the body exceeded MaxRequestBytes.
var ErrTooLarge = errors.New("request body too large")

// tooLargeMessage says what was refused, in every API's 413.
const tooLargeMessage = "the request body is over 4 MiB"

// TooLarge answers a body over the limit in an API's own error format: reject (the API's answer to a
// request that does not match its document) with one violation of the body, under HTTP 413.
func TooLarge(reject func(w http.ResponseWriter, r *http.Request, violations []openapi.Violation)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reject(&statusWriter{ResponseWriter: w, status: http.StatusRequestEntityTooLarge}, r,
			[]openapi.Violation{{In: "body", Message: tooLargeMessage}})
	})
}

// statusWriter answers with its status whatever status the handler writes.
type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (s *statusWriter) WriteHeader(int) {
	if !s.wrote {
		s.wrote = true
		s.ResponseWriter.WriteHeader(s.status)
	}
}

func (s *statusWriter) Write(b []byte) (int, error) {
	s.WriteHeader(0)
	return s.ResponseWriter.Write(b)
}

// Middleware records every request through it as an inbound exchange named activity. It reads the
// body once (handlers get it again from r.Body or Body), holds the handler's answer back, commits the
// exchange with the verdicts handlers gave, and only then sends the answer: an answered call is always
// in the journal. Secrets in the request (Authorization credentials, client_secret and password form
// fields) are masked in the record.
//
// A body over MaxRequestBytes is answered by tooLarge (the API's own 413, see TooLarge) before
// anything inside the middleware runs: a signature over a cut body could only fail, and a caller
// told 401 would hunt for a signing bug that is not there. nil answers a plain 413.
func (r *Recorder) Middleware(activity protocol.Activity, tooLarge http.Handler) func(http.Handler) http.Handler {
	if tooLarge == nil {
		tooLarge = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, tooLargeMessage, http.StatusRequestEntityTooLarge)
		})
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			start := time.Now()
			var body []byte
			var err error
			// A declared length over the limit is refused unread; an undeclared one (chunked) is read
			// up to one byte past it.
			over := req.ContentLength > MaxRequestBytes
			if !over {
				body, err = readBody(req.Body, req.ContentLength)
				over = len(body) > MaxRequestBytes
			}
			if over {
				body = nil
			}
			e := &koomock.Exchange{
				Direction: koomock.Inbound, Activity: activity, StartedAt: r.now(), Policy: r.Policy,
				Request: koomock.HTTPMessage{
					Method: req.Method, URL: requestURI(req), Header: maskHeader(req.Header),
				},
			}
			e.Request.Body, e.Request.Truncated = recordedBody(maskBody(req.Header.Get("Content-Type"), body))
			c := &call{e: e, body: body}
			req.Body = io.NopCloser(bytes.NewReader(body))
			ctx := context.WithValue(req.Context(), ctxKey{}, c)
			rw := &capture{ResponseWriter: w, status: http.StatusOK}
			if err != nil || over {
				e.Error = fmt.Sprintf("request body unreadable or over %d bytes", MaxRequestBytes)
			}
			if over {
				e.Record(i18n.Verdict(koomock.RuleRequestSchema, koomock.Fail, "verdict.request.tooLarge", MaxRequestBytes))
				tooLarge.ServeHTTP(rw, req.WithContext(ctx))
			} else {
				next.ServeHTTP(rw, req.WithContext(ctx))
			}
			c.mu.Lock()
			e.Duration = time.Since(start)
			e.Response = &koomock.HTTPMessage{Status: rw.status, Header: w.Header().Clone()}
			e.Response.Body, e.Response.Truncated = recordedBody(rw.body.Bytes())
			if sc := scrubber(secretsOf(req, body, w.Header(), rw.body.Bytes())); sc != nil {
				e.Request.URL, e.Request.Body, e.Response.Body = sc.Replace(e.Request.URL), sc.Replace(e.Request.Body), sc.Replace(e.Response.Body)
				scrubHeader(sc, e.Request.Header)
				scrubHeader(sc, e.Response.Header)
				for i := range e.Verdicts {
					e.Verdicts[i].Message = sc.Replace(e.Verdicts[i].Message)
				}
			}
			c.mu.Unlock()
			r.Record(req.Context(), e)
			w.WriteHeader(rw.status)
			w.Write(rw.body.Bytes())
		})
	}
}

// readBody reads at most one byte past MaxRequestBytes of a body of the declared length (-1: unknown),
// into a buffer of that length when it is known.
func readBody(r io.Reader, length int64) ([]byte, error) {
	if length < 0 {
		return io.ReadAll(io.LimitReader(r, MaxRequestBytes+1))
	}
	buf := make([]byte, 0, length+1)
	for {
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
		if len(buf) == cap(buf) { // longer than declared
			rest, err := io.ReadAll(io.LimitReader(r, MaxRequestBytes+1-int64(len(buf))))
			return append(buf, rest...), err
		}
	}
}

// requestURI is the request target as the caller sent it: a router that rewrote the URL (a tenant's
// domain prefix stripped before routing) still journals what was called.
func requestURI(req *http.Request) string {
	if req.RequestURI != "" {
		return req.RequestURI
	}
	return req.URL.RequestURI()
}

func recordedBody(b []byte) (string, bool) {
	if len(b) > MaxRecordedBytes {
		return string(b[:MaxRecordedBytes]), true
	}
	return string(b), false
}

// capture holds back what a handler writes until the exchange is committed. The open APIs answer a
// small JSON body, never a stream, so the whole answer is held; headers go to the real writer's header
// map, which is sent with the held status.
type capture struct {
	http.ResponseWriter
	status      int
	wroteHeader bool
	body        bytes.Buffer
}

func (c *capture) WriteHeader(status int) {
	if !c.wroteHeader {
		c.status, c.wroteHeader = status, true
	}
}

func (c *capture) Write(b []byte) (int, error) {
	c.wroteHeader = true
	return c.body.Write(b)
}

// maskHeader hides credentials: Basic credentials and bearer tokens entirely; an APIG Authorization
// header is kept, because it names only the access key ID and the signature, which a seller needs to
// see to debug signing.
func maskHeader(h http.Header) http.Header {
	out := h.Clone()
	if a := out.Get("Authorization"); a != "" {
		scheme, _, _ := strings.Cut(a, " ")
		switch strings.ToLower(scheme) {
		case "basic", "bearer":
			out.Set("Authorization", scheme+" <masked>")
		}
	}
	if out.Get("Cookie") != "" {
		out.Set("Cookie", "<masked>")
	}
	return out
}

// secretFields are form fields whose values never reach the journal.
var secretFields = []string{"client_secret", "password"}

// maskBody masks the secret fields of a form body pair by pair, leaving every other byte as sent. It
// does not go through url.ParseQuery: one malformed pair (a stray "%") makes that fail, and a body
// that failed to parse must not keep its client_secret.
func maskBody(contentType string, body []byte) []byte {
	if !strings.HasPrefix(contentType, "application/x-www-form-urlencoded") {
		return body
	}
	pairs := strings.Split(string(body), "&")
	changed := false
	for i, p := range pairs {
		key, _, _ := strings.Cut(p, "=")
		if k, err := url.QueryUnescape(key); err == nil {
			key = k
		}
		if slices.Contains(secretFields, key) {
			pairs[i] = p[:strings.IndexByte(p+"=", '=')] + "=" + masked
			changed = true
		}
	}
	if !changed {
		return body
	}
	return []byte(strings.Join(pairs, "&"))
}

// Validate checks each request against its operation in spec and, when it does not match, records
// every violation as a failed request.schema verdict and answers with reject (the flow's own error
// format) instead of calling the handler. It must run inside Middleware.
func Validate(spec *openapi.Spec, reject func(w http.ResponseWriter, r *http.Request, violations []openapi.Violation)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			violations, err := spec.CheckHTTPRequest(r.Context(), r, Body(r.Context()))
			if err != nil {
				// A route without an operation is koomock's own gap, caught by the route/spec test;
				// the request itself is not at fault.
				Judge(r.Context(), koomock.Verdict{Rule: koomock.RuleRequestSchema, Outcome: koomock.Warn, Message: err.Error()})
				next.ServeHTTP(w, r)
				return
			}
			if len(violations) == 0 {
				Judge(r.Context(), i18n.Verdict(koomock.RuleRequestSchema, koomock.Pass, "verdict.request.pass"))
				next.ServeHTTP(w, r)
				return
			}
			for _, v := range violations {
				Judge(r.Context(), i18n.VerdictAt(koomock.RuleRequestSchema, koomock.Fail, v.Pointer, "verdict.request.fail", v.In, pointerOr(v.Pointer), v.Message))
			}
			reject(w, r, violations)
		})
	}
}

func pointerOr(p string) string {
	if p == "" {
		return "/"
	}
	return p
}
