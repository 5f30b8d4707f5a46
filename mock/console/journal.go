package console

import (
	"errors"
	"net/http"
	"slices"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/protocol"
)

// journalPageSize is how many exchanges one page of the journal shows.
const journalPageSize = 50

// journalPage is what the journal shows.
type journalPage struct {
	Query koomock.ExchangeFilter
	Table exchangeTable
	// Older links to the next page of older exchanges; "" on the last page.
	Older string
	// Newest links back to the first page when this one is an older page.
	Newest string
	// Activities are suggestions for the activity filter.
	Activities []protocol.Activity
}

// knownActivities suggests activity names in the filter, every area's (the overview's list) and the
// open APIs a seller's service calls; the field accepts any name.
var knownActivities = func() []protocol.Activity {
	var out []protocol.Activity
	for _, a := range areas {
		out = append(out, a.activities...)
	}
	return append(out, protocol.SaaSAPIOrderQuery, protocol.SaaSAPIUsagePush, protocol.SaaSAPIUsagePushOld)
}()

// journal shows every exchange, newest first, filtered by direction, activity, verdict, order and
// instance. The first page grows live; older pages stay as they are.
func (c *Console) journal(r *http.Request) (any, error) {
	q, err := controlapi.ParseFilter(r.URL.Query())
	if err != nil {
		return nil, err
	}
	q.Limit = journalPageSize
	rows, err := c.cfg.API.Exchanges(r.Context(), q)
	if err != nil {
		return nil, err
	}
	p := journalPage{Query: q, Activities: knownActivities}
	if q.BeforeID == 0 {
		p.Table = liveTable(rows, q, "journal.noMatch")
	} else {
		p.Table = exchangeTable{Rows: rows, Empty: "journal.noOlderMatch"}
		first := q
		first.BeforeID, first.Limit = 0, 0
		p.Newest = Prefix + "/journal?" + controlapi.FilterValues(first).Encode()
	}
	if len(rows) == journalPageSize {
		older := q
		older.BeforeID, older.Limit = rows[len(rows)-1].ID, 0
		p.Older = Prefix + "/journal?" + controlapi.FilterValues(older).Encode()
	}
	return p, nil
}

// exchangePage is what an exchange's page shows.
type exchangePage struct {
	E koomock.Exchange
	// Curl re-sends the exchange, signed afresh when the page was made; CurlNote says why there is none.
	Curl, CurlNote string
	// CanResend offers to send newInstance for the exchange's order again.
	CanResend bool
	// CanSave offers to save the exchange as a debug case: a passing SaaS callback, not a probe.
	CanSave bool
}

// exchange shows one exchange: the signed request, how it was signed, the answer, every verdict and a
// curl command that reproduces it.
func (c *Console) exchange(r *http.Request) (any, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		return nil, controlapi.Errorf(controlapi.CodeInvalid, "exchange ID must be a number")
	}
	e, err := c.cfg.API.Exchange(r.Context(), id)
	if err != nil {
		return nil, err
	}
	p := exchangePage{E: *e,
		CanResend: e.Activity == protocol.NewInstance && e.OrderID != "" && e.Probe == "",
		CanSave: e.Direction == koomock.Outbound && e.Probe == "" && !e.Failed() &&
			slices.Contains(protocol.SaaSActivities, protocol.Activity(e.Activity))}
	p.Curl, err = c.cfg.API.Reproduce(r.Context(), id)
	var apiErr *controlapi.Error
	if errors.As(err, &apiErr) && apiErr.Code == controlapi.CodeConflict {
		p.CurlNote, err = apiErr.Message, nil
	}
	return p, err
}
