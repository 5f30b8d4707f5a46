package console

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/protocol"
)

// action is one button or form of the console: a thin form over exactly one control-API operation,
// its twin. It reads the form, makes the call and names the page to show next.
type action struct {
	name string
	// twin is the control-API operation, "METHOD /_mock/route-pattern", as mounted in koomock's router.
	twin string
	do   func(c *Console, r *http.Request) (next string, err error)
}

// actions lists every action; a test checks each twin is a route of the control API.
func actions() []action {
	return []action{
		{name: "buy", twin: "POST /_mock/orders", do: (*Console).buy},
		{name: "resend", twin: "POST /_mock/orders/{orderID}/resend", do: (*Console).resend},
		{name: "act", twin: "POST /_mock/instances/{instanceID}/{action}", do: (*Console).act},
		{name: "query", twin: "POST /_mock/query", do: (*Console).query},
		{name: "delivery-resend", twin: "POST /_mock/deliveries/{id}/resend", do: (*Console).resendDelivery},
		{name: "probe", twin: "POST /_mock/probes", do: (*Console).probe},
		{name: "replay", twin: "POST /_mock/exchanges/{id}/replay", do: (*Console).replay},
		{name: "license-test-codes", twin: "POST /_mock/license/test-codes", do: (*Console).licenseTestCodes},
		{name: "license-buy", twin: "POST /_mock/license/orders", do: (*Console).licenseBuy},
		{name: "license-code", twin: "POST /_mock/license/codes/{code}/{action}", do: (*Console).licenseStep},
		{name: "license-probe", twin: "POST /_mock/license/probes", do: (*Console).licenseProbe},
		{name: "asset-create", twin: "POST /_mock/assets/", do: (*Console).assetCreate},
		{name: "asset-upload", twin: "PUT /_mock/assets/{id}/versions/{version}", do: (*Console).assetUpload},
		{name: "asset-version-delete", twin: "DELETE /_mock/assets/{id}/versions/{version}", do: (*Console).assetVersionDelete},
		{name: "asset-template-attach", twin: "PUT /_mock/assets/{id}/templates/{name}", do: (*Console).assetTemplateAttach},
		{name: "asset-template-detach", twin: "DELETE /_mock/assets/{id}/templates/{name}", do: (*Console).assetTemplateDetach},
		{name: "asset-delete", twin: "DELETE /_mock/assets/{id}", do: (*Console).assetDelete},
		{name: "case-save", twin: "POST /_mock/cases/", do: (*Console).saveCase},
		{name: "case-replay", twin: "POST /_mock/cases/{id}/replay", do: (*Console).replayCase},
		{name: "case-delete", twin: "DELETE /_mock/cases/{id}", do: (*Console).deleteCase},
		{name: "cases-dial", twin: "POST /_mock/cases/replay", do: (*Console).dialTest},
		{name: "product-unfreeze", twin: "POST /_mock/products/{id}/unfreeze", do: (*Console).unfreezeProduct},
		{name: "clock", twin: "POST /_mock/clock", do: (*Console).setClock},
		{name: "advance", twin: "POST /_mock/clock/advance", do: (*Console).advance},
		{name: "fault-set", twin: "POST /_mock/faults/", do: (*Console).setFault},
		{name: "fault-clear", twin: "DELETE /_mock/faults/{id}", do: (*Console).clearFault},
		{name: "faults-clear", twin: "DELETE /_mock/faults/", do: (*Console).clearFaults},
		{name: "tenant-create", twin: "POST /_mock/tenants/", do: (*Console).createTenant},
		{name: "tenant-rename", twin: "PATCH /_mock/tenants/{id}/", do: (*Console).renameTenant},
		{name: "tenant-delete", twin: "DELETE /_mock/tenants/{id}/", do: (*Console).deleteTenant},
		{name: "tenant-resync", twin: "POST /_mock/tenants/{id}/resync", do: (*Console).resyncTenant},
		{name: "app-update", twin: "PUT /_mock/tenants/{id}/app", do: (*Console).updateApp},
		{name: "app-delete", twin: "DELETE /_mock/tenants/{id}/app", do: (*Console).deleteApp},
		{name: "user-authorize", twin: "POST /_mock/tenants/{id}/users", do: (*Console).authorizeUser},
		{name: "user-update", twin: "PUT /_mock/tenants/{id}/users/{name}", do: (*Console).updateUser},
		{name: "user-delete", twin: "DELETE /_mock/tenants/{id}/users/{name}", do: (*Console).deleteUser},
		{name: "user-deauthorize", twin: "POST /_mock/tenants/{id}/users/{name}/deauthorize", do: (*Console).deauthorizeUser},
		{name: "org-put", twin: "PUT /_mock/tenants/{id}/orgs/{code}", do: (*Console).putOrg},
		{name: "org-delete", twin: "DELETE /_mock/tenants/{id}/orgs/{code}", do: (*Console).deleteOrg},
		// Last, so that the parity test, which runs them in this order, resets after the others.
		{name: "reset", twin: "POST /_mock/reset", do: (*Console).reset},
	}
}

// Action describes a console action for tests and documentation.
type Action struct {
	// Name is the action's path: POST Prefix/actions/NAME.
	Name string
	// Twin is the control-API operation it performs: "METHOD /_mock/route-pattern".
	Twin string
}

// Actions lists the console's actions with their control-API twins.
func Actions() []Action {
	var out []Action
	for _, a := range actions() {
		out = append(out, Action{Name: a.name, Twin: a.twin})
	}
	return out
}

