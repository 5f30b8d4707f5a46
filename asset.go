package koomock

import "time"

// DeployedType is the kind of deployable an asset of KooGallery's asset centre (资产中心) holds, as the
// data source huaweicloud_koogallery_assets names it (spec license-login §5).
type DeployedType string

// Deployed types.
const (
	// DeploySoftwarePackage: a deployable software package (部署类软件包): the binary with its install
	// and start scripts, in a .zip, .tar or .tar.gz.
	DeploySoftwarePackage DeployedType = "software_package"
	// DeployImage: a server image.
	DeployImage DeployedType = "image"
)

// Asset is one application asset of the asset centre, sold with automatic deployment (自动部署), with
// its versions, oldest first.
type Asset struct {
	ID           string         `json:"assetId"`
	Name         string         `json:"name"`
	DeployedType DeployedType   `json:"deployedType"`
	CreatedAt    time.Time      `json:"createdAt"`
	Versions     []AssetVersion `json:"versions"`
	// Templates are the auto-deploy (RFS) templates attached to the asset, by name; KooGallery wants at
	// least one before the product is submitted, so the last one cannot be deleted.
	Templates []AssetTemplate `json:"templates,omitempty"`
}

// Version returns the asset's version named v.
func (a Asset) Version(v string) (AssetVersion, bool) {
	for _, av := range a.Versions {
		if av.Version == v {
			return av, true
		}
	}
	return AssetVersion{}, false
}

// AssetVersion is one version of an asset and its deployable: a package for a software_package asset,
// an image reference for an image asset.
type AssetVersion struct {
	// Version is the seller's name for it ("V1.0"); VersionID is KooGallery's.
	Version   string        `json:"version"`
	VersionID string        `json:"versionId"`
	Region    string        `json:"region"`
	CreatedAt time.Time     `json:"createdAt"`
	Package   *AssetPackage `json:"package,omitempty"`
	Image     *AssetImage   `json:"image,omitempty"`
}

// AssetPackage is a stored deployable package.
type AssetPackage struct {
	Name string `json:"name"`
	Size int64  `json:"size"`
	// SHA256 is the hex SHA-256 of the stored bytes: the checksum the data source reports.
	SHA256 string `json:"sha256"`
	// ImportedFrom is the OBS object URL the package was imported from, when it was not uploaded.
	ImportedFrom string `json:"importedFrom,omitempty"`
}

// AssetImage is a server image an image asset's version deploys.
type AssetImage struct {
	ImageID      string `json:"imageId"`
	ImageName    string `json:"imageName"`
	OSType       string `json:"osType"`
	Architecture string `json:"architecture"`
}

// AssetTemplate is an auto-deploy template attached to an asset: one .tf or .tf.json file.
type AssetTemplate struct {
	Name      string    `json:"name"`
	Size      int       `json:"size"`
	SHA256    string    `json:"sha256"`
	CreatedAt time.Time `json:"createdAt"`
	// Content is the template's text; the list answers leave it out.
	Content string `json:"content,omitempty"`
}
