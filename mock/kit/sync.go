package kit

import (
	"context"
	"fmt"
	"net/url"
	"strconv"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/i18n"
	"github.com/koomock/koomock/mock/notify"
	"github.com/koomock/koomock/protocol"
)

// delivery builds the kit sync of the tenant: the URL (base + /produceAPI/v2/<sync>), the kit
// signature, and the checks beyond the generic rules.
func (k *Kit) delivery(t koomock.Tenant, sync protocol.Activity, body map[string]any) (notify.Callback, error) {
	u, err := url.JoinPath(k.SellerURL, protocol.KitPathPrefix, string(sync))
	if err != nil {
		return notify.Callback{}, fmt.Errorf("kit URL: %w", err)
	}
	body["testFlag"] = t.TestFlag
	body["timeStamp"] = protocol.KitTimeStamp(k.Now())
	d := notify.Callback{
		Activity: sync, URL: u, Body: body, Key: k.KitKey, Scheme: notify.KitScheme{InnerHMAC: k.InnerHMAC},
		OrderID: t.OrderID, InstanceID: t.InstanceID, TenantID: t.ID,
	}
	if sync == protocol.ApplicationSync {
		d.Checks = append(d.Checks, checkSecretDecrypted(k.OAEP))
	}
	return d, nil
}

func (k *Kit) send(ctx context.Context, t koomock.Tenant, sync protocol.Activity, body map[string]any) (*koomock.Exchange, error) {
	d, err := k.delivery(t, sync, body)
	if err != nil {
		return nil, err
	}
	e, err := k.Notifier.Send(ctx, d)
	if err != nil {
		return nil, fmt.Errorf("send %s: %w", sync, err)
	}
	if e.Failed() {
		k.Logger.Warn("kit sync failed; not retried (resend it with POST /_mock/tenants/{id}/resync)",
			"sync", sync, "tenant", t.ID, "exchange", e.ID)
	}
	return e, nil
}

// checkSecretDecrypted names 000101 for what it is: the seller could not decrypt clientSecret.
func checkSecretDecrypted(h protocol.OAEPHash) notify.Check {
	return func(e *koomock.Exchange, answer map[string]any) {
		code, _ := answer["resultCode"].(string)
		switch code {
		case string(protocol.ResultSuccess):
			i18n.Judge(e, koomock.RuleKitClientSecret, koomock.Pass, "verdict.clientSecret.pass")
		case string(protocol.ResultMobileProblem):
			e.Record(i18n.VerdictAt(koomock.RuleKitClientSecret, koomock.Fail, "/resultCode", "verdict.clientSecret.fail", h))
		}
	}
}

// The bodies of the kit syncs, without testFlag and timeStamp, which delivery stamps (spec saas-v2 §5).

func (k *Kit) tenantBody(t koomock.Tenant, flag int) map[string]any {
	return map[string]any{
		"instanceId": t.InstanceID, "orderId": t.OrderID, "tenantId": t.ID, "tenantCode": t.Code,
		"name": t.Name, "domainName": k.Domain(t.Code), "flag": flag,
	}
}

// appBody carries clientSecret encrypted with the seller's public key.
func (k *Kit) appBody(t koomock.Tenant, a koomock.App, flag int) (map[string]any, error) {
	secret, err := protocol.EncryptClientSecret(k.PublicKey, a.ClientSecret, k.OAEP)
	if err != nil {
		return nil, err
	}
	return map[string]any{
		"instanceId": t.InstanceID, "tenantId": t.ID, "appId": a.AppID, "clientId": a.ClientID,
		"clientSecret": secret, "flag": flag,
	}, nil
}

func allOrgsBody(t koomock.Tenant, orgs []koomock.Org) map[string]any {
	list := make([]any, 0, len(orgs))
	for _, o := range orgs {
		list = append(list, orgInfo(o))
	}
	return map[string]any{"instanceId": t.InstanceID, "tenantId": t.ID, "orgInfoList": list}
}

func orgBody(t koomock.Tenant, o koomock.Org, flag int) map[string]any {
	body := map[string]any{"instanceId": t.InstanceID, "tenantId": t.ID, "flag": flag}
	for key, v := range orgInfo(o) {
		body[key] = v
	}
	return body
}

// authBody lists at most MaxAuthSyncUsers users.
func (k *Kit) authBody(t koomock.Tenant, appID string, users []koomock.User, flag int) map[string]any {
	list := make([]any, 0, len(users))
	for _, u := range users {
		list = append(list, kitUser(u))
	}
	return map[string]any{
		"instanceId": t.InstanceID, "tenantId": t.ID, "appId": appID, "userList": list,
		"currentSyncTime": protocol.KitTimeStamp(k.Now()), "flag": flag,
	}
}

func (k *Kit) sendTenant(ctx context.Context, t koomock.Tenant, flag int) (*koomock.Exchange, error) {
	return k.send(ctx, t, protocol.TenantSync, k.tenantBody(t, flag))
}

func (k *Kit) sendApp(ctx context.Context, t koomock.Tenant, a koomock.App, flag int) (*koomock.Exchange, error) {
	body, err := k.appBody(t, a, flag)
	if err != nil {
		return nil, err
	}
	return k.send(ctx, t, protocol.ApplicationSync, body)
}

