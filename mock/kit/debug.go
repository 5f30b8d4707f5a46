package kit

import (
	"slices"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/mock/notify"
	"github.com/koomock/koomock/protocol"
)

// The demo tenant and its department, as SeedDemo stores them and debug syncs describe them.
var (
	demoTenant = koomock.Tenant{ID: fixtures.DemoTenantID, Code: fixtures.DemoTenantCode, Name: fixtures.DemoTenantName}
	demoOrg    = koomock.Org{TenantID: fixtures.DemoTenantID, Code: fixtures.DemoOrgCode, Name: fixtures.DemoOrgName}
)

// demoUser is the demo user with the given account name, as SeedDemo stores it (without an ID).
func demoUser(name string) koomock.User {
	return koomock.User{TenantID: fixtures.DemoTenantID, UserName: name, Name: fixtures.DemoUserName, OrgCode: fixtures.DemoOrgCode,
		Role: "admin", Authorized: true, Email: name + "@example.com", Mobile: "13800000000"}
}

// DebugSync returns the kit sync the seller console's debugging sends (testFlag 1) about the demo
// tenant, its app (clientSecret encrypted with the seller's public key), department and user, addressed
// and signed as every kit sync, with the same checks. `koomock fire` sends it: it needs SellerURL,
// KitKey, PublicKey, OAEP, AppID, Now and PublicURL, not the store. ok is false for a name that is not
// a kit sync; err says which setting is missing.
func (k *Kit) DebugSync(sync protocol.Activity) (d notify.Callback, ok bool, err error) {
	if !slices.Contains(protocol.KitSyncs, sync) {
		return d, false, nil
	}
	if err := k.ready(); err != nil {
		return d, true, err
	}
	t := demoTenant
	t.TestFlag = 1
	var body map[string]any
	switch sync {
	case protocol.TenantSync:
		body = k.tenantBody(t, protocol.KitFlagAdd)
	case protocol.ApplicationSync:
		app := koomock.App{TenantID: t.ID, AppID: k.AppID, ClientID: fixtures.DemoClientID, ClientSecret: fixtures.DemoClientSecret}
		if body, err = k.appBody(t, app, protocol.KitFlagAdd); err != nil {
			return d, true, err
		}
	case protocol.AuthSync:
		body = k.authBody(t, k.AppID, []koomock.User{demoUser(fixtures.DemoUser)}, protocol.KitFlagAdd)
	case protocol.SingleOrgSync:
		body = orgBody(t, demoOrg, protocol.KitFlagAdd)
	case protocol.AllOrgSync:
		body = allOrgsBody(t, []koomock.Org{demoOrg})
	}
	d, err = k.delivery(t, sync, body)
	return d, true, err
}
