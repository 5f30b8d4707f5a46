package faults

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
)

// Routes returns the control-API routes of the registry, to be mounted at /_mock/faults.
func (r *Registry) Routes() chi.Router {
	m := chi.NewRouter()
	m.Get("/", r.handleList)
	m.Post("/", r.handleSet)
	m.Delete("/", r.handleClearAll)
	m.Delete("/{id}", r.handleClear)
	return m
}

func (r *Registry) handleList(w http.ResponseWriter, req *http.Request) {
	decl := r.Declared()
	catalogue := make([]controlapi.FaultDeclaration, len(decl))
	for i, d := range decl {
		catalogue[i] = controlapi.FaultDeclaration(d)
	}
	active := r.Active()
	if active == nil {
		active = []koomock.Fault{}
	}
	controlapi.WriteJSON(w, http.StatusOK, controlapi.FaultList{Active: active, Offered: catalogue})
}

func (r *Registry) handleSet(w http.ResponseWriter, req *http.Request) {
	var f koomock.Fault
	if err := controlapi.Decode(req, &f); err != nil {
		controlapi.WriteError(w, nil, err)
		return
	}
	f, err := r.Set(req.Context(), f)
	if errors.Is(err, ErrUnknown) || errors.Is(err, ErrBadTarget) {
		controlapi.WriteError(w, nil, controlapi.Errorf(controlapi.CodeInvalid, "%v", err))
		return
	}
	if err != nil {
		controlapi.WriteError(w, nil, err)
		return
	}
	controlapi.WriteJSON(w, http.StatusCreated, f)
}

func (r *Registry) handleClear(w http.ResponseWriter, req *http.Request) {
	id, err := strconv.ParseInt(chi.URLParam(req, "id"), 10, 64)
	if err != nil {
		controlapi.WriteError(w, nil, controlapi.Errorf(controlapi.CodeInvalid, "fault ID must be a number"))
		return
	}
	if err := r.Clear(req.Context(), id); errors.Is(err, ErrNoSuchFault) {
		controlapi.WriteError(w, nil, controlapi.Errorf(controlapi.CodeNotFound, "%v", err))
		return
	} else if err != nil {
		controlapi.WriteError(w, nil, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (r *Registry) handleClearAll(w http.ResponseWriter, req *http.Request) {
	if err := r.ClearAll(req.Context()); err != nil {
		controlapi.WriteError(w, nil, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
