package console

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/protocol"
)

// licenseHeartbeatsShown is how many heartbeats a code's page lists; the journal below has them all.
const licenseHeartbeatsShown = 20

// licenseProbeActivities are the license callbacks a probe may be sent as.
var licenseProbeActivities = []string{
	string(protocol.RefreshLicenseCode), string(protocol.UpdateLicenseCodeStatus), string(protocol.ReleaseLicenseCode),
}

// licenseRow is one code as the list shows it.
type licenseRow struct {
	koomock.LicenseCode
	// LastHeartbeat is when the journal last recorded a heartbeat about the code; zero when none is
	// tied to it (a v2 heartbeat about several codes is tied to its first code only).
	LastHeartbeat time.Time
	// New marks a code the action that led here just made.
	New bool
}

// licensesPage is what the license codes page shows.
type licensesPage struct {
	Codes      []licenseRow
	Activities []string
}

// licenses shows the forms that make codes, a probe form and every code with what the seller's
// software did with it.
func (c *Console) licenses(r *http.Request) (any, error) {
	codes, err := c.cfg.API.LicenseCodeList(r.Context())
	if err != nil {
		return nil, err
	}
	fresh := r.URL.Query()["new"]
	p := licensesPage{Activities: licenseProbeActivities}
	for _, code := range codes {
		row := licenseRow{LicenseCode: code, New: slices.Contains(fresh, code.Code)}
		if code.HeartbeatSeen {
			// Heartbeats are not stored on the code (they are the hottest path); the journal has them.
			beats, err := c.cfg.API.Exchanges(r.Context(), koomock.ExchangeFilter{Direction: koomock.Inbound,
				Activity: protocol.LicenseAPIHeartbeat, InstanceID: code.Code, Limit: 1})
			if err != nil {
				return nil, err
			}
			if len(beats) > 0 {
				row.LastHeartbeat = beats[0].StartedAt
			}
		}
		p.Codes = append(p.Codes, row)
	}
	return p, nil
}

// licensePage is what a code's page shows.
type licensePage struct {
	controlapi.LicenseCodeDetail
	// HeartbeatCount is how many heartbeats there are; Heartbeats holds the newest of them.
	HeartbeatCount int
	// Exchanges are the journal's exchanges about the code: the callbacks sent for it and the calls
	// of the seller's software naming it.
	Exchanges exchangeTable
}

// license shows one code, its history, its latest heartbeats, the lifecycle steps that apply to it and
// every exchange about it, live.
func (c *Console) license(r *http.Request) (any, error) {
	code := chi.URLParam(r, "code")
	d, err := c.cfg.API.LicenseCode(r.Context(), code)
	if err != nil {
		return nil, err
	}
	p := licensePage{LicenseCodeDetail: d, HeartbeatCount: len(d.Heartbeats)}
	if len(p.Heartbeats) > licenseHeartbeatsShown {
		p.Heartbeats = p.Heartbeats[:licenseHeartbeatsShown]
	}
	q := koomock.ExchangeFilter{InstanceID: code}
	rows, err := c.cfg.API.Exchanges(r.Context(), q)
	if err != nil {
		return nil, err
	}
	p.Exchanges = liveTable(rows, q, "license.noExchange")
	return p, nil
}

func licensePath(code string) string { return Prefix + "/licenses/" + url.PathEscape(code) }

// licensesPath is the list with the codes just made marked.
func licensesPath(codes []koomock.LicenseCode) string {
	v := url.Values{}
	for _, c := range codes {
		v.Add("new", c.Code)
	}
	if len(v) == 0 {
		return Prefix + "/licenses"
	}
	return Prefix + "/licenses?" + v.Encode()
}

func (c *Console) licenseTestCodes(r *http.Request) (string, error) {
	count, err := formInt(r, "count")
	if err != nil {
		return "", err
	}
	amount, err := formInt(r, "amount")
	if err != nil {
		return "", err
	}
	out, err := c.cfg.API.TestCodes(r.Context(), controlapi.TestCodesRequest{
		Count: count, Amount: amount, Validity: strings.TrimSpace(r.PostFormValue("validity"))})
	if err != nil {
		return "", err
	}
	return licensesPath(out.Codes), nil
}

func (c *Console) licenseBuy(r *http.Request) (string, error) {
	req := controlapi.LicensePurchase{PeriodType: koomock.PeriodType(r.PostFormValue("periodType")),
		NotReceived: r.PostFormValue("notReceived") != ""}
	var err error
	for _, f := range []struct {
		name string
		n    *int
	}{{"periodNumber", &req.PeriodNumber}, {"count", &req.Count}, {"amount", &req.Amount}} {
		if *f.n, err = formInt(r, f.name); err != nil {
			return "", err
		}
	}
	out, err := c.cfg.API.BuyLicense(r.Context(), req)
	if err != nil {
		return "", err
	}
	return licensesPath(out.Codes), nil
}

// licenseStep runs one lifecycle step on a code; the control API names the steps and refuses the
// ones that do not apply.
func (c *Console) licenseStep(r *http.Request) (string, error) {
	code, step := strings.TrimSpace(r.PostFormValue("code")), r.PostFormValue("step")
	if code == "" || step == "" {
		return "", controlapi.Errorf(controlapi.CodeInvalid, "name the code and the step")
	}
	var req any
	if controlapi.LicenseAction(step) == controlapi.LicenseRenew {
		n, err := formInt(r, "periodNumber")
		if err != nil {
			return "", err
		}
		req = controlapi.LicenseRenewal{PeriodType: koomock.PeriodType(r.PostFormValue("periodType")), PeriodNumber: n}
	}
	if _, err := c.cfg.API.LicenseAction(r.Context(), code, controlapi.LicenseAction(step), req); err != nil {
		return "", err
	}
	return licensePath(code), nil
}

func (c *Console) licenseProbe(r *http.Request) (string, error) {
	probe := formProbe(r)
	e, err := c.cfg.API.LicenseProbe(r.Context(), controlapi.LicenseProbe{Activity: protocol.Activity(r.PostFormValue("activity")), Probe: probe})
	if err != nil {
		return "", err
	}
	return exchangePath(e.ID), nil
}
