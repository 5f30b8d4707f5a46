package license

import (
	"context"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
)

// Routes returns the control-API routes of the license flow, to be mounted at /_mock/license.
func (s *Service) Routes() chi.Router {
	r := chi.NewRouter()
	r.Post("/orders", s.handleBuy)
	r.Post("/test-codes", s.handleTestCodes)
	r.Get("/codes", s.handleListCodes)
	r.Get("/codes/{code}", s.handleGetCode)
	r.Post("/codes/{code}/{action}", s.handleAction)
	r.Post("/probes", s.handleProbe)
	return r
}

func (s *Service) handleBuy(w http.ResponseWriter, r *http.Request) {
	var req controlapi.LicensePurchase
	if err := controlapi.Decode(r, &req); err != nil {
		controlapi.WriteError(w, s.Logger, err)
		return
	}
	out, err := s.Buy(r.Context(), req)
	if err != nil {
		controlapi.WriteError(w, s.Logger, err)
		return
	}
	controlapi.WriteJSON(w, http.StatusCreated, out)
}

func (s *Service) handleTestCodes(w http.ResponseWriter, r *http.Request) {
	var req controlapi.TestCodesRequest
	if err := controlapi.Decode(r, &req); err != nil {
		controlapi.WriteError(w, s.Logger, err)
		return
	}
	out, err := s.TestCodes(r.Context(), req)
	if err != nil {
		controlapi.WriteError(w, s.Logger, err)
		return
	}
	controlapi.WriteJSON(w, http.StatusCreated, out)
}

func (s *Service) handleListCodes(w http.ResponseWriter, r *http.Request) {
	controlapi.WriteJSON(w, http.StatusOK, controlapi.LicenseCodes{Codes: s.all()})
}

func (s *Service) handleGetCode(w http.ResponseWriter, r *http.Request) {
	name := chi.URLParam(r, "code")
	c, ok := s.code(name)
	if !ok {
		controlapi.WriteError(w, s.Logger, controlapi.Errorf(controlapi.CodeNotFound, "license code %s does not exist", name))
		return
	}
	history, err := s.Store.LicenseEvents(r.Context(), name, 1000)
	if err != nil {
		controlapi.WriteError(w, s.Logger, err)
		return
	}
	if history == nil {
		history = []koomock.LicenseEvent{}
	}
	beats, err := s.heartbeats(r.Context(), name, 1000)
	if err != nil {
		controlapi.WriteError(w, s.Logger, err)
		return
	}
	controlapi.WriteJSON(w, http.StatusOK, controlapi.LicenseCodeDetail{Code: c, History: history, Heartbeats: beats})
}

// actions are the lifecycle steps the control API offers on a code.
var actions = map[string]func(s *Service, ctx context.Context, code string, r *http.Request) (controlapi.LicenseResult, error){
	"receive": func(s *Service, ctx context.Context, code string, _ *http.Request) (controlapi.LicenseResult, error) {
		return s.Receive(ctx, code)
	},
	"activate": func(s *Service, ctx context.Context, code string, _ *http.Request) (controlapi.LicenseResult, error) {
		return s.ActivateElsewhere(ctx, code)
	},
	"renew": func(s *Service, ctx context.Context, code string, r *http.Request) (controlapi.LicenseResult, error) {
		var req controlapi.LicenseRenewal
		if err := controlapi.Decode(r, &req); err != nil {
			return controlapi.LicenseResult{}, err
		}
		return s.Renew(ctx, code, req)
	},
	"unsubscribe-renewal": func(s *Service, ctx context.Context, code string, _ *http.Request) (controlapi.LicenseResult, error) {
		return s.UnsubscribeRenewal(ctx, code)
	},
	"expire": func(s *Service, ctx context.Context, code string, _ *http.Request) (controlapi.LicenseResult, error) {
		return s.Expire(ctx, code)
	},
	"release": func(s *Service, ctx context.Context, code string, _ *http.Request) (controlapi.LicenseResult, error) {
		return s.Release(ctx, code)
	},
	"unsubscribe": func(s *Service, ctx context.Context, code string, _ *http.Request) (controlapi.LicenseResult, error) {
		return s.Unsubscribe(ctx, code)
	},
}

func (s *Service) handleAction(w http.ResponseWriter, r *http.Request) {
	name, action := chi.URLParam(r, "code"), chi.URLParam(r, "action")
	do, ok := actions[action]
	if !ok {
		controlapi.WriteError(w, s.Logger, controlapi.Errorf(controlapi.CodeNotFound,
			"no license action %q: receive, activate, renew, unsubscribe-renewal, expire, release or unsubscribe", action))
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

func (s *Service) handleProbe(w http.ResponseWriter, r *http.Request) {
	var req controlapi.LicenseProbe
	if err := controlapi.Decode(r, &req); err != nil {
		controlapi.WriteError(w, s.Logger, err)
		return
	}
	e, err := s.Probe(r.Context(), req)
	if err != nil {
		controlapi.WriteError(w, s.Logger, err)
		return
	}
	controlapi.WriteJSON(w, http.StatusOK, controlapi.ExchangeResult{Exchange: e})
}
