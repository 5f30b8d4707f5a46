package koomock

// The rules of production readiness (koomock verify --production): what KooGallery needs of the
// seller's URL before it calls it at all (spec saas-v2 §1).
const (
	// RuleReadinessHTTPS: the production interface is served over HTTPS.
	RuleReadinessHTTPS Rule = "readiness.https"
	// RuleReadinessPort: the production interface listens on port 443.
	RuleReadinessPort Rule = "readiness.port"
	// RuleReadinessDomain: the production interface has a public domain name.
	RuleReadinessDomain Rule = "readiness.domain"
	// RuleReadinessTLS: the seller negotiates TLS 1.2 or later.
	RuleReadinessTLS Rule = "readiness.tlsVersion"
	// RuleReadinessCert: the certificate is trusted, current and for the domain.
	RuleReadinessCert Rule = "readiness.certificate"
	// RuleReadinessDeadline: the production interface answers in time from outside.
	RuleReadinessDeadline Rule = "readiness.deadline"
)
