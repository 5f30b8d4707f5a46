package koomock

// The rules of License 2.0 (spec license-login §1) that koomock checks on the seller's software: the
// license client that activates a code and checks it. They are judged from the journal and from what
// the client did (its exit status or the documented markers), by `koomock verify --license-client-cmd`.
// The seller's answers to the license callbacks are judged by the generic answer rules (answer.*).
const (
	// RuleLicenseActivates: the software activates the code the buyer gives it (spec §1.1, §1.4).
	RuleLicenseActivates Rule = "licenseClient.activates"
	// RuleLicenseHeartbeat: the software queries the code's status (the heartbeat) on the first use of
	// each day, after activation, and trusts that answer over activate's estimate (spec §1.1, §1.5).
	RuleLicenseHeartbeat Rule = "licenseClient.heartbeat"
	// RuleLicenseUsage: the software reports usage statistics on the first use of each day (spec §1.6:
	// optional, but mandatory for License products sold on the public cloud).
	RuleLicenseUsage Rule = "licenseClient.usage"
	// RuleLicenseBlocks: when the code is expired, released, unknown or already activated elsewhere,
	// or KooGallery cannot confirm it (the gateway refuses, fails or does not answer in time), the
	// software blocks the user and guides them to renew (spec §1.1).
	RuleLicenseBlocks Rule = "licenseClient.blocks"
	// RuleLicenseRuns: with a valid code the software runs.
	RuleLicenseRuns Rule = "licenseClient.runs"
	// RuleLicenseTimeout: the software gives up on a call KooGallery does not answer, by its own timeout,
	// instead of hanging.
	RuleLicenseTimeout Rule = "licenseClient.timeout"
)

// RuleLicenseCall is the outcome of one call to the license APIs, recorded in the journal so a seller
// engineer can read why KooGallery answered as it did: pass for success, warn for a business refusal
// (unknown code, activating twice, ...), which is the client's to handle and not a broken rule.
const RuleLicenseCall Rule = "license.call"

// RuleLicenseReleaseIdempotent: releasing a license code already released succeeds; KooGallery resends
// releaseLicenseCode like every callback (spec license-login §1.7, saas-v2 §1).
const RuleLicenseReleaseIdempotent Rule = "releaseLicenseCode.idempotent"
