package controlapi

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/koomock/koomock"
)

// AssetRequest creates an asset of the asset centre: its name and what it deploys (software_package
// or image).
type AssetRequest struct {
	Name         string               `json:"name"`
	DeployedType koomock.DeployedType `json:"deployedType"`
}

// AssetList carries assets, oldest first.
type AssetList struct {
	Assets []koomock.Asset `json:"assets"`
}

// AssetVersionSource is the JSON body of a version put that uploads no bytes: an image reference for
// an image asset, or an OBS object URL (bucket in cn-north-4) a package is imported from. PackageName
// names an imported package (default: the object's name).
type AssetVersionSource struct {
	Image       *koomock.AssetImage `json:"image,omitempty"`
	OBSURL      string              `json:"obsUrl,omitempty"`
	PackageName string              `json:"packageName,omitempty"`
	Region      string              `json:"region,omitempty"`
}

// AssetUpload is a package upload: the bytes are read from Body as they are sent, never held whole.
// Size, when known (≥ 0), is sent as Content-Length so that koomock can tell a truncated upload;
// SHA256, when set, must match the bytes koomock receives.
type AssetUpload struct {
	PackageName string
	Body        io.Reader
	Size        int64
	SHA256      string
	Region      string
}

// CreateAsset creates an asset.
func (c *Client) CreateAsset(ctx context.Context, req AssetRequest) (koomock.Asset, error) {
	var out koomock.Asset
	err := c.do(ctx, http.MethodPost, "/_mock/assets", req, &out)
	return out, err
}

// Assets returns every asset, oldest first.
func (c *Client) Assets(ctx context.Context) ([]koomock.Asset, error) {
	var out AssetList
	err := c.do(ctx, http.MethodGet, "/_mock/assets", nil, &out)
	return out.Assets, err
}

// Asset returns one asset with its versions.
func (c *Client) Asset(ctx context.Context, id string) (koomock.Asset, error) {
	var out koomock.Asset
	err := c.do(ctx, http.MethodGet, "/_mock/assets/"+url.PathEscape(id), nil, &out)
	return out, err
}

// DeleteAsset deletes an asset and its stored packages.
func (c *Client) DeleteAsset(ctx context.Context, id string) error {
	return c.do(ctx, http.MethodDelete, "/_mock/assets/"+url.PathEscape(id), nil, nil)
}

// PutAssetVersion creates or replaces a version from an image reference or an OBS import.
func (c *Client) PutAssetVersion(ctx context.Context, id, version string, src AssetVersionSource) (koomock.Asset, error) {
	var out koomock.Asset
	err := c.do(ctx, http.MethodPut, versionPath(id, version, nil), src, &out)
	return out, err
}

// UploadAssetVersion creates or replaces a version with a package streamed from up.Body.
func (c *Client) UploadAssetVersion(ctx context.Context, id, version string, up AssetUpload) (koomock.Asset, error) {
	q := url.Values{"packageName": {up.PackageName}}
	if up.SHA256 != "" {
		q.Set("sha256", strings.ToLower(up.SHA256))
	}
	if up.Region != "" {
		q.Set("region", up.Region)
	}
	var out koomock.Asset
	err := c.doStream(ctx, http.MethodPut, versionPath(id, version, q), up.Body, up.Size, &out)
	return out, err
}

// DeleteAssetVersion deletes one version and its stored package.
func (c *Client) DeleteAssetVersion(ctx context.Context, id, version string) (koomock.Asset, error) {
	var out koomock.Asset
	err := c.do(ctx, http.MethodDelete, versionPath(id, version, nil), nil, &out)
	return out, err
}

func versionPath(id, version string, q url.Values) string {
	p := "/_mock/assets/" + url.PathEscape(id) + "/versions/" + url.PathEscape(version)
	if len(q) > 0 {
		p += "?" + q.Encode()
	}
	return p
}

// AttachTemplate attaches (or replaces) an auto-deploy template, the file's text as the body.
func (c *Client) AttachTemplate(ctx context.Context, id, name string, content []byte) (koomock.Asset, error) {
	var out koomock.Asset
	err := c.doStream(ctx, http.MethodPut, templatePath(id, name), bytes.NewReader(content), int64(len(content)), &out)
	return out, err
}

// AssetTemplate returns an attached template with its text.
func (c *Client) AssetTemplate(ctx context.Context, id, name string) (koomock.AssetTemplate, error) {
	var out koomock.AssetTemplate
	err := c.do(ctx, http.MethodGet, templatePath(id, name), nil, &out)
	return out, err
}

// DetachTemplate removes a template; koomock refuses to remove an asset's last one (conflict).
func (c *Client) DetachTemplate(ctx context.Context, id, name string) (koomock.Asset, error) {
	var out koomock.Asset
	err := c.do(ctx, http.MethodDelete, templatePath(id, name), nil, &out)
	return out, err
}

func templatePath(id, name string) string {
	return "/_mock/assets/" + url.PathEscape(id) + "/templates/" + url.PathEscape(name)
}
