package kit

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/ids"
	"github.com/koomock/koomock/mock/notify"
	"github.com/koomock/koomock/protocol"
	"github.com/koomock/koomock/store"
)

// TenantPrefix precedes a tenant's code in its identity-provider domain: PublicURL/t/{tenantCode}. The
// demo tenant's domain is the public URL itself, so a newcomer points an OAuth client at koomock.
const TenantPrefix = "/t/"

// Kit is the joint-operation marketplace. Store, Notifier, Now, IDs and PublicURL are required.
type Kit struct {
	Store    *store.DB
	Notifier *notify.Notifier
	Now      func() time.Time
	IDs      *ids.Source
	// PublicURL is the base of the tenants' domains, read at each use (it is known only once
	// listening): koomock's public URL, or its HTTPS address once HTTPS is on (mock.Server.DomainURL).
	PublicURL func() string
	// SellerURL is the production base URL; kit syncs go to it + /produceAPI/v2/<sync>.
	SellerURL string
	// KitKey signs the kit syncs; empty means the seller has no kit interfaces configured.
	KitKey string
	// InnerHMAC signs with the docs' inner-HMAC reading instead of the official sample's formula.
	InnerHMAC bool
	// PublicKey is the seller's key clientSecret is encrypted with; OAEP the padding's digest.
	PublicKey *rsa.PublicKey
	OAEP      protocol.OAEPHash
	// AppID is the seller's app credential; LoginCallbackURL its registered OAuth callback and CAS
	// service, the default for new tenants.
	AppID            string
	LoginCallbackURL string
	Logger           *slog.Logger
}

// Demo is the demo tenant's app and user, from koomock's settings.
type Demo struct {
	ClientID, ClientSecret string
	LoginCallbackURL       string
	User, Password         string
}

// Domain returns a tenant's identity-provider domain.
func (k *Kit) Domain(code string) string {
	base := strings.TrimSuffix(k.PublicURL(), "/")
	if code == fixtures.DemoTenantCode {
		return base
	}
	return base + TenantPrefix + code
}

