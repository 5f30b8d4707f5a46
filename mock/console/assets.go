package console

import (
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
)

// maxConsoleTemplate bounds a template pasted or uploaded in the console; the control API refuses
// anything over 1 MiB anyway.
const maxConsoleTemplate = 1 << 20

// assetsPage is what the asset centre's page shows.
type assetsPage struct {
	Assets []koomock.Asset
}

// assets lists the assets with their versions and templates, and the form that creates one.
func (c *Console) assets(r *http.Request) (any, error) {
	list, err := c.cfg.API.Assets(r.Context())
	return assetsPage{Assets: list}, err
}

// assetPage is what an asset's page shows.
type assetPage struct {
	koomock.Asset
	// Packaged says the asset's versions are packages (software_package), not images.
	Packaged bool
}

// asset shows one asset: its versions with their packages, its templates, the upload form with its
// progress bar, and the buttons that delete and detach.
func (c *Console) asset(r *http.Request) (any, error) {
	a, err := c.cfg.API.Asset(r.Context(), chi.URLParam(r, "assetID"))
	return assetPage{Asset: a, Packaged: a.DeployedType == koomock.DeploySoftwarePackage}, err
}

// assetPath is an asset's page, or the list for no asset.
func assetPath(id string) string {
	if id == "" {
		return Prefix + "/assets"
	}
	return Prefix + "/assets/" + url.PathEscape(id)
}

// formOrQuery reads a field from the form, or from the URL for an upload whose body is the file.
func formOrQuery(r *http.Request, name string) string {
	if v := r.URL.Query().Get(name); v != "" {
		return strings.TrimSpace(v)
	}
	return strings.TrimSpace(r.PostFormValue(name))
}

func (c *Console) assetCreate(r *http.Request) (string, error) {
	a, err := c.cfg.API.CreateAsset(r.Context(), controlapi.AssetRequest{Name: r.PostFormValue("name"),
		DeployedType: koomock.DeployedType(r.PostFormValue("deployedType"))})
	if err != nil {
		return "", err
	}
	return assetPath(a.ID), nil
}

// assetUpload streams a package to the asset centre. The page's script sends the file itself as the
// body (the fields in the URL, the CSRF token in a header), so that nothing holds it whole and the
// browser can show the upload's progress; without the script the form arrives as multipart, which
// net/http spools to disk beyond 32 MiB.
func (c *Console) assetUpload(r *http.Request) (string, error) {
	id, version, name := formOrQuery(r, "assetId"), formOrQuery(r, "version"), formOrQuery(r, "packageName")
	body, size := io.Reader(r.Body), r.ContentLength
	if r.MultipartForm != nil && len(r.MultipartForm.File["package"]) > 0 {
		fh := r.MultipartForm.File["package"][0]
		f, err := fh.Open()
		if err != nil {
			return "", controlapi.Errorf(controlapi.CodeInvalid, "the uploaded package could not be read: %v", err)
		}
		defer f.Close()
		body, size = f, fh.Size
		if name == "" {
			name = fh.Filename
		}
	} else if ct := r.Header.Get("Content-Type"); strings.HasPrefix(ct, "application/x-www-form-urlencoded") || strings.HasPrefix(ct, "multipart/") {
		body, size = strings.NewReader(""), 0 // a form without a file: the asset centre says what is missing
	}
	if id == "" || version == "" {
		return "", controlapi.Errorf(controlapi.CodeInvalid, "name the asset and the version (e.g. V1.0)")
	}
	if _, err := c.cfg.API.UploadAssetVersion(r.Context(), id, version, controlapi.AssetUpload{PackageName: name, Body: body, Size: size}); err != nil {
		return "", err
	}
	return assetPath(id), nil
}

func (c *Console) assetVersionDelete(r *http.Request) (string, error) {
	id := r.PostFormValue("assetId")
	if _, err := c.cfg.API.DeleteAssetVersion(r.Context(), id, r.PostFormValue("version")); err != nil {
		return "", err
	}
	return assetPath(id), nil
}

// assetTemplateAttach attaches a template uploaded as a file or pasted in the form.
func (c *Console) assetTemplateAttach(r *http.Request) (string, error) {
	id, name, text := r.PostFormValue("assetId"), strings.TrimSpace(r.PostFormValue("name")), r.PostFormValue("content")
	if r.MultipartForm != nil && len(r.MultipartForm.File["template"]) > 0 {
		fh := r.MultipartForm.File["template"][0]
		f, err := fh.Open()
		if err != nil {
			return "", controlapi.Errorf(controlapi.CodeInvalid, "the uploaded template could not be read: %v", err)
		}
		defer f.Close()
		b, err := io.ReadAll(io.LimitReader(f, maxConsoleTemplate+1))
		if err != nil {
			return "", controlapi.Errorf(controlapi.CodeInvalid, "the uploaded template could not be read: %v", err)
		}
		text = string(b)
		if name == "" {
			name = fh.Filename
		}
	}
	if _, err := c.cfg.API.AttachTemplate(r.Context(), id, name, []byte(text)); err != nil {
		return "", err
	}
	return assetPath(id), nil
}

func (c *Console) assetTemplateDetach(r *http.Request) (string, error) {
	id := r.PostFormValue("assetId")
	if _, err := c.cfg.API.DetachTemplate(r.Context(), id, r.PostFormValue("name")); err != nil {
		return "", err
	}
	return assetPath(id), nil
}

func (c *Console) assetDelete(r *http.Request) (string, error) {
	if err := c.cfg.API.DeleteAsset(r.Context(), r.PostFormValue("assetId")); err != nil {
		return "", err
	}
	return assetPath(""), nil
}
