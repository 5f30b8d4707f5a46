// Package saasapi serves the SaaS open APIs a seller's service calls on KooGallery (spec saas-v2 §6):
//
//	GET  /api/mkp-openapi-public/global/v1/order/query   the order query, behind API Gateway (AK/SK)
//	POST /api/mkp-openapi-public/global/v1/isv/usage-data usage push, new: ts/nonce/signature headers
//	                                                      (and AK/SK too with UsagePushAPIG)
//	POST /rest/marketplace/v1/isv/usage-data              usage push, old: AK/SK; records carry product_id
//
// Every call is journaled with its verdicts and validated against openapi/marketplace.yaml. Pushed
// records are stored by metering_sn, so a record pushed again counts once; queryInstance's usageInfo
// is later checked against them (package saas).
package saasapi
