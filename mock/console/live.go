package console

import (
	"bytes"
	"context"
	"html/template"
	"net/http"
	"slices"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/mock/feed"
)

// handleJournalEvents streams new journal entries matching the page's filters, each as a table row
// rendered by the same template as the page's rows, after the exchange named by ?after. The control
// API's twin is GET /_mock/events, which streams the same feed as JSON.
func (c *Console) handleJournalEvents(w http.ResponseWriter, r *http.Request) {
	q, err := controlapi.ParseFilter(r.URL.Query())
	if err != nil {
		c.renderError(w, r, err)
		return
	}
	rows, err := c.rows.Clone()
	if err != nil {
		c.renderError(w, r, err)
		return
	}
	rows.Funcs(languageFuncs(lang(r)))
	feed.Stream{
		Feed:  c.cfg.Feed,
		Since: q.AfterID,
		Match: q.Matches,
		Missed: func(ctx context.Context, after int64) ([]koomock.Exchange, error) {
			page := q
			page.AfterID, page.BeforeID, page.Limit = after, 0, controlapi.MaxExchanges
			list, err := c.cfg.API.Exchanges(ctx, page)
			slices.Reverse(list)
			return list, err
		},
		Encode: func(e *koomock.Exchange) ([]byte, error) { return renderRow(rows, e) },
		Logger: c.cfg.Logger,
	}.ServeHTTP(w, r)
}

// renderRow renders one journal row, as the live journal sends it, with rows in the reader's language.
func renderRow(rows *template.Template, e *koomock.Exchange) ([]byte, error) {
	var b bytes.Buffer
	err := rows.ExecuteTemplate(&b, "exchange-row", *e)
	return b.Bytes(), err
}
