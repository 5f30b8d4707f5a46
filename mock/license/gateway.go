package license

import (
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/i18n"
	"github.com/koomock/koomock/mock/apig"
	"github.com/koomock/koomock/mock/faults"
	"github.com/koomock/koomock/mock/inbound"
	"github.com/koomock/koomock/openapi"
	"github.com/koomock/koomock/protocol"
)

// The order in which a license call is refused, outermost first, mirrors KooGallery: API Gateway
// authenticates (401 APIG.0301) before the backend sees anything; the backend (a Spring application,
// judging by its codes) then refuses a method other than POST (405, 95000002), a Content-Type other
// than application/json (415, 95000003), a body it cannot read as the request (400, 95000004) and a
// body that breaks the parameter rules (400, 95000001), in that order. Everything after is a business
// outcome with HTTP 200.

// PublicRoutes serves the license APIs on r, each behind the gateway: the flow contract's
// seller-facing half (docs/adding-a-flow.md).
func (s *Service) PublicRoutes(r chi.Router) {
	v1, v2 := chi.NewRouter(), chi.NewRouter()
	v1.Post("/activate", s.api(protocol.LicenseAPIActivate, newActivateV1, s.handleActivateV1))
	v1.Post("/heartbeat", s.api(protocol.LicenseAPIHeartbeat, newHeartbeatV1, s.handleHeartbeatV1))
	v2.Post("/activate", s.api(protocol.LicenseAPIActivate, newActivateV2, s.handleActivateV2))
	v2.Post("/heartbeat", s.api(protocol.LicenseAPIHeartbeat, newHeartbeatV2, s.handleHeartbeatV2))
	v2.Post("/software-usage-info", s.api(protocol.LicenseAPIUsage, newUsage, s.handleUsage))
	v1.MethodNotAllowed(s.handleMethodNotAllowed)
	v2.MethodNotAllowed(s.handleMethodNotAllowed)
	r.Mount(strings.TrimSuffix(protocol.PathLicenseActivateV1, "/activate"), v1)
	r.Mount(strings.TrimSuffix(protocol.PathLicenseActivateV2, "/activate"), v2)
}

// The request types, for telling an unreadable body from one that breaks the rules.
func newActivateV1() any  { return new(protocol.ActivateRequest) }
func newActivateV2() any  { return new(protocol.ActivateBatchRequest) }
func newHeartbeatV1() any { return new(protocol.HeartbeatRequest) }
func newHeartbeatV2() any { return new(protocol.HeartbeatBatchRequest) }
func newUsage() any       { return new(protocol.UsageRequest) }

// api puts h behind the gateway: journal, AK/SK, validation answered in the license envelope.
func (s *Service) api(activity protocol.Activity, newReq func() any, h http.HandlerFunc) http.HandlerFunc {
	return s.Gateway.API(activity, s.reject(newReq))(h).ServeHTTP
}

// reject answers a request that breaks marketplace.yaml with the backend's refusal, in its order:
// 95000003 for the Content-Type, 95000004 for a body that cannot be read as the request, 95000001 for
// everything else.
func (s *Service) reject(newReq func() any) apig.Reject {
	return func(w http.ResponseWriter, r *http.Request, violations []openapi.Violation) {
		if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
			answer(w, r, protocol.LicenseBadContentType, nil, fmt.Sprintf("Content-Type %q: the license APIs take application/json", r.Header.Get("Content-Type")))
			return
		}
		if err := json.Unmarshal(inbound.Body(r.Context()), newReq()); err != nil {
			answer(w, r, protocol.LicenseNotReadable, nil, "the body is not the request's JSON: "+readableError(err))
			return
		}
		msgs := make([]string, len(violations))
		for i, v := range violations {
			msgs[i] = v.Pointer + " " + v.Message
		}
		answer(w, r, protocol.LicenseReqInvalid, nil, strings.Join(msgs, "; "))
	}
}

func readableError(err error) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case err.Error() == "unexpected end of JSON input":
		return "empty or cut short"
	case errors.As(err, &syntax):
		return fmt.Sprintf("not valid JSON at byte %d", syntax.Offset)
	case errors.As(err, &typ):
		return fmt.Sprintf("%s is a JSON %s, not a %s", typ.Field, typ.Value, typ.Type)
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

// decode reads the validated body; a body the validator let through but Go cannot read is answered
// 95000004 (false).
func (s *Service) decode(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := decodeBody(r, v); err != nil {
		answer(w, r, protocol.LicenseNotReadable, nil, "the body is not the request's JSON: "+readableError(err))
		return false
	}
	return true
}

// handleMethodNotAllowed answers a license path called with another method than POST: the gateway
// authenticates it first, then the backend refuses it with 95000002.
func (s *Service) handleMethodNotAllowed(w http.ResponseWriter, r *http.Request) {
	activity := protocol.LicenseAPIActivate
	switch {
	case strings.HasSuffix(r.URL.Path, "/heartbeat"):
		activity = protocol.LicenseAPIHeartbeat
	case strings.HasSuffix(r.URL.Path, "/software-usage-info"):
		activity = protocol.LicenseAPIUsage
	}
	refuse := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		inbound.Judge(r.Context(), i18n.Verdict(koomock.RuleRequestSchema, koomock.Fail, "verdict.license.method", r.Method))
		answer(w, r, protocol.LicenseMethodNotAllowed, nil, "")
	})
	s.Gateway.Recorder.Middleware(activity, s.Gateway.TooLarge())(s.Gateway.Authenticate(refuse)).ServeHTTP(w, r)
}

