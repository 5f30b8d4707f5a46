package console

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
)

// maxSent bounds the exchanges a change's page lists from its "sent" parameter: a change sends at
// most a handful (authSync splits 500 users per call).
const maxSent = 50

// changeResult is the kit syncs a change just sent, named by the action in the page's "sent"
// parameter: the console keeps no state, so the redirect carries their IDs.
type changeResult struct {
	Sent exchangeTable
	// Any says the page came from a change, even one that sent nothing.
	Any bool
}

// tenantsPage is what the tenants page shows.
type tenantsPage struct {
	Tenants []koomock.Tenant
	Change  changeResult
}

// tenants lists the tenants, the form that creates one, and the syncs of the last change.
func (c *Console) tenants(r *http.Request) (any, error) {
	list, err := c.cfg.API.Tenants(r.Context())
	if err != nil {
		return nil, err
	}
	change, err := c.sentExchanges(r)
	return tenantsPage{Tenants: list, Change: change}, err
}

// orgNode is a department with its sub-departments, for the tree.
type orgNode struct {
	koomock.Org
	Children []*orgNode
	// Label is its name indented by its depth, for the department selects.
	Label string
}

// tenantPage is what a tenant's page shows.
type tenantPage struct {
	controlapi.TenantState
	// Tree is the departments as a tree; a department whose parent is missing is shown as a root.
	Tree []*orgNode
	// Flat is the tree in display order, for the department selects.
	Flat   []*orgNode
	Change changeResult
	// History is the tenant's exchanges among the journal's newest ones: its kit syncs and logins.
	History exchangeTable
	// Password is a fresh suggestion for the authorise form, so the person knows the password the
	// new user logs in with.
	Password string
	// Roles and EmployeeTypes fill the user forms' selects.
	Roles         []string
	EmployeeTypes []employeeType
}

// employeeType is one choice of authSync's employeeType.
type employeeType struct {
	Value int
	Label string
}

var employeeTypes = []employeeType{{0, "not given"}, {1, "formal"}, {2, "intern"}, {3, "dispatch"}, {4, "outsourced"}}

// tenant shows a tenant: its app, its departments as a tree, its users, the syncs of the last
// change, and its recent exchanges.
func (c *Console) tenant(r *http.Request) (any, error) {
	ctx := r.Context()
	id := chi.URLParam(r, "tenantID")
	st, err := c.cfg.API.Tenant(ctx, id)
	if err != nil {
		return nil, err
	}
	p := tenantPage{TenantState: st, Password: c.cfg.IDs.Token(10), Roles: []string{"user", "admin"}, EmployeeTypes: employeeTypes}
	p.Tree, p.Flat = orgTree(st.Orgs)
	if p.Change, err = c.sentExchanges(r); err != nil {
		return nil, err
	}
	mine, err := c.cfg.API.Exchanges(ctx, koomock.ExchangeFilter{TenantID: id, Limit: journalPageSize})
	if err != nil {
		return nil, err
	}
	p.History = exchangeTable{Rows: mine, Empty: "tenant.noExchange"}
	return p, nil
}

// orgTree arranges departments by parent, siblings in code order, and lists them depth-first.
func orgTree(orgs []koomock.Org) (roots, flat []*orgNode) {
	nodes := map[string]*orgNode{}
	for _, o := range orgs {
		nodes[o.Code] = &orgNode{Org: o}
	}
	codes := make([]string, 0, len(orgs))
	for _, o := range orgs {
		codes = append(codes, o.Code)
	}
	slices.Sort(codes)
	for _, code := range codes {
		n := nodes[code]
		if parent, ok := nodes[n.ParentCode]; ok && n.ParentCode != n.Code {
			parent.Children = append(parent.Children, n)
		} else {
			roots = append(roots, n)
		}
	}
	// seen guards against a cycle in the stored parents, which would otherwise recurse forever.
	seen := map[string]bool{}
	var walk func(list []*orgNode, depth int)
	walk = func(list []*orgNode, depth int) {
		for _, n := range list {
			if seen[n.Code] {
				continue
			}
			seen[n.Code] = true
			n.Label = strings.Repeat("— ", depth) + n.Name + " (" + n.Code + ")"
			flat = append(flat, n)
			walk(n.Children, depth+1)
		}
	}
	walk(roots, 0)
	return roots, flat
}

// sentExchanges loads the exchanges named in the "sent" parameter.
func (c *Console) sentExchanges(r *http.Request) (changeResult, error) {
	raw, ok := r.URL.Query()["sent"]
	if !ok {
		return changeResult{}, nil
	}
	var ids []string
	if s := strings.TrimSpace(strings.Join(raw, ",")); s != "" {
		ids = strings.Split(s, ",")
	}
	if len(ids) > maxSent {
		ids = ids[:maxSent]
	}
	res := changeResult{Any: true}
	for _, s := range ids {
		id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil || id < 1 {
			return res, controlapi.Errorf(controlapi.CodeInvalid, "sent must list exchange IDs, not %q", s)
		}
		e, err := c.cfg.API.Exchange(r.Context(), id)
		if err != nil {
			return res, err
		}
		res.Sent.Rows = append(res.Sent.Rows, *e)
	}
	res.Sent.Empty = "tenant.sentNothing"
	return res, nil
}

// tenantPath is the tenants page, or a tenant's page when id is set.
func tenantPath(id string) string {
	if id == "" {
		return Prefix + "/tenants"
	}
	return Prefix + "/tenants/" + url.PathEscape(id)
}

// changedPath is a tenant's page (or the tenants page) listing the exchanges a change sent.
func changedPath(id string, sent []*koomock.Exchange) string {
	ids := make([]string, 0, len(sent))
	for _, e := range sent {
		if e != nil {
			ids = append(ids, strconv.FormatInt(e.ID, 10))
		}
	}
	return tenantPath(id) + "?" + url.Values{"sent": {strings.Join(ids, ",")}}.Encode()
}
