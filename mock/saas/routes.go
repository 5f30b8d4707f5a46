package saas

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/koomock/koomock/controlapi"
)

// Routes returns the market's control-API routes, to be mounted under /_mock.
func (m *Market) Routes() chi.Router {
	r := chi.NewRouter()
	r.Post("/orders", m.handleBuy)
	r.Get("/orders", m.handleListOrders)
	r.Get("/orders/{orderID}", m.handleGetOrder)
	r.Post("/orders/{orderID}/resend", m.handleResend)
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

func (m *Market) handleListOrders(w http.ResponseWriter, r *http.Request) {
	limit := 100
	if s := r.URL.Query().Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 1000 {
			controlapi.WriteError(w, m.Logger, controlapi.Errorf(controlapi.CodeInvalid, "limit must be 1 to 1000"))
			return
		}
		limit = n
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
