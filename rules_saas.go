package koomock

// The rules of the SaaS V2 instance activities (spec saas-v2 §3).
const (
	// RuleQueryAllIDs: a queryInstance answer carries every requested instance in info (§3.2).
	RuleQueryAllIDs Rule = "queryInstance.allIds"
	// RuleQueryAppInfo: every instance in a queryInstance answer has appInfo with frontEndUrl (§3.2).
	RuleQueryAppInfo Rule = "queryInstance.appInfo"
	// RuleQueryUsageInfo: on-demand and package instances report usageInfo (§3.2).
	RuleQueryUsageInfo Rule = "queryInstance.usageInfo"
	// RuleQueryUsage: the usage an on-demand instance reports is not less than what the seller pushed
	// for it (§3.2 usageInfo, §6.3).
	RuleQueryUsage Rule = "queryInstance.usage"
	// RuleQueryMemo: appInfo.memo carries non-ASCII characters as \uXXXX escapes (§3.2).
	RuleQueryMemo Rule = "queryInstance.memo"
	// RuleQueryLimit: a queryInstance with more than 100 instance IDs is refused with 000002 (§3.2).
	RuleQueryLimit Rule = "queryInstance.limit"
	// RuleUnknownInstance: a callback naming an instance the seller does not have is answered 000003 (§4).
	RuleUnknownInstance Rule = "instance.unknown"
	// RuleReleaseIdempotent: releasing an instance already released succeeds (§1, §3.5).
	RuleReleaseIdempotent Rule = "releaseInstance.idempotent"
	// RuleAsyncCreation: an instance answered with 000004 is delivered through queryInstance before
	// KooGallery's create window closes (§1, §3.1).
	RuleAsyncCreation Rule = "newInstance.async"
	// RuleOrderQuery: the seller looks up, with the order query API, the order a callback names
	// (newInstance, upgradeInstance), since V2 callbacks carry no customer or product data (§3.1, §6.2).
	RuleOrderQuery Rule = "orderQuery.used"
	// RuleDuplicate: a callback KooGallery delivers twice is accepted both times, with the same
	// answer (§1, idempotency).
	RuleDuplicate Rule = "delivery.duplicate"
	// RuleDialTest: a saved debug case still passes when KooGallery replays it as a dial test (§1).
	RuleDialTest Rule = "dialTest.passed"
)

// The rules of the seller's usage push (spec saas-v2 §6.3).
const (
	// RuleUsageSignature: the new usage push carries ts, nonce and a valid signature.
	RuleUsageSignature Rule = "request.usageSignature"
	// RuleUsageRecords: every pushed record is valid (times, amount, an on-demand instance of the
	// seller's, begin_time within 21 days) and KooGallery accepted the push.
	RuleUsageRecords Rule = "request.usageRecords"
	// RuleUsagePushed: the seller pushes usage for its on-demand instances.
	RuleUsagePushed Rule = "usagePush.pushed"
)
