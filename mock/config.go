package mock

import (
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"

	"github.com/koomock/koomock"

	"github.com/koomock/koomock/clock"
	"github.com/koomock/koomock/ids"
	"github.com/koomock/koomock/mock/assets"
	"github.com/koomock/koomock/mock/license"
	"github.com/koomock/koomock/mock/notify"
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
	// Market holds the SaaS market's settings: the seller, the keys, the callbacks' timeout and
	// signing, and KooGallery's behaviours where the spec leaves a choice.
	Market MarketConfig
	// Strict makes every advisory rule required (koomock verify --strict).
	Strict bool
	// License holds the License 2.0 settings: the license URL and key (default: the market's seller
	// URL and access key), retries and the switches for what the spec leaves uncertain; its freeze
	// window is Market.FreezeFor unless set.
	License license.Settings
	// Assets holds the asset centre's settings: where packages are stored (default: beside the
	// database file, "koomock.db-assets"), how long download URLs stay valid, and the deployed-object
	// path spelling the spec leaves uncertain.
	Assets assets.Settings
	// Version is reported by /healthz and the settings.
	Version string
	// AdminToken, when set, guards the control API (Authorization: Bearer) and the console (a login).
	// It is required when Addr is not a loopback address.
	AdminToken string

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
	if err := c.Market.normalize(); err != nil {
		return c, err
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

// Policy is how the config settles broken rules: --strict makes every advisory rule required, and
// --require-body-sign makes answer.bodySign so.
func (c Config) Policy() koomock.Policy {
	p := koomock.Policy{Strict: c.Strict}
	if c.Market.RequireBodySign {
		p.Raised = append(p.Raised, koomock.RuleBodySign)
	}
	return p
}
