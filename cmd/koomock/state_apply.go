package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/mock"
)

// errStateNotEmpty says the database had data of its own, so the state was not loaded.
type errStateNotEmpty struct{ file, db string }

func (e errStateNotEmpty) Error() string {
	return fmt.Sprintf("--state %s not loaded: the database %s already has orders, tenants or license codes of its own, and a state is loaded only into an empty one (a new --db, --db :memory:, or POST /_mock/reset and a restart)", e.file, e.db)
}

// applyState loads a validated state into a running koomock through its own control API, over
// HTTP as any client would: each entry is the operation a user would call, so the seller gets the
// callbacks (newInstance, tenantSync, authSync) a real start would have sent it. A database that
// has data of its own is left alone (errStateNotEmpty): a state is where a fresh koomock starts, not
// something to merge into a team's ongoing work, and loading it again after a restart would buy
// every order twice. On any other error the database is reset, so nothing is left half-applied.
// It returns the banner's line.
func applyState(ctx context.Context, srv *mock.Server, token, db string, st *loadedState) (string, error) {
	api := &controlapi.Client{BaseURL: srv.URL(), Token: token}
	empty, err := emptyDatabase(ctx, api)
	if err != nil {
		return "", fmt.Errorf("--state %s: %w", st.file, err)
	}
	if !empty {
		return "", errStateNotEmpty{file: st.file, db: db}
	}
	if err := st.apply(ctx, api); err != nil {
		if _, rerr := api.Reset(ctx); rerr != nil {
			return "", fmt.Errorf("%w (and the reset that would undo it failed too: %v)", err, rerr)
		}
		return "", err
	}
	s := st.state
	return fmt.Sprintf("  state            %s: %d orders, %d tenants, %d license batches", st.file, len(s.Orders), len(s.Tenants), len(s.LicenseCodes)), nil
}

// emptyDatabase reports whether koomock holds only what every fresh start has: no orders, and only
// the demo tenant and the demo license codes.
func emptyDatabase(ctx context.Context, api *controlapi.Client) (bool, error) {
	orders, err := api.Orders(ctx, 1)
	if err != nil || len(orders) > 0 {
		return false, err
	}
	tenants, err := api.Tenants(ctx)
	if err != nil {
		return false, err
	}
	for _, t := range tenants {
		if t.ID != fixtures.DemoTenantID {
			return false, nil
		}
	}
	codes, err := api.LicenseCodeList(ctx)
	if err != nil {
		return false, err
	}
	for _, c := range codes {
		if !slices.Contains(fixtures.DemoLicenseCodes, c.Code) {
			return false, nil
		}
	}
	return true, nil
}

// apply makes the state's calls in the file's order: the clock, the orders, the tenants (which may
// name an order), the license codes. The first failure stops it, naming the entry.
func (st *loadedState) apply(ctx context.Context, api *controlapi.Client) error {
	if !st.clock.IsZero() {
		if _, err := api.SetClock(ctx, controlapi.ClockRequest{Mode: "virtual", Now: st.clock}); err != nil {
			return st.at("clock", "%v", err)
		}
	}
	bought := map[string]controlapi.Purchase{}
	for i, o := range st.state.Orders {
		field := fmt.Sprintf("orders[%d]", i)
		req := controlapi.BuyRequest{
			ChargingMode: koomock.ChargingMode(o.ChargingMode), ProductID: o.ProductID,
			PeriodType: koomock.PeriodType(o.PeriodType), PeriodNumber: o.PeriodNumber,
			Trial: o.Trial, TestFlag: o.TestFlag, LinearValue: o.LinearValue,
		}
		for _, p := range o.ExtendParams {
			req.ExtendParams = append(req.ExtendParams, koomock.Param{Key: p.Key, Value: p.Value})
		}
		p, err := api.Buy(ctx, req)
		if err != nil {
			return st.at(field, "buy: %v", err)
		}
		if p.Instance == nil {
			return st.at(field, "the seller created no instance for order %s: %s", p.Order.ID, exchangeProblem(p.Exchange))
		}
		if o.Name != "" {
			bought[o.Name] = p
		}
	}
	for i, t := range st.state.Tenants {
		field := fmt.Sprintf("tenants[%d]", i)
		req := controlapi.TenantRequest{TenantID: t.TenantID, TenantCode: t.TenantCode, Name: t.Name, TestFlag: t.TestFlag}
		for _, o := range t.Orgs {
			req.Orgs = append(req.Orgs, koomock.Org{Code: o.OrgCode, Name: o.OrgName, ParentCode: o.ParentCode})
		}
		if p, ok := bought[t.Order]; ok {
			req.OrderID, req.InstanceID = p.Order.ID, p.Instance.ID
		}
		r, err := api.CreateTenant(ctx, req)
		if err != nil {
			return st.at(field, "create the tenant: %v", err)
		}
		if len(t.Users) == 0 {
			continue
		}
		users := make([]koomock.User, 0, len(t.Users))
		for _, u := range t.Users {
			users = append(users, koomock.User{
				ID: u.ID, UserName: u.UserName, Name: u.Name, OrgCode: u.OrgCode, Role: u.Role, Disabled: u.Disabled,
				Position: u.Position, EmployeeCode: u.EmployeeCode, EmployeeType: u.EmployeeType, Mobile: u.Mobile,
				Email: u.Email, WorkPlace: u.WorkPlace, EntryDate: u.EntryDate, Password: u.Password,
			})
		}
		if _, err := api.AuthorizeUsers(ctx, r.Tenant.ID, users); err != nil {
			return st.at(field+".users", "authorise the users: %v", err)
		}
	}
	for i, l := range st.state.LicenseCodes {
		field := fmt.Sprintf("licenseCodes[%d]", i)
		var err error
		if l.Test {
			_, err = api.TestCodes(ctx, controlapi.TestCodesRequest{Count: l.Count, Validity: l.Validity, Amount: l.Amount})
		} else {
			_, err = api.BuyLicense(ctx, controlapi.LicensePurchase{PeriodType: koomock.PeriodType(l.PeriodType), PeriodNumber: l.PeriodNumber,
				Amount: l.Amount, Count: l.Count, NotReceived: l.NotReceived})
		}
		if err != nil {
			return st.at(field, "issue the codes: %v", err)
		}
	}
	return nil
}

// exchangeProblem says in a few words why a callback gave no instance.
func exchangeProblem(e *koomock.Exchange) string {
	switch {
	case e == nil:
		return "no callback was sent"
	case e.Error != "":
		return e.Error
	}
	for _, v := range e.Verdicts {
		if v.Outcome == koomock.Fail {
			return v.Message
		}
	}
	return "see GET /_mock/exchanges"
}

// loadStateAtStart applies --state to a server that has just started, reporting as serve does:
// a database with data of its own is a note on stderr, and serve goes on; any other failure is an
// error (exit 2). It returns the banner's lines.
func loadStateAtStart(ctx context.Context, stderr io.Writer, srv *mock.Server, token, db string, st *loadedState) ([]string, error) {
	if st == nil {
		return nil, nil
	}
	line, err := applyState(ctx, srv, token, db, st)
	if notEmpty := (errStateNotEmpty{}); errors.As(err, &notEmpty) {
		fmt.Fprintf(stderr, "koomock serve: %v\n", err)
		return []string{"  state            " + st.file + ": not loaded, the database is not empty"}, nil
	}
	if err != nil {
		return nil, err
	}
	return []string{line}, nil
}
