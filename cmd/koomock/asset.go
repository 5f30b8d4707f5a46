package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/mock"
)

// runAsset dispatches koomock asset's subcommands: the asset centre from the command line.
func runAsset(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || (args[0] != "add" && args[0] != "list") {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			fmt.Fprintln(e.stderr, assetUsage)
			return exitOK
		}
		fmt.Fprintln(e.stderr, "koomock asset: name a subcommand (run koomock asset -h)\n"+assetUsage)
		return exitUsage
	}
	if args[0] == "list" {
		return runAssetList(ctx, e, args[1:])
	}
	return runAssetAdd(ctx, e, args[1:])
}

const assetUsage = `Usage: koomock asset add FILE --name NAME --version V1.0 [--asset-id ID] [--mock-url URL]
       koomock asset list [--mock-url URL]

  add   upload FILE (.zip, .tar, .tar.gz) as a version of a software_package asset: the asset with the
        ID, else the one called NAME, else a new one; prints the data source block for your template
  list  list the assets and their versions

Run koomock asset add -h for add's flags.`

// assetClient registers the flags every asset subcommand takes and returns a function making the
// control client once they are parsed.
func assetClient(fs *flagSet) (mockURL *string, client func() *controlapi.Client) {
	mockURL = fs.String("mock-url", "http://"+mock.DefaultAddr, "the running koomock whose asset centre to use")
	token := registerAdminToken(fs)
	return mockURL, func() *controlapi.Client { return &controlapi.Client{BaseURL: *mockURL, Token: *token} }
}

// assetFailed reports a failed control-API call: koomock refusing the package (a KooGallery rule: exit
// 1) or not reachable (exit 2).
func assetFailed(e *env, mockURL string, err error) int {
	var unreachable *controlapi.UnreachableError
	if errors.As(err, &unreachable) {
		fmt.Fprintf(e.stderr, "koomock asset: no koomock at %s (start one with koomock serve, or pass --mock-url): %v\n", mockURL, unreachable.Err)
		return exitUsage
	}
	fmt.Fprintf(e.stderr, "koomock asset: %v\n", err)
	if controlapi.ErrorCode(err) == controlapi.CodeInvalid {
		return exitRule
	}
	return exitUsage
}

