package main

import (
	"time"

	"github.com/koomock/koomock/mock"
)

// sellerFlags are the flags every command that talks to a seller shares.
type sellerFlags struct {
	sellerURL string
	accessKey string
	timeout   durationValue
	// requireBodySign fails answers without a valid Body-Sign header. Off by default: the V2 docs
	// disagree and Huawei's V2 sample sends none (spec saas-v2 §2.4).
	requireBodySign bool
	// strict makes every advisory rule required: robustness beyond KooGallery fails the run.
	strict bool
	// ak and sk are the seller's credentials for KooGallery's open APIs (APIG AK/SK).
	ak, sk string
}

func (s *sellerFlags) register(fs *flagSet) {
	fs.StringVar(&s.sellerURL, "seller-url", "", "the seller's production interface `URL`")
	fs.StringVar(&s.accessKey, "access-key", "", "the access `key` bound to the basic interfaces (default: koomock's demo key)")
	fs.Var(&s.timeout, "timeout", "how long to wait for the seller's answer; KooGallery waits 5s, lower it only to speed up tests")
	fs.StringVar(&s.ak, "ak", "", "the access key `ID` the seller signs open-API calls with (order query, usage push, license APIs; default: koomock's demo AK)")
	fs.StringVar(&s.sk, "sk", "", "the secret `key` of --ak (default: koomock's demo SK)")
	fs.BoolVar(&s.requireBodySign, "require-body-sign", false, "fail answers without a valid Body-Sign header, and with a wrong one (V1 requires it; for V2 the docs disagree, so by default it is checked only when present, and a wrong one is a warning)")
	fs.BoolVar(&s.strict, "strict", false, "make every advisory rule required: robustness beyond what KooGallery enforces (null answer fields, unvalidated fields, raw UTF-8 memo) fails instead of warning")
}

// registerAdminToken adds --admin-token: the token guarding koomock's control API and console, which
// serve requires when it listens beyond loopback, and which verify sends to a koomock at --mock-url.
func registerAdminToken(fs *flagSet) *string {
	return fs.String("admin-token", "", "the admin `token` guarding the control API (Authorization: Bearer) and the console (a login); required to listen beyond loopback")
}

// market is the seller part of the market's configuration: where callbacks go, the keys, the
// timeout and the Body-Sign rule.
func (s *sellerFlags) market() mock.MarketConfig {
	return mock.MarketConfig{SellerURL: s.sellerURL, AccessKey: s.accessKey, CallbackTimeout: time.Duration(s.timeout),
		RequireBodySign: s.requireBodySign, AK: s.ak, SK: s.sk}
}
