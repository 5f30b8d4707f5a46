// Package apig emulates Huawei API Gateway in front of KooGallery's open APIs: App/AK-SK
// (SDK-HMAC-SHA256) authentication exactly as the gateway does it, the gateway's error bodies, and the
// lockout after repeated signature failures.
//
// A caller with a bad signature gets what the real gateway answers (HTTP 401, APIG.0301, "verify aksk
// signature fail") and nothing more; the reason, which the real gateway keeps to itself, goes into the
// exchange's verdicts in koomock's journal, where the seller engineer can read it.
package apig

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/diagnose"
	"github.com/koomock/koomock/i18n"
	"github.com/koomock/koomock/mock/inbound"
	"github.com/koomock/koomock/openapi"
	"github.com/koomock/koomock/protocol"
)

// Gateway error codes and messages, as API Gateway spells them (license-login §1.2).
const (
	CodeAuthFailed  = "APIG.0301"
	MsgAuthFailed   = "Incorrect IAM authentication information: verify aksk signature fail"
	CodeNotFound    = "APIG.0101"
	MsgNotFound     = "The API does not exist or has not been published in the environment"
	CodeBadRequest  = "APIG.0201"
	MsgBadRequest   = "Bad request"
	MsgTooLarge     = "Request entity too large"
	CodeInternal    = "APIG.0203"
	MsgInternal     = "Internal Server Error"
	headerRequestID = "X-Request-Id"
)

// Lockout: after MaxFailures consecutive signature failures an access key is refused for LockFor
// (license-login §1.2).
const (
	MaxFailures = 5
	LockFor     = 5 * time.Minute
)

// ErrLocked is the reason recorded while an access key is locked out.
var ErrLocked = errors.New("access key locked for 5 minutes after 5 consecutive signature failures")

// Error is an API Gateway error body.
type Error struct {
	Code      string `json:"error_code"`
	Message   string `json:"error_msg"`
	RequestID string `json:"request_id"`
}

// Gateway authenticates calls. Credentials, Now, RequestID, Recorder and Spec are required.
type Gateway struct {
	// Recorder journals every call.
	Recorder *inbound.Recorder
	// Spec validates requests (openapi/marketplace.yaml).
	Spec *openapi.Spec
	// Credentials returns the SK of an access key ID.
	Credentials func(ak string) (sk string, ok bool)
	// Now is koomock's clock: lockouts follow it, so a developer can advance past one.
	Now func() time.Time
	// Wall is real time, for the X-Sdk-Date window: the caller signs with its own wall clock, which
	// koomock's virtual time does not move (see clock.Wall). Now is used when nil.
	Wall func() time.Time
	// RequestID makes the request IDs the gateway returns.
	RequestID func() string
	// AK and SK are the credentials diagnostics compare a failed signature with.
	AK, SK string
	// Explain adds the diagnosis of a failed signature to the 401 as X-Koomock-* headers. The real
	// gateway says nothing more than "verify aksk signature fail"; this is for local debugging only.
	Explain bool

	mu       sync.Mutex
	failures map[string]*failureState
}

type failureState struct {
	count       int
	lockedUntil time.Time
}

// Reject answers a request that does not match its operation, in the API's own error format.
type Reject func(w http.ResponseWriter, r *http.Request, violations []openapi.Violation)

// API returns the middleware chain of an open API behind the gateway, outermost first: journal the
// call as activity, authenticate it, validate it against the document (answering reject on a
// mismatch), then the handler.
func (g *Gateway) API(activity protocol.Activity, reject Reject) func(http.Handler) http.Handler {
	return func(h http.Handler) http.Handler {
		return g.Recorder.Middleware(activity, g.TooLarge())(g.Authenticate(inbound.Validate(g.Spec, reject)(h)))
	}
}

// TooLarge answers a body over inbound.MaxRequestBytes as the gateway does, before authenticating:
// HTTP 413 with APIG.0201, the code the gateway gives every request it refuses to pass on (license-login
// §1.2 lists 413 under it).
func (g *Gateway) TooLarge() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reqID := g.RequestID()
		w.Header().Set(headerRequestID, reqID)
		WriteError(w, http.StatusRequestEntityTooLarge, Error{Code: CodeBadRequest, Message: MsgTooLarge, RequestID: reqID})
	})
}

// Authenticate verifies the APIG signature of each request, which must run inside inbound's
// Middleware (it reads the body from there). On success the request proceeds with a passed
// request.apigSignature verdict; on failure the caller gets the gateway's 401.
func (g *Gateway) Authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reqID := g.RequestID()
		w.Header().Set(headerRequestID, reqID)
		auth, _, err := protocol.VerifyAPIG(protocol.FromHTTP(r, inbound.Body(r.Context())), g.wall(), g.Credentials)
		if err == nil {
			err = g.checkLock(auth.AccessKey)
		} else {
			g.fail(auth.AccessKey)
		}
		if err != nil {
			v := i18n.Verdict(koomock.RuleAPIGSignature, koomock.Fail, "verdict.apig.fail", CodeAuthFailed, reason(err))
			if !errors.Is(err, ErrLocked) {
				d := diagnose.APIG(diagnose.APIGInput{
					Request: protocol.FromHTTP(r, inbound.Body(r.Context())), RawQuery: r.URL.RawQuery,
					Now: g.Now(), AK: g.AK, SK: g.SK,
				})
				inbound.Diagnose(r.Context(), d)
				v = i18n.Verdict(koomock.RuleAPIGSignature, koomock.Fail, "verdict.apig.failDiagnosed", CodeAuthFailed, reason(err), i18n.DiagnosisPhrase(d))
				if g.Explain {
					explain(w.Header(), d)
				}
			}
			inbound.Judge(r.Context(), v)
			WriteError(w, http.StatusUnauthorized, Error{Code: CodeAuthFailed, Message: MsgAuthFailed, RequestID: reqID})
			return
		}
		inbound.Judge(r.Context(), i18n.Verdict(koomock.RuleAPIGSignature, koomock.Pass, "verdict.apig.pass", auth.AccessKey, fmt.Sprint(auth.SignedHeaders)))
		next.ServeHTTP(w, r)
	})
}

func (g *Gateway) wall() time.Time {
	if g.Wall == nil {
		return g.Now()
	}
	return g.Wall()
}

// checkLock refuses a correctly signed call while its key is locked, and resets the failure count
// of a key that signed correctly.
func (g *Gateway) checkLock(ak string) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	st := g.failures[ak]
	if st == nil {
		return nil
	}
	if g.Now().Before(st.lockedUntil) {
		return ErrLocked
	}
	delete(g.failures, ak)
	return nil
}

// fail counts a signature failure against ak and locks it on the MaxFailures-th in a row.
func (g *Gateway) fail(ak string) {
	if ak == "" {
		return // no access key to lock: a missing or unreadable Authorization header
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.failures == nil {
		g.failures = map[string]*failureState{}
	}
	st := g.failures[ak]
	if st == nil {
		st = &failureState{}
		g.failures[ak] = st
	}
	now := g.Now()
	if now.Before(st.lockedUntil) {
		return // already locked; the lock runs from the failure that set it
	}
	st.count++
	if st.count >= MaxFailures {
		st.lockedUntil, st.count = now.Add(LockFor), 0
	}
}

// WriteError writes an API Gateway error.
func WriteError(w http.ResponseWriter, status int, e Error) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(e)
}
