package assets

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/ids"
	"github.com/koomock/koomock/mock/apig"
	"github.com/koomock/koomock/store"
)

// Service is KooGallery's asset centre. Store, Gateway, Now, IDs and SigningKey are required; call
// Open before serving and Close after.
type Service struct {
	Store   *store.DB
	Gateway *apig.Gateway
	Now     func() time.Time
	IDs     *ids.Source
	// SigningKey signs download URLs; a URL koomock did not sign, or signed for other bytes, is refused.
	SigningKey []byte
	// PublicURL is the base of download URLs; empty means the URL the deployed-object call came to.
	PublicURL string
	// Fetch imports packages from OBS; http.DefaultClient when nil.
	Fetch    *http.Client
	Settings Settings
	Logger   *slog.Logger

	// writeMu serialises read-modify-write of an asset's record, so that two puts never overwrite
	// each other. Package bytes are received before it is taken.
	writeMu sync.Mutex
	ownsDir bool
}

// Open makes the package directory ready.
func (s *Service) Open(ctx context.Context) error {
	if s.Logger == nil {
		s.Logger = slog.New(slog.DiscardHandler)
	}
	settings, err := s.Settings.WithDefaults()
	if err != nil {
		return err
	}
	s.Settings = settings
	if s.Settings.Dir == "" {
		dir, err := os.MkdirTemp("", "koomock-assets-")
		if err != nil {
			return fmt.Errorf("asset package directory: %w", err)
		}
		s.Settings.Dir, s.ownsDir = dir, true
	}
	if err := os.MkdirAll(s.Settings.Dir, 0o750); err != nil {
		return fmt.Errorf("asset package directory: %w", err)
	}
	return nil
}

// Close removes the package directory when it was a temporary one.
func (s *Service) Close() {
	if s.ownsDir {
		if err := os.RemoveAll(s.Settings.Dir); err != nil {
			s.Logger.Warn("remove the asset packages' temporary directory", "dir", s.Settings.Dir, "err", err)
		}
	}
}

// packageFile is where a version's package is stored: named by its checksum, so that a replaced
// package never overwrites the bytes a download under way is reading.
func (s *Service) packageFile(assetID string, v koomock.AssetVersion) string {
	return filepath.Join(s.Settings.Dir, assetID, v.VersionID+"-"+v.Package.SHA256)
}

// asset returns an asset, answering a control-API not-found error for an unknown one.
func (s *Service) asset(ctx context.Context, id string) (koomock.Asset, error) {
	a, err := s.Store.Asset(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return a, controlapi.Errorf(controlapi.CodeNotFound, "asset %s does not exist", id)
	}
	return a, err
}

// Create adds an asset.
func (s *Service) Create(ctx context.Context, req controlapi.AssetRequest) (koomock.Asset, error) {
	if err := checkAssetName(req.Name); err != nil {
		return koomock.Asset{}, err
	}
	switch req.DeployedType {
	case koomock.DeploySoftwarePackage, koomock.DeployImage:
	case "":
		return koomock.Asset{}, controlapi.Errorf(controlapi.CodeInvalid, "deployedType is required: %s or %s", koomock.DeploySoftwarePackage, koomock.DeployImage)
	default:
		return koomock.Asset{}, controlapi.Errorf(controlapi.CodeInvalid, "deployedType %q: want %s or %s", req.DeployedType, koomock.DeploySoftwarePackage, koomock.DeployImage)
	}
	a := koomock.Asset{ID: s.IDs.UUID(), Name: req.Name, DeployedType: req.DeployedType, CreatedAt: s.Now(), Versions: []koomock.AssetVersion{}}
	if err := s.Store.CreateAsset(ctx, a); err != nil {
		return koomock.Asset{}, err
	}
	return a, nil
}

