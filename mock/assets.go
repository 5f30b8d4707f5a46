package mock

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"

	"github.com/koomock/koomock/mock/assets"
	"github.com/koomock/koomock/store"
)

// newAssets builds and opens the asset centre on the server's parts. Packages go beside a file
// database ("koomock.db-assets"), or into a temporary directory for an in-memory one.
func newAssets(s *Server) (*assets.Service, error) {
	settings := s.cfg.Assets
	if settings.Dir == "" && s.cfg.DB != store.Memory {
		settings.Dir = s.cfg.DB + "-assets"
	}
	// Derived from the SK, download URLs stay valid across restarts without another secret to keep.
	key := hmac.New(sha256.New, []byte(s.cfg.SK))
	key.Write([]byte("koomock asset download URLs"))
	a := &assets.Service{
		Store: s.store, Gateway: s.gateway, Now: s.cfg.Clock.Now, IDs: s.cfg.IDs, SigningKey: key.Sum(nil),
		PublicURL: s.cfg.PublicURL, Fetch: s.cfg.HTTPClient, Settings: settings, Logger: s.cfg.Logger,
	}
	if err := a.Open(context.Background()); err != nil {
		return nil, err
	}
	return a, nil
}
