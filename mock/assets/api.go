package assets

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/i18n"
	"github.com/koomock/koomock/mock/inbound"
	"github.com/koomock/koomock/openapi"
	"github.com/koomock/koomock/protocol"
)

// DownloadPrefix is where the package downloads the deployed-object API hands out are served.
const DownloadPrefix = "/asset-packages"

// PublicRoutes serves the deployed-object API behind the gateway, at the path spelling(s) the
// settings choose, and the package downloads it points at: the flow contract's seller-facing half.
func (s *Service) PublicRoutes(r chi.Router) {
	h := s.Gateway.API(protocol.AssetAPIDeployedObject, s.reject)(http.HandlerFunc(s.handleDeployedObject))
	if s.Settings.PathSpelling != SpellingTypo {
		r.Method(http.MethodGet, protocol.PathAssetDeployedObject, h)
	}
	if s.Settings.PathSpelling != SpellingDocumented {
		r.Method(http.MethodGet, protocol.PathAssetDeployedObjectTypo, h)
	}
	// Downloads are not journalled: the journal holds an answer whole before sending it, and a package
	// may be 20 GB. They are logged instead.
	r.Get(DownloadPrefix+"/{id}/{versionId}/{name}", s.handleDownload)
	r.Head(DownloadPrefix+"/{id}/{versionId}/{name}", s.handleDownload)
}

// reject answers a call that breaks marketplace.yaml (a missing asset_id or deployed_type, a
// deployed_type that is neither software_package nor image) as the backend refuses a bad parameter.
func (s *Service) reject(w http.ResponseWriter, r *http.Request, violations []openapi.Violation) {
	msgs := make([]string, len(violations))
	for i, v := range violations {
		msgs[i] = strings.TrimSpace(v.Pointer + " " + v.Message)
	}
	writeEnvelope(w, protocol.LicenseReqInvalid, strings.Join(msgs, "; "), nil)
}

// writeEnvelope writes {error_code, error_msg, data}. detail, when set, follows KooGallery's message:
// the spec documents no error of this API, so koomock says what was wrong.
func writeEnvelope(w http.ResponseWriter, code protocol.LicenseErrorCode, detail string, data []protocol.DeployedObject) {
	msg := code.Message()
	if detail != "" {
		msg += ": " + detail
	}
	if data == nil {
		data = []protocol.DeployedObject{}
	}
	body, _ := json.Marshal(protocol.DeployedObjectAnswer{ErrorCode: code, ErrorMsg: msg, Data: data})
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(code.HTTPStatus())
	w.Write(body)
}

// refuse answers a business refusal (an unknown asset, a wrong type, a missing version) and records why.
func refuse(w http.ResponseWriter, r *http.Request, detail string) {
	// detail is the error_msg the data source reads, sent in English; the verdict frames it.
	inbound.Judge(r.Context(), i18n.Verdict(koomock.RuleRequestSchema, koomock.Warn, "verdict.assets.refused", detail))
	writeEnvelope(w, protocol.LicenseInvalidParam, detail, nil)
}

// handleDeployedObject answers what the data source huaweicloud_koogallery_assets reads: the asset's
// latest version, the one asset_version names, or (query_all=true) every version, in region.
func (s *Service) handleDeployedObject(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	id, typ := q.Get(protocol.AssetParamID), koomock.DeployedType(q.Get(protocol.AssetParamDeployedType))
	version, region := q.Get(protocol.AssetParamVersion), q.Get(protocol.AssetParamRegion)
	a, err := s.Store.Asset(r.Context(), id)
	if err != nil {
		refuse(w, r, fmt.Sprintf("asset %s does not exist", id))
		return
	}
	if a.DeployedType != typ {
		refuse(w, r, fmt.Sprintf("asset %s deploys %s, not %s", id, a.DeployedType, typ))
		return
	}
	var picked []koomock.AssetVersion
	for _, v := range a.Versions {
		if region == "" || v.Region == region {
			picked = append(picked, v)
		}
	}
	switch {
	case version != "":
		v, ok := a.Version(version)
		if !ok || (region != "" && v.Region != region) {
			refuse(w, r, fmt.Sprintf("asset %s has no version %s%s", id, version, inRegion(region)))
			return
		}
		picked = []koomock.AssetVersion{v}
	case len(picked) == 0:
		refuse(w, r, fmt.Sprintf("asset %s has no version%s yet", id, inRegion(region)))
		return
	case q.Get(protocol.AssetParamQueryAll) != "true":
		picked = picked[len(picked)-1:]
	}
	base := s.PublicURL
	if base == "" {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		base = scheme + "://" + r.Host
	}
	out := make([]protocol.DeployedObject, len(picked))
	for i, v := range picked {
		out[i] = protocol.DeployedObject{AssetID: a.ID, DeployedType: string(a.DeployedType), Version: v.Version, VersionID: v.VersionID, Region: v.Region}
		if p := v.Package; p != nil {
			out[i].SoftwarePkg = &protocol.SoftwarePkgDeployedObject{PackageName: p.Name, Checksum: p.SHA256,
				InternalPath: jsonEscape(s.downloadURL(strings.TrimSuffix(base, "/"), a.ID, v))}
		}
		if img := v.Image; img != nil {
			out[i].Image = &protocol.ImageDeployedObject{ImageID: img.ImageID, ImageName: img.ImageName, OSType: img.OSType,
				Architecture: img.Architecture, CreateTime: v.CreatedAt.UTC().Format("2006-01-02T15:04:05Z")}
		}
	}
	writeEnvelope(w, protocol.LicenseSuccess, "", out)
}