// Delete removes an asset and its packages, refusing while a version is in use by a bought product.
func (s *Service) Delete(ctx context.Context, id string) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	a, err := s.asset(ctx, id)
	if err != nil {
		return err
	}
	if err := s.inUse(ctx, a, a.Versions); err != nil {
		return err
	}
	if err := s.Store.DeleteAsset(ctx, id); err != nil {
		return err
	}
	if err := os.RemoveAll(filepath.Join(s.Settings.Dir, id)); err != nil {
		s.Logger.Warn("remove asset packages", "asset", id, "err", err)
	}
	return nil
}

// putVersion stores v as the asset's version v.Version (replacing one of that name, whose version ID
// it keeps), after check accepts the asset. A package already received at tmp is moved into place;
// on any failure tmp is removed, so nothing half-stored remains.
func (s *Service) putVersion(ctx context.Context, id string, v koomock.AssetVersion, tmp string) (koomock.Asset, error) {
	committed := false
	defer func() {
		if tmp != "" && !committed {
			os.Remove(tmp)
		}
	}()
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	a, err := s.asset(ctx, id)
	if err != nil {
		return a, err
	}
	if (v.Package != nil) != (a.DeployedType == koomock.DeploySoftwarePackage) {
		want := "a package"
		if a.DeployedType == koomock.DeployImage {
			want = "an image reference"
		}
		return a, controlapi.Errorf(controlapi.CodeInvalid, "asset %s deploys %s: a version of it is %s", id, a.DeployedType, want)
	}
	var old *koomock.AssetVersion
	v.VersionID, v.CreatedAt = s.IDs.UUID(), s.Now()
	for i := range a.Versions {
		if a.Versions[i].Version == v.Version {
			prev := a.Versions[i]
			old, v.VersionID = &prev, prev.VersionID
			a.Versions[i] = v
		}
	}
	if old == nil {
		a.Versions = append(a.Versions, v)
	}
	if tmp != "" {
		dst := s.packageFile(id, v)
		if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
			return a, err
		}
		if err := os.Rename(tmp, dst); err != nil {
			return a, err
		}
		if err := s.Store.PutAsset(ctx, a); err != nil {
			if old == nil || old.Package == nil || s.packageFile(id, *old) != dst {
				os.Remove(dst)
			}
			return a, err
		}
		committed = true
	} else if err := s.Store.PutAsset(ctx, a); err != nil {
		return a, err
	}
	if old != nil && old.Package != nil && (v.Package == nil || s.packageFile(id, *old) != s.packageFile(id, v)) {
		os.Remove(s.packageFile(id, *old))
	}
	return a, nil
}

// DeleteVersion removes one version and its package, refusing one in use by a bought product.
func (s *Service) DeleteVersion(ctx context.Context, id, version string) (koomock.Asset, error) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	a, err := s.asset(ctx, id)
	if err != nil {
		return a, err
	}
	v, ok := a.Version(version)
	if !ok {
		return a, controlapi.Errorf(controlapi.CodeNotFound, "asset %s has no version %s", id, version)
	}
	if err := s.inUse(ctx, a, []koomock.AssetVersion{v}); err != nil {
		return a, err
	}
	kept := make([]koomock.AssetVersion, 0, len(a.Versions))
	for _, av := range a.Versions {
		if av.Version != version {
			kept = append(kept, av)
		}
	}
	a.Versions = kept
	if err := s.Store.PutAsset(ctx, a); err != nil {
		return a, err
	}
	if v.Package != nil {
		os.Remove(s.packageFile(id, v))
	}
	return a, nil
}

// Reset removes every stored package, for a reset that has emptied the store: files whose records are
// gone would only fill the disk.
func (s *Service) Reset(context.Context) error {
	entries, err := os.ReadDir(s.Settings.Dir)
	if err != nil {
		return fmt.Errorf("asset packages: %w", err)
	}
	var errs []error
	for _, e := range entries {
		errs = append(errs, os.RemoveAll(filepath.Join(s.Settings.Dir, e.Name())))
	}
	return errors.Join(errs...)
}
