package main

import (
	"time"

	"github.com/koomock/koomock/mock"
)

// marketFlags set how koomock behaves where KooGallery's documentation leaves a choice (README,
// "Fidelity and limits"); unset flags take the documented defaults.
type marketFlags struct {
	retryEvery, retryCreateFor, retryOtherFor, asyncPollEvery       durationValue
	testFlagZero, productInfoString, strictUsageInfo, usagePushAPIG bool
	expireTimeDigits                                                int
}

func (m *marketFlags) register(fs *flagSet) {
	fs.Var(&m.retryEvery, "retry-every", "time between attempts at a failed callback (default 10m; the V2 cadence is not documented)")
	fs.Var(&m.retryCreateFor, "retry-create-for", "how long a failed newInstance or upgradeInstance is retried (default 3h)")
	fs.Var(&m.retryOtherFor, "retry-other-for", "how long a failed renewal, expiry or release callback is retried (default 1h)")
	fs.Var(&m.asyncPollEvery, "async-poll-every", "how often queryInstance is polled after newInstance answered 000004 (default 5m)")
	fs.BoolVar(&m.testFlagZero, "test-flag-zero", false, `send testFlag "0" on real callbacks instead of omitting it (older V2 pages)`)
	fs.BoolVar(&m.productInfoString, "product-info-string", false, "send changeInstanceCheck's productInfo as a JSON string instead of an object")
	fs.IntVar(&m.expireTimeDigits, "expire-time-digits", 14, "refreshInstance's expireTime: 14 digits (yyyyMMddHHmmss, documented) or 17 (with milliseconds, as in the docs' example)")
	fs.BoolVar(&m.strictUsageInfo, "strict-usage-info", false, "fail queryInstance answers that spell usageInfo as usageInfos (accepted by default)")
	fs.BoolVar(&m.usagePushAPIG, "usage-push-apig", false, "require API Gateway AK/SK on the new usage push too, besides its ts/nonce/signature")
}

// apply sets the market's behaviours where the spec leaves a choice.
func (m *marketFlags) apply(c *mock.MarketConfig) {
	c.RetryEvery = time.Duration(m.retryEvery)
	c.RetryCreateFor = time.Duration(m.retryCreateFor)
	c.RetryOtherFor = time.Duration(m.retryOtherFor)
	c.AsyncPollEvery = time.Duration(m.asyncPollEvery)
	c.TestFlagZero = m.testFlagZero
	c.ProductInfoString = m.productInfoString
	c.ExpireTimeDigits = m.expireTimeDigits
	c.StrictUsageInfo = m.strictUsageInfo
	c.UsagePushAPIG = m.usagePushAPIG
}
