package saasapi

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/mock/apig"
	"github.com/koomock/koomock/mock/inbound"
	"github.com/koomock/koomock/openapi"
	"github.com/koomock/koomock/protocol"
	"github.com/koomock/koomock/store"
)

// API serves the SaaS open APIs. Every field is required except Logger and UsagePushAPIG.
type API struct {
	Gateway  *apig.Gateway
	Recorder *inbound.Recorder
	// Spec is openapi/marketplace.yaml, which requests are validated against.
	Spec  *openapi.Spec
	Store *store.DB
	// LookupOrder resolves the orders koomock placed and KooGallery's debug orders.
	LookupOrder func(ctx context.Context, orderID string) (koomock.Order, error)
	// Now is koomock's clock: the 21-day window of begin_time follows it.
	Now func() time.Time
	// AccessKey is the key bound to the basic interfaces, which signs the new usage push.
	AccessKey string
	// OtherKeys are the other keys koomock knows, by what they are ("the API SK"), so that a push
	// signed with one of them by mistake is named in the diagnosis.
	OtherKeys map[string]string
	// UsagePushAPIG makes the new usage push also require API Gateway AK/SK (spec saas-v2 §6.3:
	// uncertain; off by default, as the international page shows only ts/nonce/signature).
	UsagePushAPIG bool
	Logger        *slog.Logger
}

// PublicRoutes adds the APIs to r, each behind its middleware chain: the flow contract's seller-facing
// half (docs/adding-a-flow.md).
func (a *API) PublicRoutes(r chi.Router) {
	r.With(a.Gateway.API(protocol.SaaSAPIOrderQuery, a.rejectOrderQuery)).Get(protocol.OrderQueryPath, a.handleOrderQuery)
	newPush := func(h http.Handler) http.Handler {
		return a.Recorder.Middleware(protocol.SaaSAPIUsagePush, inbound.TooLarge(a.rejectUsage))(inbound.Validate(a.Spec, a.rejectUsage)(h))
	}
	if a.UsagePushAPIG {
		newPush = a.Gateway.API(protocol.SaaSAPIUsagePush, a.rejectUsage)
	}
	r.With(newPush).Post(protocol.UsagePushPath, a.handleUsagePush)
	r.With(a.Gateway.API(protocol.SaaSAPIUsagePushOld, a.rejectUsage)).Post(protocol.UsagePushOldPath, a.handleUsagePushOld)
}

// writeJSON answers with v, as KooGallery's open APIs do.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

func (a *API) rejectOrderQuery(w http.ResponseWriter, r *http.Request, violations []openapi.Violation) {
	writeJSON(w, http.StatusBadRequest, protocol.OrderQueryResult{ResultCode: protocol.MKTInputInvalid, ResultMsg: describe(violations)})
}

// rejectUsage answers a usage push that does not match its schema: too many records is MKT.9003, a
// missing or malformed header MKT.0199, anything else MKT.0100.
func (a *API) rejectUsage(w http.ResponseWriter, r *http.Request, violations []openapi.Violation) {
	code := protocol.MKTInputInvalid
	for _, v := range violations {
		switch {
		case v.Pointer == "/usage_records" && strings.HasPrefix(v.Message, "maxItems"):
			code = protocol.MKTTooManyRecords
		case v.In == "header" && code == protocol.MKTInputInvalid:
			code = protocol.MKTRequestParam
		}
	}
	writeUsage(w, code, describe(violations))
}

func describe(violations []openapi.Violation) string {
	parts := make([]string, 0, len(violations))
	for _, v := range violations {
		where := v.In + " " + v.Pointer
		parts = append(parts, strings.TrimSpace(where)+": "+v.Message)
	}
	return strings.Join(parts, "; ")
}
