package license

import (
	"context"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
)

// routes are the control-API routes of the license flow, mounted at /_mock/license.
func (s *Service) routes() chi.Router {
	r := chi.NewRouter()
	r.Post("/orders", controlapi.Handle(s.Logger, http.StatusCreated, func(r *http.Request, req controlapi.LicensePurchase) (controlapi.LicenseCodes, error) {
		return s.Buy(r.Context(), req)
	}))
	r.Post("/test-codes", controlapi.Handle(s.Logger, http.StatusCreated, func(r *http.Request, req controlapi.TestCodesRequest) (controlapi.LicenseCodes, error) {
		return s.TestCodes(r.Context(), req)
	}))
	r.Get("/codes", controlapi.Handle(s.Logger, http.StatusOK, func(*http.Request, controlapi.NoBody) (controlapi.LicenseCodes, error) {
		return controlapi.LicenseCodes{Codes: s.all()}, nil
	}))
	r.Get("/codes/{code}", controlapi.Handle(s.Logger, http.StatusOK, s.codeDetail))
	r.Post("/codes/{code}/{action}", s.handleAction)
	r.Post("/probes", controlapi.Handle(s.Logger, http.StatusOK, func(r *http.Request, req controlapi.LicenseProbe) (controlapi.ExchangeResult, error) {
		e, err := s.Probe(r.Context(), req)
		return controlapi.ExchangeResult{Exchange: e}, err
	}))
	return r
}

func (s *Service) codeDetail(r *http.Request, _ controlapi.NoBody) (controlapi.LicenseCodeDetail, error) {
	name := chi.URLParam(r, "code")
	c, ok := s.code(name)
	if !ok {
		return controlapi.LicenseCodeDetail{}, controlapi.Errorf(controlapi.CodeNotFound, "license code %s does not exist", name)
	}
	history, err := s.Store.LicenseEvents(r.Context(), name, 1000)
	if err != nil {
		return controlapi.LicenseCodeDetail{}, err
	}
	if history == nil {
		history = []koomock.LicenseEvent{}
	}
	beats, err := s.heartbeats(r.Context(), name, 1000)
	if err != nil {
		return controlapi.LicenseCodeDetail{}, err
	}
	return controlapi.LicenseCodeDetail{Code: c, History: history, Heartbeats: beats}, nil
}

// actions are the lifecycle steps the control API offers on a code.
var actions = map[controlapi.LicenseAction]func(s *Service, ctx context.Context, code string, r *http.Request) (controlapi.LicenseResult, error){
	controlapi.LicenseReceive: func(s *Service, ctx context.Context, code string, _ *http.Request) (controlapi.LicenseResult, error) {
		return s.Receive(ctx, code)
	},
	controlapi.LicenseActivate: func(s *Service, ctx context.Context, code string, _ *http.Request) (controlapi.LicenseResult, error) {
		return s.ActivateElsewhere(ctx, code)
	},
	controlapi.LicenseRenew: func(s *Service, ctx context.Context, code string, r *http.Request) (controlapi.LicenseResult, error) {
		var req controlapi.LicenseRenewal
		if err := controlapi.Decode(r, &req); err != nil {
			return controlapi.LicenseResult{}, err
		}
		return s.Renew(ctx, code, req)
	},
	controlapi.LicenseUnsubscribeRenewal: func(s *Service, ctx context.Context, code string, _ *http.Request) (controlapi.LicenseResult, error) {
		return s.UnsubscribeRenewal(ctx, code)
	},
	controlapi.LicenseExpire: func(s *Service, ctx context.Context, code string, _ *http.Request) (controlapi.LicenseResult, error) {
		return s.Expire(ctx, code)
	},
	controlapi.LicenseRelease: func(s *Service, ctx context.Context, code string, _ *http.Request) (controlapi.LicenseResult, error) {
		return s.Release(ctx, code)
	},
	controlapi.LicenseUnsubscribe: func(s *Service, ctx context.Context, code string, _ *http.Request) (controlapi.LicenseResult, error) {
		return s.Unsubscribe(ctx, code)
	},
}

func (s *Service) handleAction(w http.ResponseWriter, r *http.Request) {
	name, action := chi.URLParam(r, "code"), chi.URLParam(r, "action")
	do, ok := actions[controlapi.LicenseAction(action)]
	if !ok {
		controlapi.WriteError(w, s.Logger, controlapi.Errorf(controlapi.CodeNotFound,
			"no license action %q: %s", action, actionList()))
		return
	}
	if _, ok := s.code(name); !ok {
		controlapi.WriteError(w, s.Logger, controlapi.Errorf(controlapi.CodeNotFound, "license code %s does not exist", name))
		return
	}
	res, err := do(s, r.Context(), name, r)
	if err != nil {
		controlapi.WriteError(w, s.Logger, err)
		return
	}
	controlapi.WriteJSON(w, http.StatusOK, res)
}

// actionList spells the license actions for an error: "receive, activate, ... or unsubscribe".
func actionList() string {
	names := make([]string, len(controlapi.LicenseActions))
	for i, a := range controlapi.LicenseActions {
		names[i] = string(a)
	}
	last := len(names) - 1
	return strings.Join(names[:last], ", ") + " or " + names[last]
}
