package mock

import (
	"errors"
	"fmt"
	"time"

	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/mock/delivery"
	"github.com/koomock/koomock/mock/notify"
	"github.com/koomock/koomock/mock/saas"
)

// MarketConfig configures the SaaS market: the seller it calls back, the keys both sides sign with,
// and KooGallery's behaviours where the spec leaves a choice (README, "Fidelity and limits"). Zero
// values take the documented defaults.
type MarketConfig struct {
	// SellerURL is the seller's production interface URL; callbacks go there.
	SellerURL string
	// BundledSeller says SellerURL is koomock's bundled reference seller, run in-process because no
	// seller URL was given; the settings and the console say so.
	BundledSeller bool
	// AccessKey signs the basic-interface callbacks.
	AccessKey string
	// AK and SK are the seller's API credentials: calls to koomock's open APIs must be signed with them
	// (APIG SDK-HMAC-SHA256).
	AK, SK string
	// CallbackTimeout is how long koomock waits for the seller; KooGallery waits 5 s.
	CallbackTimeout time.Duration
	// Explain adds, to an open API's 401 for a bad AK/SK signature, headers with koomock's diagnosis
	// (the canonical request it expected, the mistake recognised). The real gateway tells nothing.
	Explain bool
	// RequireBodySign fails answers without a valid Body-Sign header, or with a wrong one (off for V2,
	// spec saas-v2 §2.4: then a present Body-Sign is checked, and a wrong one is a warning).
	RequireBodySign bool

	// RetryEvery is the time between attempts at a failed callback (10 minutes).
	RetryEvery time.Duration
	// RetryCreateFor and RetryOtherFor are how long newInstance and upgradeInstance (3 h), and
	// renewal, expiry and release callbacks (1 h), are retried.
	RetryCreateFor, RetryOtherFor time.Duration
	// AsyncPollEvery is how often queryInstance is polled after a 000004 newInstance (5 minutes).
	AsyncPollEvery time.Duration
	// FreezeFor is the freeze window between expiry and release (15 days).
	FreezeFor time.Duration
	// TestFlagZero sends testFlag "0" on real callbacks instead of omitting it.
	TestFlagZero bool
	// ProductInfoString sends changeInstanceCheck's productInfo as a JSON string, not an object.
	ProductInfoString bool
	// ExpireTimeDigits is refreshInstance's expireTime: 14 digits (yyyyMMddHHmmss) or 17 (with ms).
	ExpireTimeDigits int
	// StrictUsageInfo fails queryInstance answers spelling usageInfo as usageInfos.
	StrictUsageInfo bool
	// UsagePushAPIG makes the new usage push require API Gateway AK/SK too.
	UsagePushAPIG bool
	// DialTimes are the dial tests' times of day in UTC+8 (09:00 and 15:00).
	DialTimes []time.Duration
}

// normalize fills in the market's documented defaults and rejects impossible settings.
func (c *MarketConfig) normalize() error {
	if c.AccessKey == "" {
		c.AccessKey = fixtures.DemoAccessKey
	}
	if c.AK == "" && c.SK == "" {
		c.AK, c.SK = fixtures.DemoAK, fixtures.DemoSK
	}
	if c.AK == "" || c.SK == "" {
		return errors.New("AK and SK go together: set both or neither")
	}
	if c.CallbackTimeout == 0 {
		c.CallbackTimeout = notify.Timeout
	}
	if c.CallbackTimeout < 0 {
		return errors.New("callback timeout must be positive")
	}
	if c.SellerURL != "" {
		if err := checkHTTPURL("seller URL", c.SellerURL); err != nil {
			return err
		}
	}
	def := saas.DefaultOptions()
	for _, d := range []struct {
		v    *time.Duration
		def  time.Duration
		name string
	}{
		{&c.RetryEvery, def.OtherRetry.Every, "retry interval"},
		{&c.RetryCreateFor, def.CreateRetry.For, "create retry window"},
		{&c.RetryOtherFor, def.OtherRetry.For, "retry window"},
		{&c.AsyncPollEvery, def.AsyncPollEvery, "asynchronous creation poll interval"},
		{&c.FreezeFor, def.FreezeFor, "freeze window"},
	} {
		if *d.v < 0 {
			return fmt.Errorf("%s must be positive", d.name)
		}
		if *d.v == 0 {
			*d.v = d.def
		}
	}
	if c.ExpireTimeDigits == 0 {
		c.ExpireTimeDigits = def.ExpireTimeDigits
	}
	if c.ExpireTimeDigits != 14 && c.ExpireTimeDigits != 17 {
		return fmt.Errorf("expireTime digits must be 14 or 17, not %d", c.ExpireTimeDigits)
	}
	for _, t := range c.DialTimes {
		if t < 0 || t >= 24*time.Hour {
			return fmt.Errorf("dial time %s is not a time of day", t)
		}
	}
	return nil
}

// options are the market flow's options from the config.
func (c MarketConfig) options() saas.Options {
	return saas.Options{
		CreateRetry:       delivery.Policy{Every: c.RetryEvery, For: c.RetryCreateFor},
		OtherRetry:        delivery.Policy{Every: c.RetryEvery, For: c.RetryOtherFor},
		AsyncPollEvery:    c.AsyncPollEvery,
		FreezeFor:         c.FreezeFor,
		TestFlagZero:      c.TestFlagZero,
		ProductInfoString: c.ProductInfoString,
		ExpireTimeDigits:  c.ExpireTimeDigits,
		StrictUsageInfo:   c.StrictUsageInfo,
	}
}