// writeEnvelope writes {error_code, error_msg, data} with the code's HTTP status.
func writeEnvelope(w http.ResponseWriter, code protocol.LicenseErrorCode, data any) {
	// One pass over the answer: the envelope with data as it is (LicenseEnvelope carries data already
	// encoded, for clients).
	env := struct {
		ErrorCode protocol.LicenseErrorCode `json:"error_code"`
		ErrorMsg  string                    `json:"error_msg"`
		Data      any                       `json:"data,omitempty"`
	}{code, code.Message(), data}
	body, err := json.Marshal(env)
	if err != nil {
		code = protocol.LicenseInternalError
		body, _ = json.Marshal(protocol.LicenseEnvelope{ErrorCode: code, ErrorMsg: code.Message()})
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(code.HTTPStatus())
	w.Write(body)
}

// The faults the license APIs offer. Each targets a license code (empty: every code), so that
// scenarios running side by side on one koomock do not disturb each other.
const (
	// FaultGatewayError: API Gateway answers an error instead of the API.
	FaultGatewayError = controlapi.FaultLicenseGatewayError
	// FaultGatewayLatency: the answer is held back.
	FaultGatewayLatency = controlapi.FaultLicenseGatewayLatency
	// FaultStatus: the query (heartbeat) API reports another status.
	FaultStatus = controlapi.FaultLicenseStatus
)

// maxHold bounds a latency fault without a duration, in case the client never gives up.
const maxHold = 2 * time.Minute

// gatewayErrors are the gateway answers license-gateway-error can give, by HTTP status.
var gatewayErrors = map[int]apig.Error{
	http.StatusUnauthorized:       {Code: apig.CodeAuthFailed, Message: apig.MsgAuthFailed},
	http.StatusTooManyRequests:    {Code: "APIG.0308", Message: "The throttling threshold has been reached."},
	http.StatusBadGateway:         {Code: "APIG.0202", Message: "Backend unavailable."},
	http.StatusGatewayTimeout:     {Code: "APIG.0203", Message: "Backend timeout."},
	http.StatusServiceUnavailable: {Code: "APIG.0202", Message: "Backend unavailable."},
}

func (s *Service) declareFaults() {
	s.Faults.Declare(faults.Declaration{Name: FaultGatewayError,
		Description: "API Gateway answers the license APIs with an error instead of passing the call on. Target: a license code, or empty for every code.",
		Value:       "HTTP status: 401 (APIG.0301, as for a bad signature), 429, 502 (default), 503 or 504",
		Choices:     []string{"401", "429", "502", "503", "504"}})
	s.Faults.Declare(faults.Declaration{Name: FaultGatewayLatency,
		Description: "The license APIs hold their answer: for the value's duration, or until the client gives up. Target: a license code, or empty for every code.",
		Value:       `how long to hold the answer ("3s"); empty: until the client hangs up (at most 2 minutes)`,
		Choices:     []string{"1s", "3s", "10s", "30s"}})
	s.Faults.Declare(faults.Declaration{Name: FaultStatus,
		Description: "The query (heartbeat) API reports another status than the code's. Target: a license code, or empty for every code.",
		Value:       "the status to report: ALIVE, EXPIRED, RELEASED, or any other string",
		Choices:     []string{"ALIVE", "EXPIRED", "RELEASED"}})
}

// take returns the first firing of fault name for any of the codes.
func (s *Service) take(r *http.Request, name string, codes []string) (koomock.Fault, bool) {
	for _, c := range codes {
		if f, ok := s.Faults.Take(r.Context(), name, c); ok {
			return f, true
		}
	}
	return koomock.Fault{}, false
}

// gatewayFault applies the gateway faults to a call about codes and reports whether it answered.
func (s *Service) gatewayFault(w http.ResponseWriter, r *http.Request, codes []string) bool {
	if f, ok := s.take(r, FaultGatewayError, codes); ok {
		status, _ := strconv.Atoi(f.Value)
		e, known := gatewayErrors[status]
		if !known {
			status, e = http.StatusBadGateway, gatewayErrors[http.StatusBadGateway]
		}
		e.RequestID = w.Header().Get("X-Request-Id")
		inbound.Judge(r.Context(), i18n.Verdict(koomock.RuleLicenseCall, koomock.Warn, "verdict.fault.gatewayError", FaultGatewayError, status, e.Code))
		apig.WriteError(w, status, e)
		return true
	}
	f, ok := s.take(r, FaultGatewayLatency, codes)
	if !ok {
		return false
	}
	hold := maxHold
	if d, err := controlapi.ParseDuration(f.Value); err == nil && d > 0 {
		hold = d
	}
	start := time.Now()
	t := time.NewTimer(hold)
	defer t.Stop()
	select {
	case <-t.C:
		inbound.Judge(r.Context(), i18n.Verdict(koomock.RuleLicenseCall, koomock.Warn, "verdict.fault.held", FaultGatewayLatency, hold))
		return false
	case <-r.Context().Done():
		inbound.Judge(r.Context(), i18n.Verdict(koomock.RuleLicenseCall, koomock.Warn, "verdict.fault.gaveUp", FaultGatewayLatency, time.Since(start).Round(time.Millisecond)))
	case <-s.closing:
		inbound.Judge(r.Context(), i18n.Verdict(koomock.RuleLicenseCall, koomock.Warn, "verdict.fault.shutDown", FaultGatewayLatency))
	}
	// What the gateway would answer in the end; the client has gone, but the journal shows it.
	e := gatewayErrors[http.StatusGatewayTimeout]
	e.RequestID = w.Header().Get("X-Request-Id")
	apig.WriteError(w, http.StatusGatewayTimeout, e)
	return true
}
