package console

import (
	"net/http"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
)

// recentExchanges is how many exchanges the overview shows.
const recentExchanges = 10

// overviewPage is what the overview shows.
type overviewPage struct {
	Settings controlapi.Settings
	// Revealed is set when the person asked to see the secrets in clear.
	Revealed bool
	Clock    controlapi.ClockState
	Recent   exchangeTable
	// Failed counts the recent exchanges with a failed verdict.
	Failed int
}

// overview shows the effective settings, what to paste into the seller's configuration, and the health
// of the last exchanges.
func (c *Console) overview(r *http.Request) (any, error) {
	ctx := r.Context()
	p := overviewPage{Revealed: r.URL.Query().Get("reveal") == "true"}
	settings := c.cfg.API.Settings
	if p.Revealed {
		settings = c.cfg.API.RevealSettings
	}
	var err error
	if p.Settings, err = settings(ctx); err != nil {
		return nil, err
	}
	if p.Clock, err = c.cfg.API.Clock(ctx); err != nil {
		return nil, err
	}
	recent, err := c.cfg.API.Exchanges(ctx, koomock.ExchangeFilter{Limit: recentExchanges})
	if err != nil {
		return nil, err
	}
	for _, e := range recent {
		if outcome(e) == koomock.Fail {
			p.Failed++
		}
	}
	p.Recent = liveTable(recent, koomock.ExchangeFilter{}, "Nothing yet: buy a product on the Orders page.")
	return p, nil
}
