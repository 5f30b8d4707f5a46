package runner

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/protocol"
)

// joint is a scenario's joint-operation state: its own tenant (so concurrent scenarios share
// nothing), the kit syncs sent, and the browser of its user.
type joint struct {
	tenant   *controlapi.TenantState
	syncs    []*koomock.Exchange
	user     koomock.User
	password string
	login    *loginState
	// workbench is set when the login came from the 开天 workbench (steps_workbench.go).
	workbench *workbenchLaunch
}

// jointOf returns the scenario's joint-operation state, made on first use.
func jointOf(ctx context.Context) *joint {
	s := state(ctx)
	if s.joint == nil {
		s.joint = &joint{}
	}
	return s.joint
}

func kitSteps() StepGroup {
	return StepGroup{
		Name: "Joint-operation kit syncs",
		Doc: "Tenants and their users and departments change in koomock, which sends the kit syncs signed with the kit key " +
			"(x-sign headers); each scenario has its own tenant (spec saas-v2 §2.3, §5). Without --kit-key they skip.",
		Steps: []StepDef{
			{`^a buyer (?:binds|bound) the app to a new enterprise$`,
				"creates a tenant: tenantSync, applicationSync (clientSecret encrypted) and allOrgSync; fails if the seller refuses one",
				"a buyer binds the app to a new enterprise", bindEnterprise},
			{`^the enterprise administrator (?:authorises|authorised) (\d+) users?$`,
				"authorises that many new users (authSync flag 1, at most 500 per call)",
				"the enterprise administrator authorises 501 users", authorise},
			{`^the enterprise administrator (?:authorises|authorised) a user$`,
				"authorises one new user, who can then log in",
				"the enterprise administrator authorised a user", authoriseOne},
			{`^the administrator (modifies|deauthorises|deletes) the user$`,
				"authSync flag 2, 3 or 0 for the scenario's user",
				"the administrator deauthorises the user", changeUser},
			{`^the administrator (adds|renames|deletes) a department$`,
				"singleOrgSync flag 1, 2 or 0 for department 20",
				"the administrator adds a department", changeOrg},
			{`^the enterprise is renamed$`, "tenantSync flag 2", "the enterprise is renamed", renameEnterprise},
			{`^the app's client secret is rotated$`, "applicationSync flag 2 with a new secret", "the app's client secret is rotated", rotateSecret},
			{`^KooGallery sends the tenant's state again$`,
				"sends tenantSync, applicationSync, allOrgSync and authSync of the current state again (kit syncs are never retried)",
				"KooGallery sends the tenant's state again", resync},
			{`^the seller accepts every kit sync$`,
				"every kit sync of the scenario was answered 000000 and broke no rule",
				"the seller accepts every kit sync", acceptsEveryKitSync},
			{`^(\d+) (\w+) calls? (?:was|were) sent$`,
				"koomock sent that many calls of the kit sync in the scenario",
				"2 authSync calls were sent", syncCount},
			{`^KooGallery sends (tenantSync|allOrgSync) with a tampered x-sign$`,
				"sends the kit sync with one character of x-sign changed", "KooGallery sends tenantSync with a tampered x-sign", kitProbe(controlapi.TamperedSignature)},
			{`^KooGallery sends (tenantSync|allOrgSync) without x-sign$`,
				"sends the kit sync without the x-sign header", "KooGallery sends allOrgSync without x-sign", kitProbe(controlapi.MissingSignature)},
			{`^KooGallery sends (tenantSync|allOrgSync) with an x-timestamp 10 minutes old$`,
				"sends the kit sync correctly signed, 10 minutes in the past", "KooGallery sends tenantSync with an x-timestamp 10 minutes old", kitProbe(controlapi.StaleTimestamp)},
			{`^KooGallery sends the kit sync (tenantSync|allOrgSync) without the mandatory field "([^"]+)"$`,
				"sends the kit sync correctly signed, without one mandatory field",
				`KooGallery sends the kit sync tenantSync without the mandatory field "tenantId"`, kitMissingField},
		},
	}
}

func authoriseOne(ctx context.Context) error { return authorise(ctx, 1) }

// needKit skips a scenario when koomock has no kit key: the seller's product has no kit interfaces.
func needKit(ctx context.Context) error {
	st, err := state(ctx).api.Settings(ctx)
	if err != nil {
		return harness(fmt.Errorf("read koomock's settings: %w", err))
	}
	if st.Joint == nil || st.Joint.KitKey == "" {
		return skip(ctx, "needs --kit-key: kit syncs are signed with the access key bound to the kit interfaces")
	}
	return nil
}

