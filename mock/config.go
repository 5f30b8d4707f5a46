package mock

import (
	"errors"
	"fmt"
	"github.com/koomock/koomock"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/koomock/koomock/clock"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/ids"
	"github.com/koomock/koomock/mock/delivery"
	"github.com/koomock/koomock/mock/license"
	"github.com/koomock/koomock/mock/notify"
	"github.com/koomock/koomock/mock/saas"
	"github.com/koomock/koomock/store"
)

// DefaultAddr is where koomock listens unless told otherwise: loopback only, because the control API
// can drive callbacks at any URL.
const DefaultAddr = "127.0.0.1:8080"

// Config configures a Server. The zero value works: an in-memory store, the demo keys, no seller.
type Config struct {
	// Addr is the listen address; ":0" or "127.0.0.1:0" picks a free port.
	Addr string
	// TLS, when its Addr is set, serves the same handler over HTTPS as well.
	TLS TLSConfig
	// PublicURL is the base URL koomock hands out in URLs (tenant domainName, login redirects); by
	// default the URL it listens on. Behind a container boundary it must be set explicitly.
	PublicURL string
	// DB is the SQLite file, or store.Memory.
	DB string
	// SellerURL is the seller's production interface URL; callbacks go there.
	SellerURL string
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
	// Strict makes every advisory rule required (koomock verify --strict).
	Strict bool
	// License holds the License 2.0 settings: the license URL and key (default: the seller URL and
	// access key), retries and the switches for what the spec leaves uncertain; its freeze window is
	// FreezeFor unless set.
	License license.Settings
	// Version is reported by /healthz and the settings.
	Version string
	// AdminToken, when set, guards the control API (Authorization: Bearer) and the console (a login).
	// It is required when Addr is not a loopback address.
	AdminToken string

	// KooGallery's behaviours where the spec leaves a choice (README, "Fidelity and limits"); zero
	// values take the documented defaults.
	//
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

	// Joint operation (联营): see joint.go for defaults and checks.
	Joint JointConfig

	// Limits are the HTTP server's timeouts and connection cap (limits.go); zero values take the
	// defaults.
	Limits Limits

	// Clock is koomock's one clock; real time by default.
	Clock *clock.Clock
	// IDs makes every identifier and nonce; crypto/rand by default.
	IDs *ids.Source
	// Logger receives koomock's logs; discarded when nil. Keys never appear in them.
	Logger *slog.Logger
	// HTTPClient sends callbacks; by default a client that never follows redirects.
	HTTPClient *http.Client
	// Spec overrides the embedded OpenAPI documents (a directory with seller.yaml).
	Spec fs.FS
}

// normalize fills in defaults and rejects impossible settings, in one place.
func (c Config) normalize() (Config, error) {
	if c.Addr == "" {
		c.Addr = DefaultAddr
	}
	if c.DB == "" {
		c.DB = store.Memory
	}
	if c.AccessKey == "" {
		c.AccessKey = fixtures.DemoAccessKey
	}
	if c.AK == "" && c.SK == "" {
		c.AK, c.SK = fixtures.DemoAK, fixtures.DemoSK
	}
	if c.AK == "" || c.SK == "" {
		return c, errors.New("AK and SK go together: set both or neither")
	}
	if c.CallbackTimeout == 0 {
		c.CallbackTimeout = notify.Timeout
	}
	if c.CallbackTimeout < 0 {
		return c, errors.New("callback timeout must be positive")
	}
	if c.SellerURL != "" {
		if err := checkHTTPURL("seller URL", c.SellerURL); err != nil {
			return c, err
		}
	}
	if c.PublicURL != "" {
		if err := checkHTTPURL("public URL", c.PublicURL); err != nil {
			return c, err
		}
	}
	if c.AdminToken == "" && !isLoopback(c.Addr) {
		return c, fmt.Errorf("koomock would listen on %s: %w", c.Addr, ErrAdminTokenRequired)
	}
	if err := c.TLS.normalize(c.AdminToken); err != nil {
		return c, err
	}
	if c.Version == "" {
		c.Version = "dev"
	}
	if err := c.normalizeMarket(); err != nil {
		return c, err
	}
	if err := c.Joint.normalize(); err != nil {
		return c, err
	}
	c.Limits = c.Limits.normalize()
	if c.Clock == nil {
		c.Clock = clock.New(nil)
	}
	if c.IDs == nil {
		c.IDs = ids.New(nil)
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if c.HTTPClient == nil {
		c.HTTPClient = notify.NewHTTPClient()
	}
	return c, nil
}

func checkHTTPURL(what, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%s %q is not an absolute http:// or https:// URL", what, raw)
	}
	return nil
}

// normalizeMarket fills in the market's documented defaults and rejects impossible schedules.
func (c *Config) normalizeMarket() error {
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

// Policy is how the config settles broken rules: --strict makes every advisory rule required, and
// --require-body-sign makes answer.bodySign so.
func (c Config) Policy() koomock.Policy {
	p := koomock.Policy{Strict: c.Strict}
	if c.RequireBodySign {
		p.Raised = append(p.Raised, koomock.RuleBodySign)
	}
	return p
}

// marketOptions are the market's options from the config.
func (c Config) marketOptions() saas.Options {
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
