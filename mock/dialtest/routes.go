package dialtest

import (
	"context"
	"errors"
	"fmt"

	"net/http"
	"slices"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/protocol"
	"github.com/koomock/koomock/store"
)

// caseRoutes are the debug-case routes, mounted at /_mock/cases.
func (t *Tester) caseRoutes() chi.Router {
	r := chi.NewRouter()
	ok := http.StatusOK
	r.Post("/", controlapi.Handle(t.Logger, http.StatusCreated, func(r *http.Request, req controlapi.SaveCaseRequest) (controlapi.CaseResult, error) {
		c, err := t.Save(r.Context(), req)
		return controlapi.CaseResult{Case: c}, err
	}))
	r.Get("/", controlapi.Handle(t.Logger, ok, t.list))
	r.Post("/replay", controlapi.Handle(t.Logger, ok, func(r *http.Request, _ controlapi.NoBody) (controlapi.CaseList, error) {
		// A dial test now, as if it were due.
		if err := t.runDial(r.Context(), store.Job{}); err != nil {
			return controlapi.CaseList{}, err
		}
		return t.list(r, controlapi.NoBody{})
	}))
	r.Get("/{id}", controlapi.Handle(t.Logger, ok, func(r *http.Request, _ controlapi.NoBody) (controlapi.CaseResult, error) {
		c, err := t.caseParam(r)
		return controlapi.CaseResult{Case: c}, err
	}))
	r.Delete("/{id}", controlapi.Handle(t.Logger, http.StatusNoContent, func(r *http.Request, _ controlapi.NoBody) (struct{}, error) {
		c, err := t.caseParam(r)
		if err == nil {
			err = t.Store.DeleteCase(r.Context(), c.ID)
		}
		if err == nil {
			err = t.schedule(r.Context())
		}
		return struct{}{}, err
	}))
	r.Post("/{id}/replay", controlapi.Handle(t.Logger, ok, func(r *http.Request, _ controlapi.NoBody) (controlapi.CaseResult, error) {
		c, err := t.caseParam(r)
		if err != nil {
			return controlapi.CaseResult{}, err
		}
		e, err := t.replay(r.Context(), &c, false)
		return controlapi.CaseResult{Case: c, Exchange: e}, err
	}))
	return r
}

// productRoutes are the product routes, mounted at /_mock/products.
func (t *Tester) productRoutes() chi.Router {
	r := chi.NewRouter()
	r.Get("/", controlapi.Handle(t.Logger, http.StatusOK, func(r *http.Request, _ controlapi.NoBody) (controlapi.ProductList, error) {
		out := []controlapi.Product{}
		for _, p := range t.Catalog.Products {
			cp, err := t.product(r.Context(), p.ID)
			if err != nil {
				return controlapi.ProductList{}, err
			}
			out = append(out, cp)
		}
		return controlapi.ProductList{Products: out}, nil
	}))
	r.Post("/{id}/unfreeze", controlapi.Handle(t.Logger, http.StatusOK, func(r *http.Request, _ controlapi.NoBody) (controlapi.Product, error) {
		return t.Unfreeze(r.Context(), chi.URLParam(r, "id"))
	}))
	return r
}

