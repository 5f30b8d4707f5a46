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

// CaseRoutes returns the debug-case routes, to be mounted at /_mock/cases.
func (t *Tester) CaseRoutes() chi.Router {
	r := chi.NewRouter()
	r.Post("/", t.handleSave)
	r.Get("/", t.handleList)
	r.Post("/replay", t.handleDialNow)
	r.Get("/{id}", t.handleGet)
	r.Delete("/{id}", t.handleDelete)
	r.Post("/{id}/replay", t.handleReplay)
	return r
}

// ProductRoutes returns the product routes, to be mounted at /_mock/products.
func (t *Tester) ProductRoutes() chi.Router {
	r := chi.NewRouter()
	r.Get("/", t.handleProducts)
	r.Post("/{id}/unfreeze", t.handleUnfreeze)
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

func (t *Tester) handleSave(w http.ResponseWriter, r *http.Request) {
	var req controlapi.SaveCaseRequest
	if err := controlapi.Decode(r, &req); err != nil {
		controlapi.WriteError(w, t.Logger, err)
		return
	}
	c, err := t.Save(r.Context(), req)
	if err != nil {
		controlapi.WriteError(w, t.Logger, err)
		return
	}
	controlapi.WriteJSON(w, http.StatusCreated, controlapi.CaseResult{Case: c})
}

func (t *Tester) handleList(w http.ResponseWriter, r *http.Request) {
	cases, err := t.Store.Cases(r.Context())
	if err != nil {
		controlapi.WriteError(w, t.Logger, err)
		return
	}
	if cases == nil {
		cases = []koomock.DebugCase{}
	}
	controlapi.WriteJSON(w, http.StatusOK, controlapi.CaseList{Cases: cases})
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

func (t *Tester) handleGet(w http.ResponseWriter, r *http.Request) {
	c, err := t.caseParam(r)
	if err != nil {
		controlapi.WriteError(w, t.Logger, err)
		return
	}
	controlapi.WriteJSON(w, http.StatusOK, controlapi.CaseResult{Case: c})
}

func (t *Tester) handleDelete(w http.ResponseWriter, r *http.Request) {
	c, err := t.caseParam(r)
	if err == nil {
		err = t.Store.DeleteCase(r.Context(), c.ID)
	}
	if err == nil {
		err = t.schedule(r.Context())
	}
	if err != nil {
		controlapi.WriteError(w, t.Logger, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (t *Tester) handleReplay(w http.ResponseWriter, r *http.Request) {
	c, err := t.caseParam(r)
	if err != nil {
		controlapi.WriteError(w, t.Logger, err)
		return
	}
	e, err := t.replay(r.Context(), &c, false)
	if err != nil {
		controlapi.WriteError(w, t.Logger, err)
		return
	}
	controlapi.WriteJSON(w, http.StatusOK, controlapi.CaseResult{Case: c, Exchange: e})
}

// handleDialNow runs a dial test now, as if it were due.
func (t *Tester) handleDialNow(w http.ResponseWriter, r *http.Request) {
	if err := t.runDial(r.Context(), store.Job{}); err != nil {
		controlapi.WriteError(w, t.Logger, err)
		return
	}
	t.handleList(w, r)
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

func (t *Tester) handleProducts(w http.ResponseWriter, r *http.Request) {
	out := []controlapi.Product{}
	for _, p := range t.Catalog.Products {
		cp, err := t.product(r.Context(), p.ID)
		if err != nil {
			controlapi.WriteError(w, t.Logger, err)
			return
		}
		out = append(out, cp)
	}
	controlapi.WriteJSON(w, http.StatusOK, controlapi.ProductList{Products: out})
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

func (t *Tester) handleUnfreeze(w http.ResponseWriter, r *http.Request) {
	p, err := t.Unfreeze(r.Context(), chi.URLParam(r, "id"))
	if err != nil {
		controlapi.WriteError(w, t.Logger, err)
		return
	}
	controlapi.WriteJSON(w, http.StatusOK, p)
}