func runAssetAdd(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "asset add", "asset add FILE --name NAME --version VERSION [flags]")
	name := fs.String("name", "", "the asset's `name`: an existing software_package asset of that name gets the version, else a new asset is made")
	version := fs.String("version", "", "the `version` to upload, e.g. V1.0 (an existing one is replaced)")
	assetID := fs.String("asset-id", "", "add the version to the asset with this `ID` instead of looking it up by --name")
	pkgName := fs.String("package-name", "", "the package's `name` in the asset centre (default: FILE's base name)")
	mockURL, client := assetClient(fs)
	var file string
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		file, args = args[0], args[1:]
	}
	if err := fs.parse(args); err != nil {
		return usageError(e, "asset add", err)
	}
	if file == "" && fs.NArg() > 0 {
		file = fs.Arg(0)
	} else if fs.NArg() > 0 {
		return usageError(e, "asset add", fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	}
	switch {
	case file == "":
		return usageError(e, "asset add", errors.New("name the package FILE to upload"))
	case *version == "":
		return usageError(e, "asset add", errors.New("--version is required, e.g. --version V1.0"))
	case *name == "" && *assetID == "":
		return usageError(e, "asset add", errors.New("--name (or --asset-id) is required"))
	}
	f, err := os.Open(file)
	if err != nil {
		fmt.Fprintf(e.stderr, "koomock asset add: %v\n", err)
		return exitUsage
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() {
		fmt.Fprintf(e.stderr, "koomock asset add: %s is not a regular file\n", file)
		return exitUsage
	}
	if *pkgName == "" {
		*pkgName = filepath.Base(file)
	}
	api := client()
	asset, code := findOrCreateAsset(ctx, e, api, *mockURL, *assetID, *name)
	if code != exitOK {
		return code
	}
	// Hash while sending, so that the file is read once, and compare with what koomock stored.
	h := sha256.New()
	got, err := api.UploadAssetVersion(ctx, asset.ID, *version, controlapi.AssetUpload{
		PackageName: *pkgName, Body: io.TeeReader(f, h), Size: info.Size()})
	if err != nil {
		return assetFailed(e, *mockURL, err)
	}
	v, _ := got.Version(*version)
	if sum := hex.EncodeToString(h.Sum(nil)); v.Package == nil || v.Package.SHA256 != sum {
		fmt.Fprintf(e.stderr, "koomock asset add: koomock stored other bytes than %s sent (SHA-256 %s); upload it again\n", file, sum)
		return exitUsage
	}
	fmt.Fprintf(e.stdout, "asset     %s (%s)\nversion   %s  version_id %s  region %s\npackage   %s  %d bytes  sha256 %s\n\n",
		got.ID, got.Name, v.Version, v.VersionID, v.Region, v.Package.Name, v.Package.Size, v.Package.SHA256)
	fmt.Fprintf(e.stdout, "In your auto-deploy template:\n\n%s", dataSourceBlock(got.ID, v.Version))
	return exitOK
}

// findOrCreateAsset returns the asset with the ID, else the software_package asset called name, else a
// new one.
func findOrCreateAsset(ctx context.Context, e *env, api *controlapi.Client, mockURL, id, name string) (koomock.Asset, int) {
	if id != "" {
		a, err := api.Asset(ctx, id)
		if err != nil {
			return a, assetFailed(e, mockURL, err)
		}
		return a, exitOK
	}
	all, err := api.Assets(ctx)
	if err != nil {
		return koomock.Asset{}, assetFailed(e, mockURL, err)
	}
	for _, a := range all {
		if a.Name == name && a.DeployedType == koomock.DeploySoftwarePackage {
			return a, exitOK
		}
	}
	a, err := api.CreateAsset(ctx, controlapi.AssetRequest{Name: name, DeployedType: koomock.DeploySoftwarePackage})
	if err != nil {
		return a, assetFailed(e, mockURL, err)
	}
	return a, exitOK
}

// dataSourceBlock is the docs' recipe for reading the package in a template (spec license-login §5).
func dataSourceBlock(id, version string) string {
	return fmt.Sprintf(`data "huaweicloud_koogallery_assets" "package" {
  asset_id      = %q
  deployed_type = "software_package"
  asset_version = %q
}

locals {
  software_url        = data.huaweicloud_koogallery_assets.package.assets[0].software_pkg_deployed_object[0].internal_path
  software_url_decode = jsondecode("\"${local.software_url}\"")
}
`, id, version)
}

func runAssetList(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "asset list", "asset list [--mock-url URL]")
	mockURL, client := assetClient(fs)
	if err := fs.parse(args); err != nil {
		return usageError(e, "asset list", err)
	}
	if fs.NArg() > 0 {
		return usageError(e, "asset list", fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	}
	all, err := client().Assets(ctx)
	if err != nil {
		return assetFailed(e, *mockURL, err)
	}
	if len(all) == 0 {
		fmt.Fprintln(e.stdout, "no assets yet: koomock asset add FILE --name NAME --version V1.0")
	}
	for _, a := range all {
		fmt.Fprintf(e.stdout, "%s  %s  %s\n", a.ID, a.DeployedType, a.Name)
		for _, v := range a.Versions {
			what := ""
			switch {
			case v.Package != nil:
				what = fmt.Sprintf("%s  %d bytes  sha256 %s", v.Package.Name, v.Package.Size, v.Package.SHA256)
			case v.Image != nil:
				what = strings.Join([]string{v.Image.ImageID, v.Image.ImageName, v.Image.OSType, v.Image.Architecture}, "  ")
			}
			fmt.Fprintf(e.stdout, "  %-10s %s  %s\n", v.Version, v.VersionID, what)
		}
	}
	return exitOK
}
