package console

import (
	"cmp"
	"net/http"
	"slices"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/protocol"
)

// recentExchanges is how many exchanges the overview shows.
const recentExchanges = 10

// areaShown is how many of an area's newest exchanges its health sums up.
const areaShown = 5

// overviewPage is what the overview shows.
type overviewPage struct {
	Settings controlapi.Settings
	// Revealed is set when the person asked to see the secrets in clear.
	Revealed bool
	Clock    controlapi.ClockState
	Recent   exchangeTable
	// Failed counts the recent exchanges with a failed verdict.
	Failed int
	// Areas is the health of each kind of exchange.
	Areas []areaHealth
	// OAuth are the demo tenant's identity-provider endpoints, "" when joint operation is off.
	OAuth oauthEndpoints
}

// oauthEndpoints are the URLs a login integration is configured with, on the demo tenant's domain.
type oauthEndpoints struct {
	Authorize, Token, Userinfo, Logout, CASLogin, CASValidate string
}

// area is one kind of exchange the overview sums up: the activities it names in the journal.
type area struct {
	// name is the area's name in the page's markup; title its heading, a catalog key.
	name, title string
	activities  []protocol.Activity
	// empty says what to do to see one, a catalog key.
	empty string
}

// areas are the kinds of exchange, one per product kind a seller integrates. The login activities
// are the journal names mock/idp records its routes under; the license ones the gateway's and the
// license callbacks'.
var areas = []area{
	{name: "SaaS callbacks", title: "overview.area.saas", empty: "overview.area.saasEmpty", activities: protocol.SaaSActivities},
	{name: "Kit syncs", title: "overview.area.kit", activities: protocol.KitSyncs, empty: "overview.area.kitEmpty"},
	{name: "Login (OAuth, CAS)", title: "overview.area.login", empty: "overview.area.loginEmpty", activities: protocol.LoginActivities},
	{name: "License", title: "overview.area.license", empty: "overview.area.licenseEmpty", activities: append([]protocol.Activity{
		protocol.LicenseAPIActivate, protocol.LicenseAPIHeartbeat, protocol.LicenseAPIUsage}, protocol.LicenseCallbacks...)},
}

// areaHealth is how an area's newest exchanges went.
type areaHealth struct {
	// Name names it in the markup; Title and Empty are catalog keys: its heading, and what to do to see one.
	Name, Title, Empty string
	// Last are its newest exchanges, newest first.
	Last []koomock.Exchange
	// Failed and Warned count them by outcome.
	Failed, Warned int
}

// Outcome sums the area up: fail if one of its newest exchanges failed, warn if one warned.
func (a areaHealth) Outcome() koomock.Outcome {
	switch {
	case a.Failed > 0:
		return koomock.Fail
	case a.Warned > 0:
		return koomock.Warn
	}
	return koomock.Pass
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
	if j := p.Settings.Joint; j != nil {
		api := j.DemoDomain + "/api/v1"
		p.OAuth = oauthEndpoints{Authorize: api + "/oauth2/authorize", Token: api + "/oauth2/token", Userinfo: api + "/oauth2/userinfo",
			Logout: api + "/logout", CASLogin: api + "/cas/login", CASValidate: api + "/cas/p3/serviceValidate"}
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
	p.Recent = liveTable(recent, koomock.ExchangeFilter{}, "overview.nothingYet")
	for _, a := range areas {
		h, err := c.areaHealth(r, a)
		if err != nil {
			return nil, err
		}
		p.Areas = append(p.Areas, h)
	}
	return p, nil
}

// areaHealth reads an area's newest exchanges: the journal filters one activity at a time, so it
// takes the newest of each and keeps the newest of all.
func (c *Console) areaHealth(r *http.Request, a area) (areaHealth, error) {
	h := areaHealth{Name: a.name, Title: a.title, Empty: a.empty}
	for _, activity := range a.activities {
		list, err := c.cfg.API.Exchanges(r.Context(), koomock.ExchangeFilter{Activity: activity, Limit: areaShown})
		if err != nil {
			return h, err
		}
		h.Last = append(h.Last, list...)
	}
	slices.SortFunc(h.Last, func(x, y koomock.Exchange) int { return cmp.Compare(y.ID, x.ID) })
	h.Last = h.Last[:min(len(h.Last), areaShown)]
	for _, e := range h.Last {
		switch outcome(e) {
		case koomock.Fail:
			h.Failed++
		case koomock.Warn:
			h.Warned++
		}
	}
	return h, nil
}
