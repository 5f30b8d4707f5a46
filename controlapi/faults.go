package controlapi

// The faults the flows declare, by the name POST /_mock/faults switches them on with. Each flow
// declares its own in Open; the names live here, in the contract, so that the runner and the console
// name them without importing a flow.
const (
	// FaultSellerUnreachable: a callback is not sent, as if the seller were down (every callback).
	FaultSellerUnreachable = "seller-unreachable"
	// FaultCallbackTamper: a callback's signature is tampered with (every callback).
	FaultCallbackTamper = "callback-tamper-signature"
	// FaultCallbackDuplicate: a callback is delivered twice (every callback).
	FaultCallbackDuplicate = "callback-duplicate"
	// FaultLicenseGatewayError: API Gateway answers a license API with an error instead.
	FaultLicenseGatewayError = "license-gateway-error"
	// FaultLicenseGatewayLatency: a license API's answer is held back.
	FaultLicenseGatewayLatency = "license-gateway-latency"
	// FaultLicenseStatus: the license query (heartbeat) API reports another status.
	FaultLicenseStatus = "license-status"
	// FaultOAuthTokenError: the identity provider's token endpoint refuses a call with an OAuth error.
	FaultOAuthTokenError = "oauth-token-error"
)

// DialTestTarget is the fault target that hits dial tests alone.
const DialTestTarget = "dialTest"

// DialTestFreezeAfterDays is how many consecutive failing days of dial tests freeze a product.
const DialTestFreezeAfterDays = 5
