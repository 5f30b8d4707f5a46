package protocol

// ResultCode is the six-digit outcome a seller puts in "resultCode" (spec saas-v2 §4).
type ResultCode string

// The result codes of spec saas-v2 §4.
const (
	ResultSuccess          ResultCode = "000000"
	ResultAuthFailed       ResultCode = "000001"
	ResultInvalidParam     ResultCode = "000002"
	ResultNoSuchInstance   ResultCode = "000003"
	ResultProcessing       ResultCode = "000004"
	ResultInternalError    ResultCode = "000005"
	ResultNoResource       ResultCode = "000100"
	ResultMobileProblem    ResultCode = "000101"
	ResultEmailProblem     ResultCode = "000102"
	ResultAlreadyPurchased ResultCode = "000103"
	ResultProductError     ResultCode = "000104"
	ResultAlreadyBenefit   ResultCode = "000105"
	ResultSoldOut          ResultCode = "000106"
	ResultDomainExists     ResultCode = "000107"
)

var resultMeanings = map[ResultCode]string{
	ResultSuccess:          "success",
	ResultAuthFailed:       "authentication (signature) failed",
	ResultInvalidParam:     "invalid request parameter",
	ResultNoSuchInstance:   "instance ID does not exist",
	ResultProcessing:       "request being processed (asynchronous creation)",
	ResultInternalError:    "other internal error",
	ResultNoResource:       "no instance resource available",
	ResultMobileProblem:    "mobile number missing or already exists",
	ResultEmailProblem:     "e-mail missing or already exists",
	ResultAlreadyPurchased: "product already purchased",
	ResultProductError:     "internal service error of the product",
	ResultAlreadyBenefit:   "account already subscribed to the benefit",
	ResultSoldOut:          "product resources sold out",
	ResultDomainExists:     "SaaS e-mail domain already exists",
}

// Meaning returns the spec's description of the code and whether the code is in the spec's table.
func (c ResultCode) Meaning() (string, bool) {
	m, ok := resultMeanings[c]
	return m, ok
}

// Known reports whether the code is in the spec's table.
func (c ResultCode) Known() bool {
	_, ok := resultMeanings[c]
	return ok
}
