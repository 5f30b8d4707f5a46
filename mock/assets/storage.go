package assets

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/protocol"
)

// packageStem is the asset security standard's name rule (spec license-login §5): letters, digits,
// "-", "_" and half-width parentheses, before one of the allowed formats.
var packageStem = regexp.MustCompile(`^[A-Za-z0-9_()-]+$`)

// packageFormats are the allowed formats, longest first so that .tar.gz is not read as .gz.
var packageFormats = []string{".tar.gz", ".zip", ".tar"}

// checkPackageName applies the name and format rules.
func checkPackageName(name string) error {
	if name == "" {
		return controlapi.Errorf(controlapi.CodeInvalid, "packageName is required")
	}
	for _, f := range packageFormats {
		if stem, ok := strings.CutSuffix(name, f); ok {
			if !packageStem.MatchString(stem) {
				return controlapi.Errorf(controlapi.CodeInvalid, "package name %q: only letters, digits, -, _ and half-width parentheses may come before %s (asset security standard)", name, f)
			}
			return nil
		}
	}
	return controlapi.Errorf(controlapi.CodeInvalid, "package %q: the format must be .zip, .tar or .tar.gz (asset security standard)", name)
}

// versionName is koomock's rule for a version's name ("V1.0"): it goes into URLs and file names.
var versionName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

func checkVersion(v string) error {
	if !versionName.MatchString(v) {
		return controlapi.Errorf(controlapi.CodeInvalid, "version %q: 1 to 64 letters, digits, '.', '-' or '_', starting with a letter or digit", v)
	}
	return nil
}

// checkAssetName: the asset centre's rule for names is not in the spec; koomock asks for a name and
// bounds it.
func checkAssetName(name string) error {
	if strings.TrimSpace(name) == "" {
		return controlapi.Errorf(controlapi.CodeInvalid, "name is required")
	}
	if utf8.RuneCountInString(name) > 255 {
		return controlapi.Errorf(controlapi.CodeInvalid, "name is longer than 255 characters")
	}
	return nil
}

// checkRegion: packages live in Beijing-4, the only region the seed names; a version may say so.
func checkRegion(region string) (string, error) {
	switch region {
	case "", protocol.AssetRegionBeijing4:
		return protocol.AssetRegionBeijing4, nil
	}
	return "", controlapi.Errorf(controlapi.CodeInvalid, "region %q: koomock's asset centre serves %s (Beijing-4) only", region, protocol.AssetRegionBeijing4)
}

// errTooLarge is a package over the 20 GB limit.
var errTooLarge = controlapi.Errorf(controlapi.CodeInvalid, "the package is over 20 GB, the asset centre's limit")

// receive streams body into a temporary file in the package directory, hashing it as it goes, and
// returns the file and the package's size and SHA-256. want ≥ 0 is the size the sender announced: a
// body that ends before it is a truncated upload. wantSum, when set, must match. On any error the
// temporary file is gone.
func (s *Service) receive(body io.Reader, want int64, wantSum string) (tmp string, size int64, sum string, err error) {
	if want > protocol.AssetMaxPackageBytes {
		return "", 0, "", errTooLarge
	}
	f, err := os.CreateTemp(s.Settings.Dir, ".upload-*")
	if err != nil {
		return "", 0, "", err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	h := sha256.New()
	size, err = io.Copy(io.MultiWriter(f, h), io.LimitReader(body, protocol.AssetMaxPackageBytes+1))
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF) || (err == nil && want >= 0 && size != want):
		return "", 0, "", controlapi.Errorf(controlapi.CodeInvalid, "the upload was cut short: %d of %d bytes arrived; nothing was stored", size, want)
	case err != nil:
		return "", 0, "", controlapi.Errorf(controlapi.CodeInvalid, "the upload failed after %d bytes (%v); nothing was stored", size, err)
	case size > protocol.AssetMaxPackageBytes:
		return "", 0, "", errTooLarge
	case size == 0:
		return "", 0, "", controlapi.Errorf(controlapi.CodeInvalid, "the package is empty")
	}
	sum = hex.EncodeToString(h.Sum(nil))
	if wantSum != "" && !strings.EqualFold(wantSum, sum) {
		err = controlapi.Errorf(controlapi.CodeInvalid, "the package's SHA-256 is %s, not the %s announced; nothing was stored", sum, wantSum)
		return "", 0, "", err
	}
	if err = f.Close(); err != nil {
		return "", 0, "", err
	}
	return f.Name(), size, sum, nil
}

