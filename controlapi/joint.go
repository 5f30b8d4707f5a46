package controlapi

import (
	"context"
	"net/http"
	"net/url"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/protocol"
)

// TenantRequest creates a joint-operation tenant, as a buyer binding the seller's app to an enterprise
// does: koomock fires tenantSync, applicationSync and allOrgSync. Zero fields take fresh values: a
// random tenant ID and code, a new OAuth client, the configured login callback, one department.
type TenantRequest struct {
	TenantID   string `json:"tenantId,omitempty"`
	TenantCode string `json:"tenantCode,omitempty"`
	Name       string `json:"name,omitempty"`
	// InstanceID and OrderID name the buyer's order; empty, as when the seller applies for app
	// credentials.
	InstanceID string `json:"instanceId,omitempty"`
	OrderID    string `json:"orderId,omitempty"`
	// TestFlag is sent in the tenant's kit syncs: 0 production (default), 1 debug.
	TestFlag         int           `json:"testFlag,omitempty"`
	ClientID         string        `json:"clientId,omitempty"`
	ClientSecret     string        `json:"clientSecret,omitempty"`
	LoginCallbackURL string        `json:"loginCallbackUrl,omitempty"`
	CASServiceURL    string        `json:"casServiceUrl,omitempty"`
	Orgs             []koomock.Org `json:"orgs,omitempty"`
}

// TenantPatch modifies a tenant's name (tenantSync flag 2).
type TenantPatch struct {
	Name string `json:"name"`
}

// AppRequest modifies the tenant's app (applicationSync flag 2); zero fields keep their value, and
// RotateSecret draws a new client secret.
type AppRequest struct {
	ClientSecret     string `json:"clientSecret,omitempty"`
	RotateSecret     bool   `json:"rotateSecret,omitempty"`
	LoginCallbackURL string `json:"loginCallbackUrl,omitempty"`
	CASServiceURL    string `json:"casServiceUrl,omitempty"`
}

// UsersRequest authorises users for the seller's app (authSync flag 1); more than 500 go in several
// calls. A user without a password gets a fresh one, returned once in the answer.
type UsersRequest struct {
	Users []koomock.User `json:"users"`
}

// TenantState is a tenant with its app, departments and users. Secrets are masked, except the public
// demo values and passwords koomock just drew.
type TenantState struct {
	Tenant koomock.Tenant `json:"tenant"`
	App    *koomock.App   `json:"app,omitempty"`
	Orgs   []koomock.Org  `json:"orgs"`
	Users  []koomock.User `json:"users"`
}

// KitResult is a tenant after a change, with the kit syncs the change sent, each with its verdicts.
// Kit syncs are not retried automatically (spec saas-v2 §1): a failed one stays in the journal and
// can be sent again with Resync.
type KitResult struct {
	TenantState
	Exchanges []*koomock.Exchange `json:"exchanges"`
}

// KitProbeRequest sends a deliberately faulty kit sync for a tenant.
type KitProbeRequest struct {
	// Sync is tenantSync, applicationSync, authSync, singleOrgSync or allOrgSync.
	Sync     protocol.Activity `json:"sync"`
	Probe    string            `json:"probe"`
	Refusals []string          `json:"refusals,omitempty"`
}

// TenantList carries tenants, newest first.
type TenantList struct {
	Tenants []koomock.Tenant `json:"tenants"`
}

// JointSettings are koomock's joint-operation settings, secrets masked except the public demo values.
type JointSettings struct {
	// KitKey signs kit syncs ("" when none is configured: kit scenarios then skip).
	KitKey string `json:"kitKey"`
	// KitSignature is "kit" (the official sample's formula) or "kit-inner-hmac".
	KitSignature string `json:"kitSignature"`
	// OAEPHash is the digest clientSecret is encrypted with: sha256, sha1 or sha256-mgf1-sha1.
	OAEPHash string `json:"oaepHash"`
	// SellerPublicKey says whose key encrypts clientSecret: "demo" or "yours (N bits)".
	SellerPublicKey string `json:"sellerPublicKey"`
	AppID           string `json:"appId"`
	// LoginCallbackURL is the registered OAuth callback and CAS service of new tenants' apps.
	LoginCallbackURL string `json:"loginCallbackUrl"`
	// The demo tenant a newcomer logs in with.
	DemoTenantID     string `json:"demoTenantId"`
	DemoTenantCode   string `json:"demoTenantCode"`
	DemoDomain       string `json:"demoDomain"`
	DemoClientID     string `json:"demoClientId"`
	DemoClientSecret string `json:"demoClientSecret"`
	DemoUser         string `json:"demoUser"`
	DemoPassword     string `json:"demoPassword"`
	// UnifiedLoginURL opens the login form for the app.
	UnifiedLoginURL string `json:"unifiedLoginUrl"`
	// WorkbenchURL is the 开天 aPaaS enterprise workbench: sign in as a tenant's user and open the app.
	WorkbenchURL   string `json:"workbenchUrl"`
	CodeTTL        string `json:"codeTtl"`
	RotateRefresh  bool   `json:"rotateRefreshTokens"`
	CASJSONDefault bool   `json:"casJsonDefault"`
}

