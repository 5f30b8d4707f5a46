package saas

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/store"
)

// Routes returns the market's control-API routes, to be mounted under /_mock.
func (m *Market) Routes() chi.Router {
	r := chi.NewRouter()
	r.Post("/orders", m.handleBuy)
	r.Get("/orders", m.handleListOrders)
	r.Get("/orders/{orderID}", m.handleGetOrder)
	r.Post("/orders/{orderID}/resend", m.handleResend)
	r.Post("/orders/{orderID}/notify", m.handleNotifyOrder)
	r.Get("/instances", m.handleListInstances)
	r.Get("/instances/{instanceID}", m.handleGetInstance)
	r.Post("/instances/{instanceID}/{action}", m.handleAct)
	r.Post("/query", m.handleQuery)
	r.Post("/debug-calls", m.handleDebugCall)
	r.Post("/probes", m.handleProbe)
	return r
}

func (m *Market) handleBuy(w http.ResponseWriter, r *http.Request) {
	var req controlapi.BuyRequest
	if err := controlapi.Decode(r, &req); err != nil {
		controlapi.WriteError(w, m.Logger, err)
		return
	}
	p, err := m.Buy(r.Context(), req)
	if err != nil {
		controlapi.WriteError(w, m.Logger, err)
		return
	}
	controlapi.WriteJSON(w, http.StatusCreated, p)
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

func (m *Market) handleListOrders(w http.ResponseWriter, r *http.Request) {
	limit, err := limitParam(r)
	if err != nil {
		controlapi.WriteError(w, m.Logger, err)
		return
	}
	orders, err := m.Store.Orders(r.Context(), limit)
	if err != nil {
		controlapi.WriteError(w, m.Logger, err)
		return
	}
	controlapi.WriteJSON(w, http.StatusOK, map[string]any{"orders": orders})
}

func (m *Market) handleGetOrder(w http.ResponseWriter, r *http.Request) {
	p, err := m.Order(r.Context(), chi.URLParam(r, "orderID"))
	if err != nil {
		controlapi.WriteError(w, m.Logger, err)
		return
	}
	controlapi.WriteJSON(w, http.StatusOK, p)
}

func (m *Market) handleResend(w http.ResponseWriter, r *http.Request) {
	p, err := m.Resend(r.Context(), chi.URLParam(r, "orderID"))
	if err != nil {
		controlapi.WriteError(w, m.Logger, err)
		return
	}
	controlapi.WriteJSON(w, http.StatusOK, p)
}

func (m *Market) handleListInstances(w http.ResponseWriter, r *http.Request) {
	limit, err := limitParam(r)
	if err != nil {
		controlapi.WriteError(w, m.Logger, err)
		return
	}
	list, err := m.Store.Instances(r.Context(), limit)
	if err != nil {
		controlapi.WriteError(w, m.Logger, err)
		return
	}
	if list == nil {
		list = []koomock.Instance{}
	}
	controlapi.WriteJSON(w, http.StatusOK, map[string]any{"instances": list})
}

func (m *Market) handleGetInstance(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	in, err := m.instance(ctx, chi.URLParam(r, "instanceID"))
	if err != nil {
		controlapi.WriteError(w, m.Logger, err)
		return
	}
	d := controlapi.InstanceDetail{Instance: in}
	if d.Orders, err = m.Store.OrdersOfInstance(ctx, in.ID); err == nil {
		d.Deliveries, err = m.Store.Deliveries(ctx, store.DeliveryFilter{InstanceID: in.ID})
	}
	if err == nil {
		d.Usage, err = m.Store.Usage(ctx, in.ID)
	}
	if err != nil {
		controlapi.WriteError(w, m.Logger, err)
		return
	}
	for _, u := range d.Usage {
		d.UsageTotal += u.Value
	}
	controlapi.WriteJSON(w, http.StatusOK, d)
}

func (m *Market) handleAct(w http.ResponseWriter, r *http.Request) {
	var req controlapi.InstanceAction
	if err := controlapi.Decode(r, &req); err != nil {
		controlapi.WriteError(w, m.Logger, err)
		return
	}
	res, err := m.Act(r.Context(), chi.URLParam(r, "instanceID"), chi.URLParam(r, "action"), req)
	if err != nil {
		controlapi.WriteError(w, m.Logger, err)
		return
	}
	controlapi.WriteJSON(w, http.StatusOK, res)
}

func (m *Market) handleQuery(w http.ResponseWriter, r *http.Request) {
	var req controlapi.QueryRequest
	if err := controlapi.Decode(r, &req); err != nil {
		controlapi.WriteError(w, m.Logger, err)
		return
	}
	e, err := m.Query(r.Context(), req.InstanceIDs)
	if err != nil {
		controlapi.WriteError(w, m.Logger, err)
		return
	}
	controlapi.WriteJSON(w, http.StatusOK, controlapi.ExchangeResult{Exchange: e})
}

func (m *Market) handleDebugCall(w http.ResponseWriter, r *http.Request) {
	var req controlapi.DebugCallRequest
	if err := controlapi.Decode(r, &req); err != nil {
		controlapi.WriteError(w, m.Logger, err)
		return
	}
	e, err := m.DebugCall(r.Context(), req)
	if err != nil {
		controlapi.WriteError(w, m.Logger, err)
		return
	}
	controlapi.WriteJSON(w, http.StatusOK, controlapi.ExchangeResult{Exchange: e})
}

func (m *Market) handleProbe(w http.ResponseWriter, r *http.Request) {
	var req controlapi.ProbeRequest
	if err := controlapi.Decode(r, &req); err != nil {
		controlapi.WriteError(w, m.Logger, err)
		return
	}
	e, err := m.Probe(r.Context(), req)
	if err != nil {
		controlapi.WriteError(w, m.Logger, err)
		return
	}
	controlapi.WriteJSON(w, http.StatusOK, controlapi.ExchangeResult{Exchange: e})
}
