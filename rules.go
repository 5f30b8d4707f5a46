package koomock

// RuleInfo describes one rule: where it comes from, what it asks, how much breaking it counts, and the
// one-line fix a report prints beside a warning or a failure.
type RuleInfo struct {
	Rule Rule
	// Spec is the section of the protocol spec the rule comes from (docs/spec or KooGallery's docs).
	Spec string
	// Doc says in one sentence what the seller must do.
	Doc string
	// Severity is the rule's default severity; Policy applies --strict and the switches.
	Severity Severity
	// Fix is the one-line advice printed with a finding.
	Fix string
}

// registry declares every rule koomock checks, in the order reports list them. Where KooGallery's
// documentation and Huawei's official sample disagree, the sample decides and the rule is advisory
// (README, "Fidelity").
var registry = []RuleInfo{
	{RuleTransport, "saas-v2 §1", "The seller accepts the connection and answers.", Required,
		"make the production interface reachable at the registered URL"},
	{RuleDeadline, "saas-v2 §1", "The seller answers within KooGallery's 5 s.", Required,
		"answer first and do slow work afterwards (or answer 000004 and create asynchronously)"},
	{RuleHTTPStatus, "saas-v2 §1", "The seller answers HTTP 200; the outcome is in resultCode.", Required,
		"answer HTTP 200 and put refusals in resultCode"},
	{RuleJSON, "saas-v2 §1", "The answer body is one JSON object.", Required,
		"answer Content-Type application/json with one JSON object"},
	{RuleSchema, "saas-v2 §3", "The answer matches the activity's schema in openapi/seller.yaml.", Required,
		"give every mandatory answer field, with its documented type"},
	{RuleNullField, "saas-v2 §3", "Optional answer fields are left out rather than written as JSON null.", Advisory,
		"leave unset fields out (Jackson: spring.jackson.default-property-inclusion=non_null)"},
	{RuleResultCode, "saas-v2 §4", "resultCode is one of KooGallery's six-digit codes allowed for the activity.", Required,
		"answer one of the documented result codes"},
	{RuleBodySign, "saas-v2 §2.4", "A Body-Sign header, when sent, matches the answer body.", Advisory,
		"sign the exact answer bytes: Body-Sign: sign_type=\"HMAC-SHA256\", signature=\"...\""},
	{RuleSucceeded, "saas-v2 §1", "A correct callback succeeds (000000, or 000004 where allowed).", Required,
		"accept correctly signed callbacks; check the verifier and the access key"},
	{RuleInstanceID, "saas-v2 §3.1", "newInstance's 000000 and 000004 carry an instanceId of at most 64 characters.", Required,
		"answer the new instance's ID in instanceId"},
	{RuleIdempotent, "saas-v2 §3.1", "A resent newInstance (same orderId and orderLineId) gets the same instanceId.", Required,
		"look the order line up before creating an instance"},
	{RuleUniqueInstance, "saas-v2 §3.1", "Different orders never share an instanceId.", Required,
		"create one instance per order line"},
	{RuleRefused, "saas-v2 §2.5", "A callback with a bad signature or a stale timestamp is refused (000001, 000002).", Required,
		"verify the signature and the timestamp before acting on a callback"},
	{RuleMissingField, "saas-v2 §3", "A callback without a mandatory field is refused with 000002 (KooGallery never sends one).", Advisory,
		"validate mandatory fields and answer 000002 (000003 when the instance ID is missing)"},
	{RuleAPIGSignature, "saas-v2 §6.1", "Calls to KooGallery's open APIs carry a valid APIG AK/SK signature.", Required,
		"sign open-API calls with the APIG SDK-HMAC-SHA256 scheme and the product's AK/SK"},
	{RuleRequestSchema, "saas-v2 §6", "A request to an open API matches its operation in openapi/marketplace.yaml.", Required,
		"send the documented parameters with their documented types"},
	{RuleQueryAllIDs, "saas-v2 §3.2", "queryInstance's info carries every requested instance.", Required,
		"answer one info entry per requested instance ID"},
	{RuleQueryAppInfo, "saas-v2 §3.2", "Every queried instance has appInfo with frontEndUrl.", Required,
		"give appInfo.frontEndUrl (and the admin URL and account) for each instance"},
	{RuleQueryUsageInfo, "saas-v2 §3.2", "On-demand and package instances report usageInfo.", Required,
		"report usageInfo for on-demand and package instances"},
	{RuleQueryUsage, "saas-v2 §3.2, §6.3", "An on-demand instance reports no less usage than the seller pushed.", Required,
		"report the usage you pushed"},
	{RuleQueryMemo, "saas-v2 §3.2", "appInfo.memo carries non-ASCII characters as \\uXXXX escapes.", Advisory,
		"escape non-ASCII in memo as \\uXXXX (the official sample sends raw UTF-8, which KooGallery reads)"},
	{RuleQueryLimit, "saas-v2 §3.2", "A queryInstance of more than 100 instance IDs is refused with 000002.", Required,
		"refuse more than 100 IDs with 000002"},
	{RuleUnknownInstance, "saas-v2 §4", "A callback naming an instance the seller does not have is answered 000003.", Required,
		"answer 000003 for instances you never created"},
	{RuleReleaseIdempotent, "saas-v2 §1, §3.5", "Releasing an instance already released succeeds.", Required,
		"answer 000000 when an instance is released again"},
	{RuleAsyncCreation, "saas-v2 §1, §3.1", "An instance answered with 000004 is delivered through queryInstance in time.", Required,
		"finish asynchronous creation and report it in queryInstance"},
	{RuleOrderQuery, "saas-v2 §3.1, §6.2", "The seller looks up the order a newInstance or upgradeInstance names (KooGallery cannot tell; the official sample does not).", Advisory,
		"call the order query API for the orderId of each newInstance and upgradeInstance"},
	{RuleDuplicate, "saas-v2 §1", "A callback delivered twice is accepted both times with the same answer.", Required,
		"make every activity idempotent"},
	{RuleDialTest, "saas-v2 §1", "A saved debug case still passes when replayed as a dial test.", Required,
		"keep test-flag calls working after the first one"},
	{RuleUsageSignature, "saas-v2 §6.3", "The usage push carries ts, nonce and a valid signature.", Required,
		"sign usage pushes as documented"},
	{RuleUsageRecords, "saas-v2 §6.3", "Every pushed usage record is valid and accepted.", Required,
		"push records of your on-demand instances with valid times and amounts"},
	{RuleUsagePushed, "saas-v2 §6.3", "The seller pushes usage for its on-demand instances.", Required,
		"push usage hourly for on-demand instances"},
	{RuleLicenseActivates, "license-login §1.1, §1.4", "The software activates the code the buyer gives it.", Required,
		"call the activate API with the buyer's license code"},
	{RuleLicenseHeartbeat, "license-login §1.1, §1.5", "The software checks the code's status on the first use of each day.", Required,
		"query the license status daily and trust its answer"},
	{RuleLicenseUsage, "license-login §1.6", "The software reports usage statistics daily (public-cloud products).", Required,
		"report usage statistics on the first use of each day"},
	{RuleLicenseBlocks, "license-login §1.1", "The software blocks the user when the code is not valid or cannot be confirmed.", Required,
		"block the user and guide them to renew"},
	{RuleLicenseRuns, "license-login §1.1", "With a valid code the software runs.", Required,
		"let the user in with a valid code"},
	{RuleLicenseTimeout, "license-login §1.1", "The software gives up on a call KooGallery does not answer.", Required,
		"set a timeout on license API calls"},
	{RuleLicenseCall, "license-login §1", "The outcome of one license API call (a record, not a seller rule).", Required,
		"read KooGallery's answer"},
	{RuleLicenseReleaseIdempotent, "license-login §1.7", "Releasing a license code already released succeeds.", Required,
		"answer 000000 when a code is released again"},
	{RuleKitClientSecret, "saas-v2 §5", "The seller decrypts applicationSync's clientSecret with its private key.", Required,
		"decrypt clientSecret with RSA-OAEP and the key pair registered for the product"},
	{RuleOAuthClient, "license-login §2", "Token calls authenticate with the tenant's clientId and decrypted clientSecret.", Required,
		"use the clientId and clientSecret of the tenant's applicationSync"},
	{RuleOAuthDomain, "license-login §2", "The seller calls the tenant's domainName from tenantSync.", Required,
		"look the tenant's domainName up per tenant"},
	{RuleOAuthCode, "license-login §2", "An authorization code is redeemed once, in time, by its client, with its redirect URI.", Required,
		"redeem each code at once with the redirect_uri it was issued for"},
	{RuleOAuthRedirectURI, "license-login §2", "authorize names the registered callback exactly.", Required,
		"send the callback URL registered for the app"},
	{RuleOAuthCodeReuse, "license-login §2", "A code is never redeemed twice.", Required,
		"redeem each authorization code once"},
	{RuleOAuthRefresh, "license-login §2", "The seller renews the access token with its refresh token.", Required,
		"refresh the access token before it expires; never reuse a revoked refresh token"},
	{RuleOAuthAccessToken, "license-login §2", "userinfo is called with a valid, unexpired bearer token.", Required,
		"call userinfo with the current access token"},
	{RuleLoginSession, "license-login §2", "After the login the seller holds a session for the user.", Required,
		"start a session after the token and userinfo calls"},
	{RuleLoginLogout, "license-login §2", "Logging out ends the seller's session and the identity provider's.", Required,
		"end your session, then send the browser to {domainName}/api/v1/logout"},
	{RuleLoginRefused, "license-login §2", "When the code or refresh token is refused, the seller holds no session and shows its own page.", Required,
		"drop the session and show an error page of your own"},
	{RuleCASTicket, "license-login §3", "A service ticket is validated once, in time, for its service.", Required,
		"validate each ticket once with the service it was issued for"},
	{RuleTemplateParse, "license-login §5", "The template parses as HCL (.tf) or JSON (.tf.json).", Required,
		"fix the syntax error the finding names"},
	{RuleTemplateDataSource, "license-login §5", "The template reads its package through huaweicloud_koogallery_assets.", Required,
		"add a data \"huaweicloud_koogallery_assets\" block with asset_id and deployed_type"},
	{RuleTemplateDeployedType, "license-login §5", "deployed_type is software_package or image.", Required,
		"set deployed_type to software_package or image"},
	{RuleTemplateAssetExists, "license-login §5", "The asset and version the data source names exist in the asset centre.", Required,
		"upload the package (koomock asset add) or fix asset_id and asset_version"},
	{RuleTemplateDecoded, "license-login §5", "internal_path reaches user_data un-escaped with jsondecode.", Required,
		"wrap it: jsondecode(\"\\\"${...internal_path}\\\"\")"},
	{RuleTemplateDownloads, "license-login §5", "A server's user_data downloads the decoded package URL.", Required,
		"download the decoded internal_path in user_data"},
	{RuleTemplateAttached, "license-login §5", "The asset has an auto-deploy template attached before submission.", Advisory,
		"attach the template once it passes (koomock template check --attach)"},
	{RuleTemplateDescription, "license-login §5", "Every variable has a description, which the buyer reads when deploying.", Advisory,
		"give every variable a description"},
	{RuleTemplateSensitive, "license-login §5", "A password-like variable is sensitive.", Advisory,
		"mark the variable sensitive = true"},
	{RuleWorkbenchFraming, "license-login §2.8", "The app's pages let the 开天 workbench frame them (X-Frame-Options, CSP frame-ancestors).", Required,
		"drop X-Frame-Options DENY/SAMEORIGIN and admit KooGallery's workbench in frame-ancestors"},
	{RuleWorkbenchCookie, "license-login §2.8", "The app's session cookie works in the workbench's third-party iframe (SameSite=None; Secure).", Advisory,
		"set the session cookie with SameSite=None; Secure (and serve the app over HTTPS)"},
	{RuleWorkbenchState, "license-login §2.8", "The callback accepts a login the workbench started: code and tenant, no state of the app's own.", Required,
		"accept a callback without state: look the tenant up from the tenant parameter and redeem the code"},
	{RuleWorkbenchMobile, "license-login §2.8", "The framed app renders at 375 px width without horizontal scrolling.", Advisory,
		"give the app a responsive layout (meta viewport, no fixed widths above 375 px)"},
	{RuleReadinessHTTPS, "saas-v2 §1", "The production interface is served over HTTPS.", Required,
		"serve the production interface over HTTPS"},
	{RuleReadinessPort, "saas-v2 §1", "The production interface listens on port 443, the only port KooGallery calls.", Required,
		"serve the production interface on port 443"},
	{RuleReadinessDomain, "saas-v2 §1", "The production interface has a public domain name, not an IP address.", Required,
		"register a public domain name for the production interface"},
	{RuleReadinessTLS, "saas-v2 §1", "The seller negotiates TLS 1.2 or later.", Required,
		"offer TLS 1.2 or later"},
	{RuleReadinessCert, "saas-v2 §1", "The certificate is trusted, current and issued for the domain.", Required,
		"use a publicly trusted certificate for the domain"},
	{RuleReadinessDeadline, "saas-v2 §1", "The production interface answers in time from outside.", Required,
		"answer within 5 s"},
}

// Rules returns every rule koomock checks, in report order.
func Rules() []RuleInfo { return append([]RuleInfo(nil), registry...) }

// InfoOf returns what the registry says about rule.
func InfoOf(rule Rule) (RuleInfo, bool) {
	for _, info := range registry {
		if info.Rule == rule {
			return info, true
		}
	}
	return RuleInfo{}, false
}
