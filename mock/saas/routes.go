package saas

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/store"
)

// routes are the market's control-API routes, mounted under /_mock.
func (m *Market) routes() chi.Router {
	r := chi.NewRouter()
	ok := http.StatusOK
	r.Post("/orders", controlapi.Handle(m.Logger, http.StatusCreated, func(r *http.Request, req controlapi.BuyRequest) (controlapi.Purchase, error) {
		return m.Buy(r.Context(), req)
	}))
	r.Get("/orders", controlapi.Handle(m.Logger, ok, m.listOrders))
	r.Get("/orders/{orderID}", controlapi.Handle(m.Logger, ok, func(r *http.Request, _ controlapi.NoBody) (controlapi.Purchase, error) {
		return m.Order(r.Context(), chi.URLParam(r, "orderID"))
	}))
	r.Post("/orders/{orderID}/resend", controlapi.Handle(m.Logger, ok, func(r *http.Request, _ controlapi.NoBody) (controlapi.Purchase, error) {
		return m.Resend(r.Context(), chi.URLParam(r, "orderID"))
	}))
	r.Post("/orders/{orderID}/notify", controlapi.Handle(m.Logger, ok, func(r *http.Request, _ controlapi.NoBody) (controlapi.ExchangeResult, error) {
		e, err := m.NotifyOrder(r.Context(), chi.URLParam(r, "orderID"))
		return controlapi.ExchangeResult{Exchange: e}, err
	}))
	r.Get("/instances", controlapi.Handle(m.Logger, ok, m.listInstances))
	r.Get("/instances/{instanceID}", controlapi.Handle(m.Logger, ok, m.instanceDetail))
	r.Post("/instances/{instanceID}/{action}", controlapi.Handle(m.Logger, ok, func(r *http.Request, req controlapi.InstanceAction) (controlapi.ActionResult, error) {
		return m.Act(r.Context(), chi.URLParam(r, "instanceID"), chi.URLParam(r, "action"), req)
	}))
	r.Post("/query", controlapi.Handle(m.Logger, ok, func(r *http.Request, req controlapi.QueryRequest) (controlapi.ExchangeResult, error) {
		e, err := m.Query(r.Context(), req.InstanceIDs)
		return controlapi.ExchangeResult{Exchange: e}, err
	}))
	r.Post("/debug-calls", controlapi.Handle(m.Logger, ok, func(r *http.Request, req controlapi.DebugCallRequest) (controlapi.ExchangeResult, error) {
		e, err := m.DebugCall(r.Context(), req)
		return controlapi.ExchangeResult{Exchange: e}, err
	}))
	r.Post("/probes", controlapi.Handle(m.Logger, ok, func(r *http.Request, req controlapi.ProbeRequest) (controlapi.ExchangeResult, error) {
		e, err := m.Probe(r.Context(), req)
		return controlapi.ExchangeResult{Exchange: e}, err
	}))
	return r
}

func limitParam(r *http.Request) (int, error) {
	limit := 100
	if s := r.URL.Query().Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 1000 {
			return 0, controlapi.Errorf(controlapi.CodeInvalid, "limit must be 1 to 1000")
		}
		limit = n
	}
	return limit, nil
}

func (m *Market) listOrders(r *http.Request, _ controlapi.NoBody) (map[string]any, error) {
	limit, err := limitParam(r)
	if err != nil {
		return nil, err
	}
	orders, err := m.Store.Orders(r.Context(), limit)
	if err != nil {
		return nil, err
	}
	return map[string]any{"orders": orders}, nil
}

func (m *Market) listInstances(r *http.Request, _ controlapi.NoBody) (map[string]any, error) {
	limit, err := limitParam(r)
	if err != nil {
		return nil, err
	}
	list, err := m.Store.Instances(r.Context(), limit)
	if err != nil {
		return nil, err
	}
	if list == nil {
		list = []koomock.Instance{}
	}
	return map[string]any{"instances": list}, nil
}

func (m *Market) instanceDetail(r *http.Request, _ controlapi.NoBody) (controlapi.InstanceDetail, error) {
	ctx := r.Context()
	in, err := m.instance(ctx, chi.URLParam(r, "instanceID"))
	if err != nil {
		return controlapi.InstanceDetail{}, err
	}
	d := controlapi.InstanceDetail{Instance: in}
	if d.Orders, err = m.Store.OrdersOfInstance(ctx, in.ID); err == nil {
		d.Deliveries, err = m.Store.Deliveries(ctx, store.DeliveryFilter{InstanceID: in.ID})
	}
	if err == nil {
		d.Usage, err = m.Store.Usage(ctx, in.ID)
	}
	if err != nil {
		return controlapi.InstanceDetail{}, err
	}
	for _, u := range d.Usage {
		d.UsageTotal += u.Value
	}
	return d, nil
}
