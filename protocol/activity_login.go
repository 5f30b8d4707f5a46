package protocol

// The names the tenant identity provider's routes carry in koomock's journal: OAuth 2.0, CAS, the
// unified login and the 开天 workbench. The console's overview and the runner's login steps find the
// calls by them.
const (
	OAuthAuthorize Activity = "oauth2.authorize"
	OAuthToken     Activity = "oauth2.token"
	OAuthUserinfo  Activity = "oauth2.userinfo"
	OAuthLogout    Activity = "oauth2.logout"

	CASLogin             Activity = "cas.login"
	CASValidate          Activity = "cas.validate"
	CASServiceValidate   Activity = "cas.serviceValidate"
	CASP3ServiceValidate Activity = "cas.p3.serviceValidate"
	CASLogout            Activity = "cas.logout"

	UnifiedLoginIndex  Activity = "unifiedLogin.index"
	UnifiedLoginForm   Activity = "unifiedLogin.form"
	UnifiedLoginSubmit Activity = "unifiedLogin.submit"

	WorkbenchHome   Activity = "workbench.home"
	WorkbenchForm   Activity = "workbench.form"
	WorkbenchLogin  Activity = "workbench.login"
	WorkbenchApp    Activity = "workbench.app"
	WorkbenchLogout Activity = "workbench.logout"
)

// LoginActivities are the login calls a seller's web app makes: OAuth 2.0, CAS and the unified login.
var LoginActivities = []Activity{
	OAuthAuthorize, OAuthToken, OAuthUserinfo, OAuthLogout,
	CASLogin, CASValidate, CASServiceValidate, CASP3ServiceValidate, CASLogout,
	UnifiedLoginIndex, UnifiedLoginForm, UnifiedLoginSubmit,
}
