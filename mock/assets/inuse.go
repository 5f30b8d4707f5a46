package assets

import (
	"context"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
)

// inUse refuses to delete versions a bought product may be running: a License code bought (not a
// test code) and not released, created once the version existed, means a buyer may deploy that
// version (or has), as KooGallery keeps an asset version a sold product uses. The refusal names the
// code and says what to do.
func (s *Service) inUse(ctx context.Context, a koomock.Asset, versions []koomock.AssetVersion) error {
	codes, err := s.Store.LicenseCodes(ctx)
	if err != nil {
		return err
	}
	for _, v := range versions {
		n, first := 0, koomock.LicenseCode{}
		for _, c := range codes {
			if c.TestFlag != "" || c.State == koomock.LicenseReleased || c.CreatedAt.Before(v.CreatedAt) {
				continue
			}
			if n == 0 || c.CreatedAt.Before(first.CreatedAt) {
				first = c
			}
			n++
		}
		if n > 0 {
			return controlapi.Errorf(controlapi.CodeConflict,
				"version %s of asset %s is in use by a bought product: %d license code(s) not released were bought since it was uploaded (the first %s, order %s); upload a new version for new buyers, and delete this one once they are released",
				v.Version, a.ID, n, first.Code, first.OrderID)
		}
	}
	return nil
}
