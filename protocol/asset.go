package protocol

// The asset centre's open API behind the Terraform data source huaweicloud_koogallery_assets (spec
// license-login §5): GET with query parameters, no "global" segment, answered in the
// {error_code, error_msg, data} envelope of KooGallery's open-API backend.

// Paths of the deployed-object API. PathAssetDeployedObject is the documented one (the provider's
// "@API" line); the stored golangsdk urls.go spells "assset", and which one the live service accepts is
// UNCERTAIN (§5).
const (
	PathAssetDeployedObject           = "/api/mkp-openapi-public/v1/asset/deployed-object"
	PathAssetDeployedObjectTypo       = "/api/mkp-openapi-public/v1/assset/deployed-object"
	AssetAPIDeployedObject            = "assetDeployedObject" // the API's name in koomock's journal
	AssetRegionBeijing4               = "cn-north-4"          // the only region OBS imports come from (seed)
	AssetMaxPackageBytes        int64 = 20 << 30              // a package may be at most 20 GB
)

// The query parameters of the deployed-object API.
const (
	AssetParamID           = "asset_id"
	AssetParamDeployedType = "deployed_type"
	AssetParamRegion       = "region"
	AssetParamVersion      = "asset_version"
	AssetParamQueryAll     = "query_all"
)

// DeployedObjectAnswer is the deployed-object answer. The golangsdk client the provider uses decodes
// image_deployed_object and software_pkg_deployed_object as one object each (the provider then wraps
// each in a one-element list for Terraform, which is where the "[0]" of the docs' recipe comes from).
type DeployedObjectAnswer struct {
	ErrorCode LicenseErrorCode `json:"error_code"`
	ErrorMsg  string           `json:"error_msg"`
	Data      []DeployedObject `json:"data"`
}

// DeployedObject is one version of an asset as the API reports it.
type DeployedObject struct {
	AssetID      string                     `json:"asset_id"`
	DeployedType string                     `json:"deployed_type"`
	Version      string                     `json:"version"`
	VersionID    string                     `json:"version_id"`
	Region       string                     `json:"region"`
	Image        *ImageDeployedObject       `json:"image_deployed_object,omitempty"`
	SoftwarePkg  *SoftwarePkgDeployedObject `json:"software_pkg_deployed_object,omitempty"`
}

// ImageDeployedObject is an image version's deployable.
type ImageDeployedObject struct {
	ImageID      string `json:"image_id"`
	ImageName    string `json:"image_name"`
	OSType       string `json:"os_type"`
	CreateTime   string `json:"create_time"`
	Architecture string `json:"architecture"`
}

// SoftwarePkgDeployedObject is a package version's deployable. InternalPath is the download URL
// JSON-escaped (the docs' recipe un-escapes it with jsondecode("\"${...}\"")); Checksum is the hex
// SHA-256 of the package.
type SoftwarePkgDeployedObject struct {
	PackageName  string `json:"package_name"`
	InternalPath string `json:"internal_path"`
	Checksum     string `json:"checksum"`
}