// SeedDemo stores the demo tenant, its app, department and user, so that a seller can log in without
// any setup. It sends no sync: the demo values are printed and shown instead, and Resync sends them.
// On every start the settings win over what is stored.
func (k *Kit) SeedDemo(ctx context.Context, d Demo) error {
	t, err := k.Store.Tenant(ctx, fixtures.DemoTenantID)
	if errors.Is(err, store.ErrNotFound) {
		t = demoTenant
		t.CreatedAt = k.Now()
		if err := k.Store.CreateTenant(ctx, t); err != nil {
			return err
		}
		if err := k.Store.PutOrg(ctx, demoOrg); err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	apps, err := k.Store.Apps(ctx, t.ID)
	if err != nil {
		return err
	}
	for _, a := range apps {
		if a.ClientID != d.ClientID {
			k.Store.DeleteApp(ctx, a.ClientID)
		}
	}
	err = k.Store.PutApp(ctx, koomock.App{TenantID: t.ID, AppID: k.AppID, ClientID: d.ClientID, ClientSecret: d.ClientSecret,
		LoginCallbackURL: d.LoginCallbackURL, CASServiceURL: d.LoginCallbackURL})
	if err != nil {
		return fmt.Errorf("demo client %s: %w", d.ClientID, err)
	}
	u, err := k.Store.User(ctx, t.ID, d.User)
	if errors.Is(err, store.ErrNotFound) {
		u = demoUser(d.User)
		u.ID = k.IDs.UUID()
	} else if err != nil {
		return err
	}
	u.Password = d.Password
	return k.Store.PutUser(ctx, u)
}

// CreateTenant creates a tenant with its app and departments and fires tenantSync, applicationSync and
// allOrgSync, as binding the seller's app to an enterprise does.
func (k *Kit) CreateTenant(ctx context.Context, req controlapi.TenantRequest) (controlapi.KitResult, error) {
	if err := k.ready(); err != nil {
		return controlapi.KitResult{}, err
	}
	t := koomock.Tenant{
		ID: req.TenantID, Code: req.TenantCode, Name: req.Name, InstanceID: req.InstanceID, OrderID: req.OrderID,
		TestFlag: req.TestFlag, CreatedAt: k.Now(),
	}
	if t.ID == "" {
		t.ID = k.IDs.Token(8)
	}
	if t.Code == "" {
		t.Code = "t" + strings.ToLower(k.IDs.Alnum(9))
	}
	if t.Name == "" {
		t.Name = "Enterprise " + t.Code
	}
	if err := checkTenant(t); err != nil {
		return controlapi.KitResult{}, err
	}
	app := koomock.App{
		TenantID: t.ID, AppID: k.AppID, ClientID: req.ClientID, ClientSecret: req.ClientSecret,
		LoginCallbackURL: req.LoginCallbackURL, CASServiceURL: req.CASServiceURL,
	}
	if app.ClientID == "" {
		app.ClientID = k.IDs.Token(16)
	}
	if app.ClientSecret == "" {
		app.ClientSecret = k.IDs.Token(24)
	}
	if app.LoginCallbackURL == "" {
		app.LoginCallbackURL = k.LoginCallbackURL
	}
	if app.CASServiceURL == "" {
		app.CASServiceURL = app.LoginCallbackURL
	}
	if err := checkCallbacks(app); err != nil {
		return controlapi.KitResult{}, err
	}
	orgs := req.Orgs
	if len(orgs) == 0 {
		orgs = []koomock.Org{{Code: fixtures.DemoOrgCode, Name: fixtures.DemoOrgName}}
	}
	if err := k.Store.CreateTenant(ctx, t); err != nil {
		if errors.Is(err, store.ErrExists) {
			return controlapi.KitResult{}, controlapi.Errorf(controlapi.CodeConflict, "tenant ID %s or code %s is taken", t.ID, t.Code)
		}
		return controlapi.KitResult{}, err
	}
	if err := k.Store.PutApp(ctx, app); err != nil {
		k.Store.DeleteTenant(ctx, t.ID)
		if errors.Is(err, store.ErrExists) {
			return controlapi.KitResult{}, controlapi.Errorf(controlapi.CodeConflict, "client ID %s belongs to another tenant", app.ClientID)
		}
		return controlapi.KitResult{}, err
	}
	for _, o := range orgs {
		o.TenantID = t.ID
		if o.Code == "" || o.Name == "" {
			k.Store.DeleteTenant(ctx, t.ID)
			return controlapi.KitResult{}, controlapi.Errorf(controlapi.CodeInvalid, "every department needs an orgCode and an orgName")
		}
		if err := k.Store.PutOrg(ctx, o); err != nil {
			return controlapi.KitResult{}, err
		}
	}
	var sent []*koomock.Exchange
	for _, send := range []func(context.Context, koomock.Tenant) (*koomock.Exchange, error){
		func(ctx context.Context, t koomock.Tenant) (*koomock.Exchange, error) {
			return k.sendTenant(ctx, t, protocol.KitFlagAdd)
		},
		func(ctx context.Context, t koomock.Tenant) (*koomock.Exchange, error) {
			return k.sendApp(ctx, t, app, protocol.KitFlagAdd)
		},
		k.sendAllOrgs,
	} {
		e, err := send(ctx, t)
		if err != nil {
			return controlapi.KitResult{}, err
		}
		sent = append(sent, e)
	}
	return k.result(ctx, t.ID, sent)
}

// Tenant returns a tenant's state.
func (k *Kit) Tenant(ctx context.Context, id string) (controlapi.TenantState, error) {
	t, err := k.tenant(ctx, id)
	if err != nil {
		return controlapi.TenantState{}, err
	}
	st := controlapi.TenantState{Tenant: t, Orgs: []koomock.Org{}, Users: []koomock.User{}}
	apps, err := k.Store.Apps(ctx, id)
	if err != nil {
		return st, err
	}
	if len(apps) > 0 {
		a := apps[0]
		if a.ClientSecret != fixtures.DemoClientSecret {
			a.ClientSecret = protocol.MaskSecret(a.ClientSecret)
		}
		st.App = &a
	}
	if orgs, err := k.Store.Orgs(ctx, id); err != nil {
		return st, err
	} else if orgs != nil {
		st.Orgs = orgs
	}
	users, err := k.Store.Users(ctx, id)
	if err != nil {
		return st, err
	}
	for _, u := range users {
		if u.Password != "" && u.Password != fixtures.DemoPassword {
			u.Password = protocol.MaskSecret(u.Password)
		}
		st.Users = append(st.Users, u)
	}
	return st, nil
}

// tenant loads a tenant, with its current domain, as a control-API error when it does not exist.
func (k *Kit) tenant(ctx context.Context, id string) (koomock.Tenant, error) {
	t, err := k.Store.Tenant(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return t, controlapi.Errorf(controlapi.CodeNotFound, "tenant %s does not exist", id)
	}
	t.DomainName = k.Domain(t.Code)
	return t, err
}

func (k *Kit) result(ctx context.Context, id string, sent []*koomock.Exchange) (controlapi.KitResult, error) {
	st, err := k.Tenant(ctx, id)
	if err != nil {
		return controlapi.KitResult{}, err
	}
	if sent == nil {
		sent = []*koomock.Exchange{}
	}
	return controlapi.KitResult{TenantState: st, Exchanges: sent}, nil
}

// ready refuses changes that would fire kit syncs koomock cannot sign or address.
func (k *Kit) ready() error {
	switch {
	case k.SellerURL == "":
		return controlapi.Errorf(controlapi.CodeConflict, "no seller URL: kit syncs go to the production base URL (--seller-url) + /produceAPI/v2/...")
	case k.KitKey == "":
		return controlapi.Errorf(controlapi.CodeConflict, "no kit key: kit syncs are signed with the key bound to the kit interfaces (--kit-key)")
	case k.PublicKey == nil:
		return controlapi.Errorf(controlapi.CodeConflict, "no seller public key: applicationSync encrypts clientSecret with it (--seller-public-key)")
	}
	return nil
}

func checkTenant(t koomock.Tenant) error {
	switch {
	case len(t.ID) > 64 || len(t.Code) > 64 || len(t.Name) > 255 || len(t.InstanceID) > 64 || len(t.OrderID) > 64:
		return controlapi.Errorf(controlapi.CodeInvalid, "tenantId, tenantCode, instanceId and orderId are at most 64 characters, name 255")
	case strings.Trim(strings.ToLower(t.Code), "abcdefghijklmnopqrstuvwxyz0123456789-_") != "":
		return controlapi.Errorf(controlapi.CodeInvalid, "tenantCode %q: use letters, digits, - and _ (it is part of the tenant's domain)", t.Code)
	case t.TestFlag != 0 && t.TestFlag != 1:
		return controlapi.Errorf(controlapi.CodeInvalid, "testFlag is 0 (production) or 1 (debug)")
	}
	return nil
}

func checkCallbacks(a koomock.App) error {
	for _, u := range []string{a.LoginCallbackURL, a.CASServiceURL} {
		if u == "" {
			continue
		}
		p, err := url.Parse(u)
		if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" || p.Fragment != "" {
			return controlapi.Errorf(controlapi.CodeInvalid, "callback %q is not an absolute http(s) URL without a fragment", u)
		}
	}
	return nil
}