// handleAction runs one action and redirects to the page it names, or to the form's "back" page; a
// refused operation is shown with the control API's message.
func (c *Console) handleAction(w http.ResponseWriter, r *http.Request) {
	a, ok := c.actions[chi.URLParam(r, "name")]
	if !ok {
		c.renderError(w, r, controlapi.Errorf(controlapi.CodeNotFound, "the console has no action %q", chi.URLParam(r, "name")))
		return
	}
	next, err := a.do(c, r)
	if err != nil {
		c.renderError(w, r, err)
		return
	}
	if back := safeBack(r.PostFormValue("back")); back != "" {
		next = back
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// formInt reads an optional whole number from a form.
func formInt(r *http.Request, field string) (int, error) {
	s := strings.TrimSpace(r.PostFormValue(field))
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, controlapi.Errorf(controlapi.CodeInvalid, "%s must be a whole number, not %q", field, s)
	}
	return n, nil
}

func (c *Console) buy(r *http.Request) (string, error) {
	n, err := formInt(r, "periodNumber")
	if err != nil {
		return "", err
	}
	linear, err := formInt(r, "linearValue")
	if err != nil {
		return "", err
	}
	req := controlapi.BuyRequest{
		ChargingMode: koomock.ChargingMode(r.PostFormValue("chargingMode")),
		ProductID:    r.PostFormValue("productId"),
		TestFlag:     r.PostFormValue("testFlag"),
		Trial:        r.PostFormValue("trial") == "1",
		LinearValue:  linear,
	}
	if req.ChargingMode == "" || req.ChargingMode == koomock.ChargingPeriod {
		// The form always shows the period fields; they only mean something for periodic orders.
		req.PeriodType, req.PeriodNumber = koomock.PeriodType(r.PostFormValue("periodType")), n
	}
	p, err := c.cfg.API.Buy(r.Context(), req)
	if err != nil {
		return "", err
	}
	return orderPath(p.Order.ID), nil
}

func (c *Console) resend(r *http.Request) (string, error) {
	id := r.PostFormValue("orderId")
	if id == "" {
		return "", controlapi.Errorf(controlapi.CodeInvalid, "name the order to resend")
	}
	p, err := c.cfg.API.Resend(r.Context(), id)
	if err != nil {
		return "", err
	}
	return orderPath(p.Order.ID), nil
}

func (c *Console) probe(r *http.Request) (string, error) {
	probe := formProbe(r)
	e, err := c.cfg.API.Probe(r.Context(), controlapi.ProbeRequest{Activity: protocol.Activity(r.PostFormValue("activity")), Probe: probe})
	if err != nil {
		return "", err
	}
	return exchangePath(e.ID), nil
}

func (c *Console) replay(r *http.Request) (string, error) {
	id, err := formID(r, "exchangeId")
	if err != nil {
		return "", err
	}
	e, err := c.cfg.API.Replay(r.Context(), id)
	if err != nil {
		return "", err
	}
	return exchangePath(e.ID), nil
}

// formProbe reads a probe's name from a form: a missing-field probe names its field in a second input.
func formProbe(r *http.Request) string {
	probe := r.PostFormValue("probe")
	if probe == string(controlapi.MissingField("")) {
		probe += strings.TrimSpace(r.PostFormValue("field"))
	}
	return probe
}

// formID reads a required record ID from a form.
func formID(r *http.Request, field string) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(r.PostFormValue(field)), 10, 64)
	if err != nil || n < 1 {
		return 0, controlapi.Errorf(controlapi.CodeInvalid, "%s must be an ID, not %q", field, r.PostFormValue(field))
	}
	return n, nil
}

func (c *Console) setClock(r *http.Request) (string, error) {
	req := controlapi.ClockRequest{Mode: r.PostFormValue("mode")}
	if s := strings.TrimSpace(r.PostFormValue("now")); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return "", controlapi.Errorf(controlapi.CodeInvalid, "the time must look like 2026-11-27T08:00:00Z, not %q", s)
		}
		req.Now = t
	}
	if _, err := c.cfg.API.SetClock(r.Context(), req); err != nil {
		return "", err
	}
	return Prefix + "/clock", nil
}

func (c *Console) advance(r *http.Request) (string, error) {
	if _, err := c.cfg.API.Advance(r.Context(), strings.TrimSpace(r.PostFormValue("by"))); err != nil {
		return "", err
	}
	return Prefix + "/clock", nil
}

func orderPath(id string) string { return Prefix + "/orders/" + url.PathEscape(id) }

func exchangePath(id int64) string { return fmt.Sprintf("%s/journal/%d", Prefix, id) }

func (c *Console) setFault(r *http.Request) (string, error) {
	n, err := formInt(r, "remaining")
	if err != nil {
		return "", err
	}
	_, err = c.cfg.API.SetFault(r.Context(), koomock.Fault{
		Name: r.PostFormValue("name"), Target: r.PostFormValue("target"),
		Value: strings.TrimSpace(r.PostFormValue("value")), Remaining: n,
	})
	return Prefix + "/faults", err
}

func (c *Console) clearFault(r *http.Request) (string, error) {
	id, err := formID(r, "id")
	if err != nil {
		return "", err
	}
	return Prefix + "/faults", c.cfg.API.ClearFault(r.Context(), id)
}

func (c *Console) clearFaults(r *http.Request) (string, error) {
	return Prefix + "/faults", c.cfg.API.ClearFault(r.Context(), 0)
}
