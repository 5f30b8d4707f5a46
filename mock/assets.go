package mock

import (
	"crypto/hmac"
	"crypto/sha256"

	"github.com/koomock/koomock/mock/assets"
	"github.com/koomock/koomock/store"
)

// newAssets builds the asset centre on the server's parts (openFlows starts it). Packages go beside a file
// database ("koomock.db-assets"), or into a temporary directory for an in-memory one.
func newAssets(s *Server) *assets.Service {
	settings := s.cfg.Assets
	if settings.Dir == "" && s.cfg.DB != store.Memory {
		settings.Dir = s.cfg.DB + "-assets"
	}
	// Derived from the SK, download URLs stay valid across restarts without another secret to keep.
	key := hmac.New(sha256.New, []byte(s.cfg.Market.SK))
	key.Write([]byte("koomock asset download URLs"))
	a := &assets.Service{
		Store: s.store, Gateway: s.gateway, Now: s.cfg.Clock.Now, IDs: s.cfg.IDs, SigningKey: key.Sum(nil),
		PublicURL: s.cfg.PublicURL, Fetch: s.cfg.HTTPClient, Settings: settings, Logger: s.cfg.Logger,
	}
	return a
}
