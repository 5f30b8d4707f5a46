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

// routes are the courier's control-API routes, mounted at /_mock/deliveries.
func (c *Courier) routes() chi.Router {
	r := chi.NewRouter()
	r.Get("/", controlapi.Handle(c.Logger, http.StatusOK, c.list))
	r.Get("/{id}", controlapi.Handle(c.Logger, http.StatusOK, func(r *http.Request, _ controlapi.NoBody) (controlapi.DeliveryResult, error) {
		id, err := deliveryID(r)
		if err != nil {
			return controlapi.DeliveryResult{}, err
		}
		d, err := c.Store.Delivery(r.Context(), id)
		if errors.Is(err, store.ErrNotFound) {
			err = controlapi.Errorf(controlapi.CodeNotFound, "delivery %d does not exist", id)
		}
		return controlapi.DeliveryResult{Delivery: d}, err
	}))
	r.Post("/{id}/resend", controlapi.Handle(c.Logger, http.StatusOK, func(r *http.Request, _ controlapi.NoBody) (controlapi.DeliveryResult, error) {
		id, err := deliveryID(r)
		if err != nil {
			return controlapi.DeliveryResult{}, err
		}
		d, e, err := c.Resend(r.Context(), id)
		return controlapi.DeliveryResult{Delivery: d, Exchange: e}, err
	}))
	return r
}

var statuses = map[koomock.DeliveryStatus]bool{
	koomock.DeliveryPending: true, koomock.DeliveryRetrying: true, koomock.DeliveryDelivered: true, koomock.DeliveryFailed: true,
}

func (c *Courier) list(r *http.Request, _ controlapi.NoBody) (controlapi.DeliveryList, error) {
	q := r.URL.Query()
	f := store.DeliveryFilter{Status: koomock.DeliveryStatus(q.Get("status")), Activity: q.Get("activity"),
		OrderID: q.Get("order"), InstanceID: q.Get("instance")}
	if f.Status != "" && !statuses[f.Status] {
		return controlapi.DeliveryList{}, controlapi.Errorf(controlapi.CodeInvalid, "status must be pending, retrying, delivered or failed")
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return controlapi.DeliveryList{}, controlapi.Errorf(controlapi.CodeInvalid, "limit must be 1 to 1000")
		}
		f.Limit = n
	}
	list, err := c.Store.Deliveries(r.Context(), f)
	if list == nil {
		list = []koomock.Delivery{}
	}
	return controlapi.DeliveryList{Deliveries: list}, err
}

func deliveryID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		return 0, controlapi.Errorf(controlapi.CodeInvalid, "delivery ID must be a number")
	}
	return id, nil
}