// Upload stores a package received from body as the asset's version.
func (s *Service) Upload(ctx context.Context, id, version string, up controlapi.AssetUpload) (koomock.Asset, error) {
	if err := checkVersion(version); err != nil {
		return koomock.Asset{}, err
	}
	if err := checkPackageName(up.PackageName); err != nil {
		return koomock.Asset{}, err
	}
	region, err := checkRegion(up.Region)
	if err != nil {
		return koomock.Asset{}, err
	}
	// Refuse before reading gigabytes when the asset cannot take a package anyway.
	if a, err := s.asset(ctx, id); err != nil {
		return a, err
	} else if a.DeployedType != koomock.DeploySoftwarePackage {
		return a, controlapi.Errorf(controlapi.CodeInvalid, "asset %s deploys %s: a version of it is an image reference, not a package", id, a.DeployedType)
	}
	tmp, size, sum, err := s.receive(up.Body, up.Size, up.SHA256)
	if err != nil {
		return koomock.Asset{}, err
	}
	return s.putVersion(ctx, id, koomock.AssetVersion{Version: version, Region: region,
		Package: &koomock.AssetPackage{Name: up.PackageName, Size: size, SHA256: sum}}, tmp)
}

// PutSource stores a version named by a JSON body: an image reference, or a package imported from OBS.
func (s *Service) PutSource(ctx context.Context, id, version string, src controlapi.AssetVersionSource) (koomock.Asset, error) {
	if err := checkVersion(version); err != nil {
		return koomock.Asset{}, err
	}
	region, err := checkRegion(src.Region)
	if err != nil {
		return koomock.Asset{}, err
	}
	switch {
	case src.Image != nil && src.OBSURL != "":
		return koomock.Asset{}, controlapi.Errorf(controlapi.CodeInvalid, "a version is an image or an OBS import, not both")
	case src.Image != nil:
		img := *src.Image
		if img.ImageID == "" || img.ImageName == "" || img.OSType == "" || img.Architecture == "" {
			return koomock.Asset{}, controlapi.Errorf(controlapi.CodeInvalid, "an image names its imageId, imageName, osType and architecture")
		}
		return s.putVersion(ctx, id, koomock.AssetVersion{Version: version, Region: region, Image: &img}, "")
	case src.OBSURL != "":
		return s.importOBS(ctx, id, version, region, src)
	}
	return koomock.Asset{}, controlapi.Errorf(controlapi.CodeInvalid, "name an image, an obsUrl, or send the package bytes as application/octet-stream")
}

// obsHost is an OBS endpoint host: bucket.obs.REGION.myhuaweicloud.com (virtual-hosted style) or
// obs.REGION.myhuaweicloud.com (path style).
var obsHost = regexp.MustCompile(`^(?:([a-z0-9][a-z0-9.-]*)\.)?obs\.([a-z0-9-]+)\.myhuaweicloud\.com$`)

// importOBS fetches a package from an OBS object URL, refused unless its bucket is in Beijing-4.
func (s *Service) importOBS(ctx context.Context, id, version, region string, src controlapi.AssetVersionSource) (koomock.Asset, error) {
	u, err := url.Parse(src.OBSURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return koomock.Asset{}, controlapi.Errorf(controlapi.CodeInvalid, "obsUrl %q is not an http(s) URL", src.OBSURL)
	}
	m := obsHost.FindStringSubmatch(strings.ToLower(u.Hostname()))
	if m == nil {
		return koomock.Asset{}, controlapi.Errorf(controlapi.CodeInvalid, "obsUrl host %q is not an OBS endpoint (BUCKET.obs.REGION.myhuaweicloud.com)", u.Hostname())
	}
	if m[2] != protocol.AssetRegionBeijing4 {
		return koomock.Asset{}, controlapi.Errorf(controlapi.CodeInvalid, "the bucket is in %s: packages are imported from OBS buckets in %s (Beijing-4) only", m[2], protocol.AssetRegionBeijing4)
	}
	name := src.PackageName
	if name == "" {
		name = path.Base(u.Path)
	}
	if err := checkPackageName(name); err != nil {
		return koomock.Asset{}, err
	}
	if a, err := s.asset(ctx, id); err != nil {
		return a, err
	} else if a.DeployedType != koomock.DeploySoftwarePackage {
		return a, controlapi.Errorf(controlapi.CodeInvalid, "asset %s deploys %s: a version of it is an image reference, not a package", id, a.DeployedType)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return koomock.Asset{}, controlapi.Errorf(controlapi.CodeInvalid, "obsUrl: %v", err)
	}
	hc := s.Fetch
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return koomock.Asset{}, controlapi.Errorf(controlapi.CodeInvalid, "import from OBS: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return koomock.Asset{}, controlapi.Errorf(controlapi.CodeInvalid, "import from OBS: the object answered HTTP %d", resp.StatusCode)
	}
	tmp, size, sum, err := s.receive(resp.Body, resp.ContentLength, "")
	if err != nil {
		return koomock.Asset{}, err
	}
	return s.putVersion(ctx, id, koomock.AssetVersion{Version: version, Region: region,
		Package: &koomock.AssetPackage{Name: name, Size: size, SHA256: sum, ImportedFrom: (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}).String()}}, tmp)
}
