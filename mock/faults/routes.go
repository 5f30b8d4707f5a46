package faults

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
)

// routes are the control-API routes of the registry, mounted at /_mock/faults. The registry has no
// logger of its own: an internal error goes to slog's default logger.
func (r *Registry) routes() chi.Router {
	m := chi.NewRouter()
	m.Get("/", controlapi.Handle(nil, http.StatusOK, func(*http.Request, controlapi.NoBody) (controlapi.FaultList, error) {
		decl := r.Declared()
		catalogue := make([]controlapi.FaultDeclaration, len(decl))
		for i, d := range decl {
			catalogue[i] = controlapi.FaultDeclaration(d)
		}
		active := r.Active()
		if active == nil {
			active = []koomock.Fault{}
		}
		return controlapi.FaultList{Active: active, Offered: catalogue}, nil
	}))
	m.Post("/", controlapi.Handle(nil, http.StatusCreated, func(req *http.Request, f koomock.Fault) (koomock.Fault, error) {
		f, err := r.Set(req.Context(), f)
		if errors.Is(err, ErrUnknown) || errors.Is(err, ErrBadTarget) {
			return f, controlapi.Errorf(controlapi.CodeInvalid, "%v", err)
		}
		return f, err
	}))
	m.Delete("/", controlapi.Handle(nil, http.StatusNoContent, func(req *http.Request, _ controlapi.NoBody) (struct{}, error) {
		return struct{}{}, r.ClearAll(req.Context())
	}))
	m.Delete("/{id}", controlapi.Handle(nil, http.StatusNoContent, func(req *http.Request, _ controlapi.NoBody) (struct{}, error) {
		id, err := strconv.ParseInt(chi.URLParam(req, "id"), 10, 64)
		if err != nil {
			return struct{}{}, controlapi.Errorf(controlapi.CodeInvalid, "fault ID must be a number")
		}
		if err := r.Clear(req.Context(), id); errors.Is(err, ErrNoSuchFault) {
			return struct{}{}, controlapi.Errorf(controlapi.CodeNotFound, "%v", err)
		} else if err != nil {
			return struct{}{}, err
		}
		return struct{}{}, nil
	}))
	return m
}
