package console

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
)

// instancesPage is what the instances page shows.
type instancesPage struct {
	Instances []koomock.Instance
}

// instances lists the instances, newest first.
func (c *Console) instances(r *http.Request) (any, error) {
	list, err := c.cfg.API.Instances(r.Context())
	return instancesPage{Instances: list}, err
}

// instancePage is what an instance's page shows.
type instancePage struct {
	controlapi.InstanceDetail
	// Product is the instance's product as the catalog names it; Others are the other products of its
	// charging mode, which an upgrade or a renewal change may move it to.
	Product controlapi.Product
	Others  []controlapi.Product
	Now     time.Time
	Offer   offers
	// Result is what the action just performed did, when the page follows one.
	Result  *actionResult
	History exchangeTable
}

// offers are the lifecycle actions that make sense in the instance's state. The control API has the
// final word: a button shown here may still be refused, and the refusal is shown with its message.
type offers struct {
	Renew, Convert, CancelRenewal, RenewalChange, ChangeCheck, Upgrade bool
	Freeze, Unfreeze, Expire, Release, ReleaseAgain, Unsubscribe       bool
	// Query is offered while the seller should know the instance: not once it was released or never
	// delivered, when "instance is invalid" is the right answer and koomock's check would fail it.
	Query bool
}

// instance shows an instance's state, the orders and callbacks about it, the actions its state allows
// and every exchange about it, live.
func (c *Console) instance(r *http.Request) (any, error) {
	ctx := r.Context()
	d, err := c.cfg.API.Instance(ctx, chi.URLParam(r, "instanceID"))
	if err != nil {
		return nil, err
	}
	p := instancePage{InstanceDetail: d}
	clk, err := c.cfg.API.Clock(ctx)
	if err != nil {
		return nil, err
	}
	p.Now = clk.Now
	products, err := c.cfg.API.Products(ctx)
	if err != nil {
		return nil, err
	}
	for _, pr := range products {
		switch {
		case pr.ProductID == d.Instance.ProductID:
			p.Product = pr
		case pr.ChargingMode == d.Instance.ChargingMode:
			p.Others = append(p.Others, pr)
		}
	}
	p.Offer = offersFor(d, p.Now, len(p.Others) > 0)
	if p.Result, err = c.actionResult(r); err != nil {
		return nil, err
	}
	q := koomock.ExchangeFilter{InstanceID: d.Instance.ID}
	rows, err := c.cfg.API.Exchanges(ctx, q)
	if err != nil {
		return nil, err
	}
	p.History = liveTable(rows, q, "instance.noExchange")
	return p, nil
}

// offersFor decides which actions to offer, following KooGallery's rules as the market applies them:
// a released or never-delivered instance takes nothing but a repeated release; only periodic
// instances renew or expire; a trial converts instead of renewing; only an active one freezes.
func offersFor(d controlapi.InstanceDetail, now time.Time, others bool) offers {
	in := d.Instance
	if in.State == koomock.InstanceReleased {
		return offers{ReleaseAgain: true}
	}
	if in.State == koomock.InstanceFailed {
		return offers{}
	}
	periodic := in.ChargingMode == koomock.ChargingPeriod && !in.ExpireAt.IsZero()
	o := offers{
		Renew:       periodic && !in.Trial,
		Convert:     in.Trial,
		ChangeCheck: others,
		Upgrade:     true,
		Freeze:      in.State == koomock.InstanceActive,
		Unfreeze:    in.State == koomock.InstanceFrozen && (in.ExpireAt.IsZero() || in.ExpireAt.After(now)),
		Expire:      periodic && in.State == koomock.InstanceActive,
		Release:     true,
		Unsubscribe: true,
		Query:       true,
	}
	o.RenewalChange = o.Renew && others
	// Only the latest renewal, whose period has not begun yet, can be refunded.
	for _, ord := range d.Orders {
		if ord.Type == koomock.OrderRenew && ord.Status != koomock.OrderRefunded &&
			ord.ExpireAt.Equal(in.ExpireAt) && ord.PreviousExpireAt.After(now) {
			o.CancelRenewal = true
		}
	}
	return o
}

// actionResult is what an action did, as the page it leads to shows it: the exchanges it caused, with
// their verdicts, and the order it placed.
type actionResult struct {
	// Done names the action; Title is how the page names it, a catalog key ("" for an action koomock
	// has no name for: the page shows Done).
	Done, Title string
	OrderID     string
	Exchanges   []koomock.Exchange
}

// resultTitles name the actions whose results pages show, as catalog keys.
var resultTitles = map[string]string{
	controlapi.ActRenew: "result.renew", controlapi.ActConvert: "result.convert",
	controlapi.ActCancelRenewal: "result.cancelRenewal", controlapi.ActRenewalChange: "result.renewalChange",
	controlapi.ActChangeCheck: "result.changeCheck", controlapi.ActUpgrade: "result.upgrade",
	controlapi.ActFreeze: "result.freeze", controlapi.ActUnfreeze: "result.unfreeze", controlapi.ActExpire: "result.expire",
	controlapi.ActRelease: "result.release", controlapi.ActUnsubscribe: "result.unsubscribe",
	"query": "result.query", "resend-delivery": "result.resendDelivery",
}

// maxResultExchanges bounds the exchanges a result shows; no action causes more than a few.
const maxResultExchanges = 10

// resultPath is the page at path showing what an action did: its name, the order it placed and the
// exchanges it caused, in the URL, so that reloading the page does not repeat the action.
func resultPath(path, done, orderID string, exchanges ...*koomock.Exchange) string {
	v := url.Values{"done": {done}}
	if orderID != "" {
		v.Set("placed", orderID)
	}
	for _, e := range exchanges {
		if e != nil && len(v["x"]) < maxResultExchanges {
			v.Add("x", strconv.FormatInt(e.ID, 10))
		}
	}
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return path + sep + v.Encode()
}

// actionResult reads what resultPath wrote and loads the exchanges; nil when the page follows no
// action.
func (c *Console) actionResult(r *http.Request) (*actionResult, error) {
	q := r.URL.Query()
	if q.Get("done") == "" {
		return nil, nil
	}
	res := &actionResult{Done: q.Get("done"), Title: resultTitles[q.Get("done")], OrderID: q.Get("placed")}
	for _, s := range q["x"] {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id < 1 || len(res.Exchanges) == maxResultExchanges {
			return nil, controlapi.Errorf(controlapi.CodeInvalid, "x must be up to %d exchange IDs", maxResultExchanges)
		}
		e, err := c.cfg.API.Exchange(r.Context(), id)
		if err != nil {
			return nil, err
		}
		res.Exchanges = append(res.Exchanges, *e)
	}
	return res, nil
}

func instancePath(id string) string { return Prefix + "/instances/" + url.PathEscape(id) }
