package delivery

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/store"
)

// Routes returns the courier's control-API routes, to be mounted at /_mock/deliveries.
func (c *Courier) Routes() chi.Router {
	r := chi.NewRouter()
	r.Get("/", c.handleList)
	r.Get("/{id}", c.handleGet)
	r.Post("/{id}/resend", c.handleResend)
	return r
}

var statuses = map[koomock.DeliveryStatus]bool{
	koomock.DeliveryPending: true, koomock.DeliveryRetrying: true, koomock.DeliveryDelivered: true, koomock.DeliveryFailed: true,
}

func (c *Courier) handleList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := store.DeliveryFilter{Status: koomock.DeliveryStatus(q.Get("status")), Activity: q.Get("activity"),
		OrderID: q.Get("order"), InstanceID: q.Get("instance")}
	if f.Status != "" && !statuses[f.Status] {
		controlapi.WriteError(w, nil, controlapi.Errorf(controlapi.CodeInvalid, "status must be pending, retrying, delivered or failed"))
		return
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			controlapi.WriteError(w, nil, controlapi.Errorf(controlapi.CodeInvalid, "limit must be 1 to 1000"))
			return
		}
		f.Limit = n
	}
	list, err := c.Store.Deliveries(r.Context(), f)
	if err != nil {
		controlapi.WriteError(w, c.Logger, err)
		return
	}
	if list == nil {
		list = []koomock.Delivery{}
	}
	controlapi.WriteJSON(w, http.StatusOK, controlapi.DeliveryList{Deliveries: list})
}

func deliveryID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		return 0, controlapi.Errorf(controlapi.CodeInvalid, "delivery ID must be a number")
	}
	return id, nil
}

func (c *Courier) handleGet(w http.ResponseWriter, r *http.Request) {
	id, err := deliveryID(r)
	if err != nil {
		controlapi.WriteError(w, nil, err)
		return
	}
	d, err := c.Store.Delivery(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		err = controlapi.Errorf(controlapi.CodeNotFound, "delivery %d does not exist", id)
	}
	if err != nil {
		controlapi.WriteError(w, c.Logger, err)
		return
	}
	controlapi.WriteJSON(w, http.StatusOK, controlapi.DeliveryResult{Delivery: d})
}

func (c *Courier) handleResend(w http.ResponseWriter, r *http.Request) {
	id, err := deliveryID(r)
	if err != nil {
		controlapi.WriteError(w, nil, err)
		return
	}
	d, e, err := c.Resend(r.Context(), id)
	if err != nil {
		controlapi.WriteError(w, c.Logger, err)
		return
	}
	controlapi.WriteJSON(w, http.StatusOK, controlapi.DeliveryResult{Delivery: d, Exchange: e})
}
