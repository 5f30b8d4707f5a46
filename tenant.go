package koomock

import "time"

// Tenant is a buyer's enterprise (租户) in joint operation (联营): KooGallery syncs it to the seller
// with tenantSync and logs its users in through the tenant's identity provider (spec saas-v2 §5,
// license-login §2).
type Tenant struct {
	ID   string `json:"tenantId"`
	Code string `json:"tenantCode"`
	Name string `json:"name"`
	// DomainName is the tenant's identity-provider base URL, as tenantSync delivers it: koomock's public
	// URL, with a per-tenant path prefix except for the demo tenant.
	DomainName string `json:"domainName"`
	// InstanceID and OrderID are the buyer's order that bound the app to the tenant; both are empty
	// when the tenant came from the seller applying for app credentials.
	InstanceID string    `json:"instanceId"`
	OrderID    string    `json:"orderId"`
	CreatedAt  time.Time `json:"createdAt"`
	// TestFlag is sent in every kit sync of the tenant: 0 production, 1 debug.
	TestFlag int `json:"testFlag"`
	// ClockOffset puts the tenant's identity provider ahead of koomock's clock (tokens, codes, tickets
	// and sessions expire on it), so one scenario can let hours pass without moving everyone's time.
	ClockOffset time.Duration `json:"clockOffsetNs,omitempty"`
}

// App is the seller's app credential (应用凭证) bound to a tenant: the OAuth client and the CAS service
// the tenant's identity provider accepts (spec saas-v2 §5 applicationSync, license-login §4.1).
type App struct {
	TenantID string `json:"tenantId"`
	AppID    string `json:"appId"`
	ClientID string `json:"clientId"`
	// ClientSecret is the plaintext secret; it leaves koomock only encrypted, in applicationSync.
	ClientSecret string `json:"clientSecret"`
	// LoginCallbackURL is the registered OAuth redirect URI; CASServiceURL the registered CAS service.
	LoginCallbackURL string `json:"loginCallbackUrl"`
	CASServiceURL    string `json:"casServiceUrl"`
}

// Org is a department of a tenant (spec saas-v2 §5 singleOrgSync, allOrgSync).
type Org struct {
	TenantID   string `json:"tenantId"`
	Code       string `json:"orgCode"`
	Name       string `json:"orgName"`
	ParentCode string `json:"parentCode,omitempty"`
}

// User is a member of a tenant, as authSync delivers it and the identity provider logs it in (spec
// saas-v2 §5 authSync, license-login §2.6).
type User struct {
	TenantID string `json:"tenantId"`
	// ID is the user's identifier in the identity provider (userinfo "id" and "userId").
	ID       string `json:"id"`
	UserName string `json:"userName"`
	Name     string `json:"name"`
	OrgCode  string `json:"orgCode"`
	// Role is "user" or "admin" (enterprise administrator).
	Role string `json:"role"`
	// Disabled users are synced with enable "false" and cannot log in.
	Disabled     bool   `json:"disabled,omitempty"`
	Position     string `json:"position,omitempty"`
	EmployeeCode string `json:"employeeCode,omitempty"`
	// EmployeeType: 1 formal, 2 intern, 3 dispatch, 4 outsourced; 0 when not given.
	EmployeeType int    `json:"employeeType,omitempty"`
	Mobile       string `json:"mobile,omitempty"`
	Email        string `json:"email,omitempty"`
	WorkPlace    string `json:"workPlace,omitempty"`
	EntryDate    string `json:"entryDate,omitempty"`
	// Authorized says the tenant's administrator authorised the user for the seller's app (authSync
	// add); only authorised, enabled users can log in.
	Authorized bool `json:"authorized"`
	// Password logs the user in on koomock's login page; it never appears in answers.
	Password string `json:"password,omitempty"`
}

// GrantKind is what an identity-provider credential is.
type GrantKind string

// The credentials the identity provider issues.
const (
	GrantCode    GrantKind = "code"    // OAuth authorization code
	GrantAccess  GrantKind = "access"  // OAuth access token
	GrantRefresh GrantKind = "refresh" // OAuth refresh token
	GrantTicket  GrantKind = "ticket"  // CAS service ticket
	GrantSession GrantKind = "session" // the login session behind the browser's cookie
)

// Grant is one credential the identity provider issued, with what it stands for.
type Grant struct {
	Kind     GrantKind `json:"kind"`
	Token    string    `json:"token"`
	TenantID string    `json:"tenantId"`
	UserName string    `json:"userName"`
	ClientID string    `json:"clientId,omitempty"`
	// RedirectURI is the redirect URI a code was issued for, or the service of a ticket.
	RedirectURI string `json:"redirectUri,omitempty"`
	Scope       string `json:"scope,omitempty"`
	// Family is the authorization code every token descends from: a reused code revokes its family.
	Family    string    `json:"family,omitempty"`
	IssuedAt  time.Time `json:"issuedAt"`
	ExpiresAt time.Time `json:"expiresAt"`
	// AuthAt is when the user logged in; NewLogin says a ticket came straight from that login.
	AuthAt   time.Time `json:"authAt,omitzero"`
	NewLogin bool      `json:"newLogin,omitempty"`
	Used     bool      `json:"used,omitempty"`
	Revoked  bool      `json:"revoked,omitempty"`
}