func inRegion(region string) string {
	if region == "" {
		return ""
	}
	return " in " + region
}

// jsonEscape is the URL as a JSON string's inside, escapes and all ("&" as \u0026): what the docs'
// recipe un-escapes with jsondecode("\"${...}\"").
func jsonEscape(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}

// downloadURL is a signed, expiring URL of a version's package, in the style of an OBS temporary URL.
func (s *Service) downloadURL(base, assetID string, v koomock.AssetVersion) string {
	expires := strconv.FormatInt(s.Now().Add(s.Settings.URLValidity).Unix(), 10)
	q := url.Values{"Expires": {expires}, "Signature": {s.sign(assetID, v, expires)}}
	return base + DownloadPrefix + "/" + url.PathEscape(assetID) + "/" + url.PathEscape(v.VersionID) + "/" +
		url.PathEscape(v.Package.Name) + "?" + q.Encode()
}

// sign covers the package's checksum too: a URL handed out before a version was replaced no longer
// downloads anything.
func (s *Service) sign(assetID string, v koomock.AssetVersion, expires string) string {
	m := hmac.New(sha256.New, s.SigningKey)
	fmt.Fprintf(m, "GET\n%s\n%s\n%s\n%s\n%s", assetID, v.VersionID, v.Package.Name, v.Package.SHA256, expires)
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// handleDownload serves a package, with Range support, to a holder of a valid URL. Refusals are in
// OBS's XML error format, as a download from OBS would be refused.
func (s *Service) handleDownload(w http.ResponseWriter, r *http.Request) {
	id, versionID, name := chi.URLParam(r, "id"), chi.URLParam(r, "versionId"), chi.URLParam(r, "name")
	expires := r.URL.Query().Get("Expires")
	a, err := s.Store.Asset(r.Context(), id)
	var v koomock.AssetVersion
	found := false
	if err == nil {
		for _, av := range a.Versions {
			if av.VersionID == versionID && av.Package != nil && av.Package.Name == name {
				v, found = av, true
			}
		}
	}
	if !found {
		obsError(w, http.StatusNotFound, "NoSuchKey", "The specified key does not exist.")
		return
	}
	if !hmac.Equal([]byte(s.sign(id, v, expires)), []byte(r.URL.Query().Get("Signature"))) {
		obsError(w, http.StatusForbidden, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.")
		return
	}
	if exp, err := strconv.ParseInt(expires, 10, 64); err != nil || s.Now().Unix() > exp {
		obsError(w, http.StatusForbidden, "AccessDenied", "Request has expired")
		return
	}
	f, err := os.Open(s.packageFile(id, v))
	if err != nil {
		s.Logger.Error("open asset package", "asset", id, "version", v.Version, "err", err)
		obsError(w, http.StatusInternalServerError, "InternalError", "We encountered an internal error. Please try again.")
		return
	}
	defer f.Close()
	s.Logger.Info("asset package download", "asset", id, "version", v.Version, "package", name, "range", r.Header.Get("Range"))
	w.Header().Set("ETag", `"`+v.Package.SHA256+`"`)
	w.Header().Set("Content-Type", "application/octet-stream")
	http.ServeContent(w, r, name, v.CreatedAt, f)
}

func obsError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>%s</Code><Message>%s</Message></Error>`, code, msg)
}