func (j *joint) record(s *scenario, list []*koomock.Exchange) {
	j.syncs = append(j.syncs, list...)
	if len(list) > 0 {
		s.last = list[len(list)-1]
	}
}

// kitBroke fails a step with every failed verdict of the syncs sent.
func kitBroke(what string, list []*koomock.Exchange) error {
	for _, e := range list {
		if e.Failed() {
			return broke(what, e)
		}
	}
	return nil
}

func bindEnterprise(ctx context.Context) error {
	if err := needKit(ctx); err != nil {
		return err
	}
	s, j := state(ctx), jointOf(ctx)
	res, err := s.api.CreateTenant(ctx, controlapi.TenantRequest{})
	if err != nil {
		return harness(fmt.Errorf("create a tenant: %w", err))
	}
	j.tenant = &res.TenantState
	j.record(s, res.Exchanges)
	// Every later step needs what these syncs carry (the domain, the client secret).
	return kitBroke("the seller did not accept the kit syncs of a new enterprise", res.Exchanges)
}

func (j *joint) tenantID() (string, error) {
	if j.tenant == nil {
		return "", harness(fmt.Errorf("no enterprise in this scenario: add a step that binds the app to one"))
	}
	return j.tenant.Tenant.ID, nil
}

func authorise(ctx context.Context, n int) error {
	s, j := state(ctx), jointOf(ctx)
	id, err := j.tenantID()
	if err != nil {
		return err
	}
	users := make([]koomock.User, n)
	for i := range users {
		users[i] = koomock.User{UserName: fmt.Sprintf("%s-user%d", j.tenant.Tenant.Code, i+1), Name: "User " + strconv.Itoa(i+1),
			Email: fmt.Sprintf("user%d@example.com", i+1)}
	}
	res, err := s.api.AuthorizeUsers(ctx, id, users)
	if err != nil {
		return harness(fmt.Errorf("authorise users: %w", err))
	}
	j.record(s, res.Exchanges)
	for _, u := range res.Users {
		if u.UserName == users[0].UserName {
			j.user, j.password = u, u.Password
		}
	}
	return kitBroke("the seller did not accept the authSync of the users", res.Exchanges)
}

func changeUser(ctx context.Context, how string) error {
	s, j := state(ctx), jointOf(ctx)
	id, err := j.tenantID()
	if err != nil {
		return err
	}
	if j.user.UserName == "" {
		return harness(fmt.Errorf("no user authorised in this scenario"))
	}
	var res controlapi.KitResult
	switch how {
	case "modifies":
		u := j.user
		u.Position, u.Role, u.Password = "Engineer", "admin", ""
		res, err = s.api.UpdateUser(ctx, id, u)
	case "deauthorises":
		res, err = s.api.DeauthorizeUser(ctx, id, j.user.UserName)
	default:
		res, err = s.api.DeleteUser(ctx, id, j.user.UserName)
	}
	if err != nil {
		return harness(fmt.Errorf("%s the user: %w", how, err))
	}
	j.record(s, res.Exchanges)
	return nil
}

func changeOrg(ctx context.Context, how string) error {
	s, j := state(ctx), jointOf(ctx)
	id, err := j.tenantID()
	if err != nil {
		return err
	}
	var res controlapi.KitResult
	switch how {
	case "adds":
		res, err = s.api.PutOrg(ctx, id, koomock.Org{Code: "20", Name: "Research", ParentCode: j.tenant.Orgs[0].Code})
	case "renames":
		res, err = s.api.PutOrg(ctx, id, koomock.Org{Code: "20", Name: "Research and Development", ParentCode: j.tenant.Orgs[0].Code})
	default:
		res, err = s.api.DeleteOrg(ctx, id, "20")
	}
	if err != nil {
		return harness(fmt.Errorf("%s a department: %w", how, err))
	}
	j.record(s, res.Exchanges)
	return nil
}

func renameEnterprise(ctx context.Context) error {
	s, j := state(ctx), jointOf(ctx)
	id, err := j.tenantID()
	if err != nil {
		return err
	}
	res, err := s.api.RenameTenant(ctx, id, j.tenant.Tenant.Name+" Group")
	if err != nil {
		return harness(err)
	}
	j.record(s, res.Exchanges)
	return nil
}

