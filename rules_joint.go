package koomock

// The rules of the joint-operation kit syncs (spec saas-v2 §5).
const (
	// RuleKitClientSecret: the seller decrypts applicationSync's clientSecret with its private key
	// (answering 000101 means it could not).
	RuleKitClientSecret Rule = "kit.clientSecret"
)

// The rules of the tenant identity provider: OAuth 2.0 (license-login §2) and CAS (§3).
const (
	// RuleOAuthClient: token calls authenticate with the tenant's clientId and the decrypted
	// clientSecret from applicationSync.
	RuleOAuthClient Rule = "oauth.clientCredentials"
	// RuleOAuthDomain: the seller calls the tenant's domainName from tenantSync, looked up per tenant.
	RuleOAuthDomain Rule = "oauth.tenantDomain"
	// RuleOAuthCode: an authorization code is redeemed once, within its lifetime, by the client it was
	// issued to, with the redirect URI it was issued for.
	RuleOAuthCode Rule = "oauth.code"
	// RuleOAuthRedirectURI: authorize names the registered callback exactly; a token call that repeats
	// redirect_uri repeats the one the code was issued for.
	RuleOAuthRedirectURI Rule = "oauth.redirectUri"
	// RuleOAuthCodeReuse: a code is never redeemed twice (the tokens issued from it are then revoked).
	RuleOAuthCodeReuse Rule = "oauth.codeReuse"
	// RuleOAuthRefresh: the seller renews the access token with its refresh token while the user keeps
	// using the app, and never uses an expired or revoked refresh token.
	RuleOAuthRefresh Rule = "oauth.refresh"
	// RuleOAuthAccessToken: userinfo is called with a valid, unexpired bearer token.
	RuleOAuthAccessToken Rule = "oauth.accessToken"
	// RuleLoginSession: after the login the seller holds a session for the user.
	RuleLoginSession Rule = "login.session"
	// RuleLoginLogout: logging out ends the seller's session and the identity provider's.
	RuleLoginLogout Rule = "login.logout"
	// RuleLoginRefused: when the identity provider refuses the authorization code or the refresh token,
	// the seller holds no session for the user (ending the one it had: it has no valid access token)
	// and answers the browser with a page of its own, not HTTP 500, a stack trace or a dropped
	// connection.
	RuleLoginRefused Rule = "login.refused"
	// RuleCASTicket: a service ticket is validated once, within its lifetime, for its service.
	RuleCASTicket Rule = "cas.ticket"
)