// Save makes a debug case of a passing callback koomock sent: the same activity and body, with
// testFlag "1".
func (t *Tester) Save(ctx context.Context, req controlapi.SaveCaseRequest) (koomock.DebugCase, error) {
	e, err := t.Store.Exchange(ctx, req.ExchangeID)
	if errors.Is(err, store.ErrNotFound) {
		return koomock.DebugCase{}, controlapi.Errorf(controlapi.CodeNotFound, "exchange %d does not exist", req.ExchangeID)
	}
	if err != nil {
		return koomock.DebugCase{}, err
	}
	switch {
	case e.Direction != koomock.Outbound:
		return koomock.DebugCase{}, controlapi.Errorf(controlapi.CodeConflict, "exchange %d is a call to koomock, not a callback", e.ID)
	case !slices.Contains(protocol.SaaSActivities, protocol.Activity(e.Activity)):
		// Dial tests replay cases at the production interface URL with the basic-interface key: a kit
		// sync or a license callback goes elsewhere, signed otherwise, and KooGallery dial-tests neither.
		return koomock.DebugCase{}, controlapi.Errorf(controlapi.CodeConflict,
			"exchange %d is a %s; debug cases and dial tests are for the SaaS basic interfaces (%v)", e.ID, e.Activity, protocol.SaaSActivities)
	case e.Probe != "":
		return koomock.DebugCase{}, controlapi.Errorf(controlapi.CodeConflict, "exchange %d is a deliberately faulty callback (%s)", e.ID, e.Probe)
	case e.Failed():
		return koomock.DebugCase{}, controlapi.Errorf(controlapi.CodeConflict, "exchange %d did not pass; only a passing exchange can be saved as a debug case", e.ID)
	}
	body, err := protocol.DecodeObject([]byte(e.Request.Body))
	if err != nil {
		return koomock.DebugCase{}, controlapi.Errorf(controlapi.CodeConflict, "exchange %d has no JSON body", e.ID)
	}
	body[protocol.FieldTestFlag] = protocol.TestFlagDebug
	name := req.Name
	if name == "" {
		name = fmt.Sprintf("%s from exchange #%d", e.Activity, e.ID)
	}
	c := koomock.DebugCase{Name: name, Activity: e.Activity, Body: body, ProductID: t.ProductOf(ctx, e),
		FromExchange: e.ID, CreatedAt: t.Now(), Runs: []koomock.CaseRun{}}
	if err := t.Store.PutCase(ctx, &c); err != nil {
		return c, err
	}
	return c, t.schedule(ctx)
}

func (t *Tester) list(r *http.Request, _ controlapi.NoBody) (controlapi.CaseList, error) {
	cases, err := t.Store.Cases(r.Context())
	if cases == nil {
		cases = []koomock.DebugCase{}
	}
	return controlapi.CaseList{Cases: cases}, err
}

func (t *Tester) caseParam(r *http.Request) (koomock.DebugCase, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		return koomock.DebugCase{}, controlapi.Errorf(controlapi.CodeInvalid, "case ID must be a number")
	}
	c, err := t.Store.Case(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return c, controlapi.Errorf(controlapi.CodeNotFound, "debug case %d does not exist", id)
	}
	return c, err
}

func (t *Tester) product(ctx context.Context, id string) (controlapi.Product, error) {
	i := slices.IndexFunc(t.Catalog.Products, func(p fixtures.Product) bool { return p.ID == id })
	if i < 0 {
		return controlapi.Product{}, controlapi.Errorf(controlapi.CodeNotFound, "product %s is not in the catalog", id)
	}
	p := t.Catalog.Products[i]
	st, err := t.Store.ProductState(ctx, id)
	return controlapi.Product{ProductID: p.ID, SKUCode: p.SKUCode, ProductName: p.Name, ChargingMode: p.ChargingMode, State: st}, err
}

// Unfreeze puts a product on sale again, with its cases' failing days forgotten.
func (t *Tester) Unfreeze(ctx context.Context, id string) (controlapi.Product, error) {
	p, err := t.product(ctx, id)
	if err != nil {
		return p, err
	}
	p.State = koomock.ProductState{ProductID: id}
	if err := t.Store.PutProductState(ctx, p.State); err != nil {
		return p, err
	}
	cases, err := t.Store.Cases(ctx)
	if err != nil {
		return p, err
	}
	for _, c := range cases {
		if c.ProductID == id && c.FailedDays > 0 {
			c.FailedDays, c.LastFailedDay = 0, ""
			if err := t.Store.PutCase(ctx, &c); err != nil {
				return p, err
			}
		}
	}
	return p, t.schedule(ctx)
}
