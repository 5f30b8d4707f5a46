package console

import (
	"net/http"
	"strings"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
)

// act runs one lifecycle action on an instance (the form's "op", one of controlapi.Actions) and shows
// the instance with the exchanges the action caused.
func (c *Console) act(r *http.Request) (string, error) {
	id, op := strings.TrimSpace(r.PostFormValue("instanceId")), r.PostFormValue("op")
	if id == "" || op == "" {
		return "", controlapi.Errorf(controlapi.CodeInvalid, "name the instance and the action (one of %v)", controlapi.Actions)
	}
	n, err := formInt(r, "periodNumber")
	if err != nil {
		return "", err
	}
	linear, err := formInt(r, "linearValue")
	if err != nil {
		return "", err
	}
	res, err := c.cfg.API.Act(r.Context(), id, op, controlapi.InstanceAction{
		PeriodType: koomock.PeriodType(r.PostFormValue("periodType")), PeriodNumber: n,
		ProductID: r.PostFormValue("productId"), LinearValue: linear,
		ProductInfoForm: r.PostFormValue("productInfoForm"),
	})
	if err != nil {
		return "", err
	}
	placed := ""
	if res.Order != nil {
		placed = res.Order.ID
	}
	return resultPath(instancePath(id), op, placed, res.Exchanges...), nil
}

// query sends queryInstance for the instances the form names (one field, or several checked boxes,
// each holding IDs separated by spaces or commas) and shows the answer: on the instance's page when
// there is one instance, on the exchange's page otherwise.
func (c *Console) query(r *http.Request) (string, error) {
	if err := r.ParseForm(); err != nil {
		return "", controlapi.Errorf(controlapi.CodeInvalid, "the form cannot be read: %v", err)
	}
	var ids []string
	for _, v := range r.PostForm["instanceIds"] {
		ids = append(ids, strings.Fields(strings.ReplaceAll(v, ",", " "))...)
	}
	e, err := c.cfg.API.Query(r.Context(), controlapi.QueryRequest{InstanceIDs: ids})
	if err != nil {
		return "", err
	}
	if len(ids) == 1 {
		return resultPath(instancePath(ids[0]), "query", "", e), nil
	}
	return exchangePath(e.ID), nil
}

// resendDelivery makes one attempt at a delivery now and shows it, with the attempt's exchange, where
// the form came from: the instance's page, or the deliveries page with its filter.
func (c *Console) resendDelivery(r *http.Request) (string, error) {
	id, err := formID(r, "deliveryId")
	if err != nil {
		return "", err
	}
	res, err := c.cfg.API.ResendDelivery(r.Context(), id)
	if err != nil {
		return "", err
	}
	next := deliveriesPath(r.PostFormValue("status"))
	if in := r.PostFormValue("instanceId"); in != "" {
		next = instancePath(in)
	}
	return resultPath(next, "resend-delivery", "", res.Exchange), nil
}