func tenantPath(id string, rest ...string) string {
	p := "/_mock/tenants/" + url.PathEscape(id)
	for _, r := range rest {
		p += "/" + url.PathEscape(r)
	}
	return p
}

// CreateTenant creates a tenant, which fires tenantSync, applicationSync and allOrgSync.
func (c *Client) CreateTenant(ctx context.Context, req TenantRequest) (KitResult, error) {
	var r KitResult
	err := c.do(ctx, http.MethodPost, "/_mock/tenants", req, &r)
	return r, err
}

// Tenant returns a tenant with its app, departments and users.
func (c *Client) Tenant(ctx context.Context, id string) (TenantState, error) {
	var r TenantState
	err := c.do(ctx, http.MethodGet, tenantPath(id), nil, &r)
	return r, err
}

// Tenants lists the tenants, newest first.
func (c *Client) Tenants(ctx context.Context) ([]koomock.Tenant, error) {
	var r TenantList
	err := c.do(ctx, http.MethodGet, "/_mock/tenants", nil, &r)
	return r.Tenants, err
}

// RenameTenant modifies a tenant (tenantSync flag 2).
func (c *Client) RenameTenant(ctx context.Context, id, name string) (KitResult, error) {
	var r KitResult
	err := c.do(ctx, http.MethodPatch, tenantPath(id), TenantPatch{Name: name}, &r)
	return r, err
}

// DeleteTenant deletes a tenant (tenantSync flag 0).
func (c *Client) DeleteTenant(ctx context.Context, id string) (KitResult, error) {
	var r KitResult
	err := c.do(ctx, http.MethodDelete, tenantPath(id), nil, &r)
	return r, err
}

// UpdateApp modifies the tenant's app (applicationSync flag 2).
func (c *Client) UpdateApp(ctx context.Context, id string, req AppRequest) (KitResult, error) {
	var r KitResult
	err := c.do(ctx, http.MethodPut, tenantPath(id, "app"), req, &r)
	return r, err
}

// DeleteApp unbinds the app from the tenant (applicationSync flag 0).
func (c *Client) DeleteApp(ctx context.Context, id string) (KitResult, error) {
	var r KitResult
	err := c.do(ctx, http.MethodDelete, tenantPath(id, "app"), nil, &r)
	return r, err
}

// AuthorizeUsers authorises users (authSync flag 1).
func (c *Client) AuthorizeUsers(ctx context.Context, id string, users []koomock.User) (KitResult, error) {
	var r KitResult
	err := c.do(ctx, http.MethodPost, tenantPath(id, "users"), UsersRequest{Users: users}, &r)
	return r, err
}

// UpdateUser modifies a user (authSync flag 2).
func (c *Client) UpdateUser(ctx context.Context, id string, u koomock.User) (KitResult, error) {
	var r KitResult
	err := c.do(ctx, http.MethodPut, tenantPath(id, "users", u.UserName), u, &r)
	return r, err
}

// DeleteUser deletes a user (authSync flag 0).
func (c *Client) DeleteUser(ctx context.Context, id, userName string) (KitResult, error) {
	var r KitResult
	err := c.do(ctx, http.MethodDelete, tenantPath(id, "users", userName), nil, &r)
	return r, err
}

// DeauthorizeUser cancels a user's authorisation (authSync flag 3).
func (c *Client) DeauthorizeUser(ctx context.Context, id, userName string) (KitResult, error) {
	var r KitResult
	err := c.do(ctx, http.MethodPost, tenantPath(id, "users", userName, "deauthorize"), nil, &r)
	return r, err
}

// PutOrg adds or modifies a department (singleOrgSync flag 1 or 2).
func (c *Client) PutOrg(ctx context.Context, id string, o koomock.Org) (KitResult, error) {
	var r KitResult
	err := c.do(ctx, http.MethodPut, tenantPath(id, "orgs", o.Code), o, &r)
	return r, err
}

// DeleteOrg deletes a department (singleOrgSync flag 0).
func (c *Client) DeleteOrg(ctx context.Context, id, code string) (KitResult, error) {
	var r KitResult
	err := c.do(ctx, http.MethodDelete, tenantPath(id, "orgs", code), nil, &r)
	return r, err
}

// Resync sends the tenant's current state again: tenantSync, applicationSync, allOrgSync and authSync
// of its authorised users, as an administrator re-triggers failed syncs.
func (c *Client) Resync(ctx context.Context, id string) (KitResult, error) {
	var r KitResult
	err := c.do(ctx, http.MethodPost, tenantPath(id, "resync"), nil, &r)
	return r, err
}

// KitProbe sends a deliberately faulty kit sync of the tenant.
func (c *Client) KitProbe(ctx context.Context, id string, req KitProbeRequest) (*koomock.Exchange, error) {
	var r ExchangeResult
	err := c.do(ctx, http.MethodPost, tenantPath(id, "probes"), req, &r)
	return r.Exchange, err
}

// AdvanceTenantClock lets time pass for one tenant's identity provider only: its tokens, codes,
// tickets and sessions age by the duration ("2h", "30d") while koomock's clock stays.
func (c *Client) AdvanceTenantClock(ctx context.Context, id, by string) (TenantState, error) {
	var r TenantState
	err := c.do(ctx, http.MethodPost, tenantPath(id, "clock", "advance"), AdvanceRequest{By: by}, &r)
	return r, err
}
