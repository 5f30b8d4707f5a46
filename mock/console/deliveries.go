package console

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
)

// deliveriesShown is how many deliveries the deliveries page lists per status.
const deliveriesShown = 100

// Filters of the deliveries page besides the statuses themselves.
const (
	// deliveriesOpen, the default, is what still needs the seller's attention: pending, retrying and
	// failed deliveries.
	deliveriesOpen = ""
	deliveriesAll  = "all"
)

// openStatuses are the statuses deliveriesOpen shows.
var openStatuses = []koomock.DeliveryStatus{koomock.DeliveryPending, koomock.DeliveryRetrying, koomock.DeliveryFailed}

// deliveriesPage is what the deliveries page shows.
type deliveriesPage struct {
	// Status is the filter: deliveriesOpen, deliveriesAll or one status.
	Status     string
	Deliveries []koomock.Delivery
	Result     *actionResult
}

// deliveries lists the callbacks KooGallery owes the seller, with their attempts: by default those
// still being retried or given up on, which a seller re-sends once their service is fixed.
func (c *Console) deliveries(r *http.Request) (any, error) {
	p := deliveriesPage{Status: r.URL.Query().Get("status")}
	var statuses []koomock.DeliveryStatus
	switch p.Status {
	case deliveriesOpen:
		statuses = openStatuses
	case deliveriesAll:
		statuses = []koomock.DeliveryStatus{""}
	default:
		statuses = []koomock.DeliveryStatus{koomock.DeliveryStatus(p.Status)}
	}
	for _, s := range statuses {
		list, err := c.cfg.API.Deliveries(r.Context(), controlapi.DeliveryQuery{Status: s, Limit: deliveriesShown})
		if err != nil {
			return nil, err
		}
		p.Deliveries = append(p.Deliveries, list...)
	}
	slices.SortFunc(p.Deliveries, func(a, b koomock.Delivery) int { return cmp.Compare(b.ID, a.ID) })
	var err error
	p.Result, err = c.actionResult(r)
	return p, err
}

// deliveriesPath is the deliveries page with a status filter.
func deliveriesPath(status string) string {
	if status == deliveriesOpen {
		return Prefix + "/deliveries"
	}
	return Prefix + "/deliveries?" + url.Values{"status": {status}}.Encode()
}