func rotateSecret(ctx context.Context) error {
	s, j := state(ctx), jointOf(ctx)
	id, err := j.tenantID()
	if err != nil {
		return err
	}
	res, err := s.api.UpdateApp(ctx, id, controlapi.AppRequest{RotateSecret: true})
	if err != nil {
		return harness(err)
	}
	j.record(s, res.Exchanges)
	return nil
}

func resync(ctx context.Context) error {
	s, j := state(ctx), jointOf(ctx)
	id, err := j.tenantID()
	if err != nil {
		return err
	}
	res, err := s.api.Resync(ctx, id)
	if err != nil {
		return harness(err)
	}
	j.record(s, res.Exchanges)
	return nil
}

func acceptsEveryKitSync(ctx context.Context) error {
	j := jointOf(ctx)
	if len(j.syncs) == 0 {
		return harness(fmt.Errorf("no kit sync was sent in this scenario"))
	}
	return kitBroke("the seller did not accept every correct kit sync", j.syncs)
}

func syncCount(ctx context.Context, n int, sync string) error {
	got := 0
	for _, e := range jointOf(ctx).syncs {
		if e.Activity == protocol.Activity(sync) {
			got++
		}
	}
	if got != n {
		return harness(fmt.Errorf("koomock sent %d %s calls, want %d", got, sync, n))
	}
	return nil
}

func kitProbe(p controlapi.Probe) func(context.Context, string) error {
	return func(ctx context.Context, sync string) error { return sendKitProbe(ctx, sync, p) }
}

func kitMissingField(ctx context.Context, sync, field string) error {
	return sendKitProbe(ctx, sync, controlapi.MissingField(field))
}

func sendKitProbe(ctx context.Context, sync string, p controlapi.Probe) error {
	s, j := state(ctx), jointOf(ctx)
	id, err := j.tenantID()
	if err != nil {
		return err
	}
	e, err := s.api.KitProbe(ctx, id, controlapi.KitProbeRequest{Sync: protocol.Activity(sync), Probe: string(p), Refusals: s.opts.Refusals[p.Kind()]})
	if err != nil {
		return harness(fmt.Errorf("send %s probe: %w", p, err))
	}
	s.last = e
	return nil
}

// tenantExchanges returns the inbound exchanges of the scenario's tenant after the given ID, oldest
// first.
func tenantExchanges(ctx context.Context, after int64) ([]koomock.Exchange, error) {
	s, j := state(ctx), jointOf(ctx)
	list, err := s.api.Exchanges(ctx, koomock.ExchangeFilter{Direction: koomock.Inbound, TenantID: j.tenant.Tenant.ID,
		AfterID: after, Limit: controlapi.MaxExchanges})
	if err != nil {
		return nil, harness(fmt.Errorf("read the journal: %w", err))
	}
	// Filter here too: a koomock at --mock-url from before the tenant filter ignores the parameter.
	list = slices.DeleteFunc(list, func(e koomock.Exchange) bool { return e.TenantID != j.tenant.Tenant.ID })
	slices.Reverse(list)
	return list, nil
}

// journalEnd is the ID of the newest exchange, the starting point of a step's look at the journal.
func journalEnd(ctx context.Context) (int64, error) {
	list, err := state(ctx).api.Exchanges(ctx, koomock.ExchangeFilter{Limit: 1})
	if err != nil {
		return 0, harness(fmt.Errorf("read the journal: %w", err))
	}
	if len(list) == 0 {
		return 0, nil
	}
	return list[0].ID, nil
}

// failedVerdicts gathers the failed verdicts of exchanges, with the first failed exchange.
func failedVerdicts(list []koomock.Exchange) ([]koomock.Verdict, *koomock.Exchange) {
	var out []koomock.Verdict
	var first *koomock.Exchange
	for i := range list {
		if f := list[i].Failures(); len(f) > 0 {
			out = append(out, f...)
			if first == nil {
				first = &list[i]
			}
		}
	}
	return out, first
}

// calls counts exchanges of an activity whose verdict under rule passed.
func calls(list []koomock.Exchange, activity protocol.Activity, rule koomock.Rule) int {
	n := 0
	for _, e := range list {
		if v, ok := e.Verdict(rule); e.Activity == activity && ok && v.Outcome == koomock.Pass {
			n++
		}
	}
	return n
}

func describeCalls(list []koomock.Exchange) string {
	if len(list) == 0 {
		return "none"
	}
	var parts []string
	for _, e := range list {
		status := 0
		if e.Response != nil {
			status = e.Response.Status
		}
		parts = append(parts, fmt.Sprintf("%s (HTTP %d)", e.Activity, status))
	}
	return strings.Join(parts, ", ")
}