func (k *Kit) sendAllOrgs(ctx context.Context, t koomock.Tenant) (*koomock.Exchange, error) {
	orgs, err := k.Store.Orgs(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	return k.send(ctx, t, protocol.AllOrgSync, allOrgsBody(t, orgs))
}

func (k *Kit) sendOrg(ctx context.Context, t koomock.Tenant, o koomock.Org, flag int) (*koomock.Exchange, error) {
	return k.send(ctx, t, protocol.SingleOrgSync, orgBody(t, o, flag))
}

func orgInfo(o koomock.Org) map[string]any {
	m := map[string]any{"orgCode": o.Code, "orgName": o.Name}
	if o.ParentCode != "" {
		m["parentCode"] = o.ParentCode
	}
	return m
}

// sendUsers sends authSync for users, at most MaxAuthSyncUsers per call.
func (k *Kit) sendUsers(ctx context.Context, t koomock.Tenant, users []koomock.User, flag int) ([]*koomock.Exchange, error) {
	appID := k.AppID
	if apps, err := k.Store.Apps(ctx, t.ID); err == nil && len(apps) > 0 {
		appID = apps[0].AppID
	}
	var sent []*koomock.Exchange
	for start := 0; start < len(users); start += protocol.MaxAuthSyncUsers {
		batch := users[start:min(start+protocol.MaxAuthSyncUsers, len(users))]
		e, err := k.send(ctx, t, protocol.AuthSync, k.authBody(t, appID, batch, flag))
		if err != nil {
			return sent, err
		}
		sent = append(sent, e)
	}
	return sent, nil
}

// kitUser is a user as authSync lists it: a real JSON object (V2), enable as "true"/"false".
func kitUser(u koomock.User) map[string]any {
	m := map[string]any{
		"userName": u.UserName, "name": u.Name, "orgCode": u.OrgCode, "role": u.Role,
		"enable": strconv.FormatBool(!u.Disabled),
	}
	for key, v := range map[string]string{"position": u.Position, "employeeCode": u.EmployeeCode, "mobile": u.Mobile,
		"email": u.Email, "workPlace": u.WorkPlace, "entryDate": u.EntryDate} {
		if v != "" {
			m[key] = v
		}
	}
	if u.EmployeeType != 0 {
		m["employeeType"] = u.EmployeeType
	}
	return m
}

// Resync sends the tenant's current state again: tenantSync, applicationSync, allOrgSync and the
// authSync of its authorised users.
func (k *Kit) Resync(ctx context.Context, id string) (controlapi.KitResult, error) {
	t, err := k.tenantReady(ctx, id)
	if err != nil {
		return controlapi.KitResult{}, err
	}
	var sent []*koomock.Exchange
	e, err := k.sendTenant(ctx, t, protocol.KitFlagAdd)
	if err != nil {
		return controlapi.KitResult{}, err
	}
	sent = append(sent, e)
	apps, err := k.Store.Apps(ctx, t.ID)
	if err != nil {
		return controlapi.KitResult{}, err
	}
	for _, a := range apps {
		if e, err = k.sendApp(ctx, t, a, protocol.KitFlagAdd); err != nil {
			return controlapi.KitResult{}, err
		}
		sent = append(sent, e)
	}
	if e, err = k.sendAllOrgs(ctx, t); err != nil {
		return controlapi.KitResult{}, err
	}
	sent = append(sent, e)
	users, err := k.Store.Users(ctx, t.ID)
	if err != nil {
		return controlapi.KitResult{}, err
	}
	var authorized []koomock.User
	for _, u := range users {
		if u.Authorized {
			authorized = append(authorized, u)
		}
	}
	more, err := k.sendUsers(ctx, t, authorized, protocol.KitFlagAdd)
	if err != nil {
		return controlapi.KitResult{}, err
	}
	return k.result(ctx, t.ID, append(sent, more...))
}

// tenantReady loads a tenant for a change that sends kit syncs.
func (k *Kit) tenantReady(ctx context.Context, id string) (koomock.Tenant, error) {
	if err := k.ready(); err != nil {
		return koomock.Tenant{}, err
	}
	return k.tenant(ctx, id)
}

// Probe sends one of the tenant's kit syncs with a deliberate fault and judges whether the seller
// refuses it.
func (k *Kit) Probe(ctx context.Context, id string, req controlapi.KitProbeRequest) (*koomock.Exchange, error) {
	t, err := k.tenantReady(ctx, id)
	if err != nil {
		return nil, err
	}
	probe, err := controlapi.ParseProbe(req.Probe)
	if err != nil || probe == controlapi.NoProbe {
		return nil, controlapi.Errorf(controlapi.CodeInvalid, "name a probe: tampered-signature, stale-timestamp, missing-signature or missing-field:FIELD")
	}
	var body map[string]any
	switch req.Sync {
	case protocol.TenantSync:
		body = k.tenantBody(t, protocol.KitFlagModify)
	case protocol.AllOrgSync:
		orgs, err := k.Store.Orgs(ctx, t.ID)
		if err != nil {
			return nil, err
		}
		body = allOrgsBody(t, orgs)
	default:
		return nil, controlapi.Errorf(controlapi.CodeInvalid, "kit probes are sent as tenantSync or allOrgSync, not %q", req.Sync)
	}
	if field, ok := probe.Field(); ok {
		required, err := k.Notifier.Spec.Required(string(req.Sync))
		if err != nil {
			return nil, err
		}
		found := false
		for _, r := range required {
			found = found || r == field
		}
		if !found {
			return nil, controlapi.Errorf(controlapi.CodeInvalid, "%s is not a mandatory field of %s (mandatory: %v)", field, req.Sync, required)
		}
	}
	d, err := k.delivery(t, req.Sync, body)
	if err != nil {
		return nil, err
	}
	d.Probe, d.Refusals, d.Checks = probe, req.Refusals, nil
	return k.Notifier.Send(ctx, d)
}
