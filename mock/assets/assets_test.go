package assets_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/mock"
	"github.com/koomock/koomock/mock/assets"
	"github.com/koomock/koomock/protocol"
)

const pkg = "#!/bin/sh\necho install the license client\n"

func sum(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// TestUploadDeployedObjectDownload: an uploaded package comes back from deployed-object (called with
// the official SDK signer) with its checksum, and internal_path, once un-escaped, downloads the same
// bytes, in ranges too, until the URL expires on koomock's clock.
func TestUploadDeployedObjectDownload(t *testing.T) {
	e := newEnv(t, nil)
	a := e.packageAsset()
	got, err := e.upload(a.ID, "V1.0", "licenseclient(linux)_amd64.tar.gz", pkg)
	if err != nil {
		t.Fatal(err)
	}
	v := got.Versions[0]
	if v.Package.SHA256 != sum(pkg) || v.Package.Size != int64(len(pkg)) || v.Region != protocol.AssetRegionBeijing4 {
		t.Fatalf("stored version = %+v %+v", v, v.Package)
	}
	status, ans, raw := e.deployed(protocol.PathAssetDeployedObject, q("asset_id", a.ID, "deployed_type", "software_package", "asset_version", "V1.0"))
	if status != 200 || ans.ErrorCode != protocol.LicenseSuccess || len(ans.Data) != 1 {
		t.Fatalf("deployed-object: HTTP %d %s", status, raw)
	}
	d := ans.Data[0]
	if d.AssetID != a.ID || d.DeployedType != "software_package" || d.Version != "V1.0" || d.VersionID != v.VersionID || d.Region != "cn-north-4" {
		t.Errorf("data = %+v", d)
	}
	p := d.SoftwarePkg
	if p == nil || p.PackageName != "licenseclient(linux)_amd64.tar.gz" || p.Checksum != sum(pkg) {
		t.Fatalf("software_pkg_deployed_object = %+v", p)
	}
	if !strings.Contains(p.InternalPath, `\u0026`) || strings.Contains(p.InternalPath, "&") {
		t.Errorf("internal_path %q is not JSON-escaped", p.InternalPath)
	}
	link := unescape(t, p.InternalPath)
	if code, _, body := get(t, link); code != 200 || body != pkg {
		t.Fatalf("download: HTTP %d %q", code, body)
	}
	if code, h, body := get(t, link, "Range", "bytes=0-8"); code != http.StatusPartialContent || body != pkg[:9] || h.Get("Content-Range") == "" {
		t.Errorf("range download: HTTP %d %q %v", code, body, h)
	}
	if code, _, body := get(t, strings.Replace(link, "Signature=", "Signature=x", 1)); code != 403 || !strings.Contains(body, "SignatureDoesNotMatch") {
		t.Errorf("tampered URL: HTTP %d %s", code, body)
	}
	if code, h, _ := head(t, link); code != 200 || h.Get("Content-Length") != fmt.Sprint(len(pkg)) || h.Get("ETag") != `"`+sum(pkg)+`"` {
		t.Errorf("HEAD: HTTP %d %v", code, h)
	}
	if _, err := e.clk.Advance(assets.DefaultURLValidity + time.Second); err != nil {
		t.Fatal(err)
	}
	if code, _, body := get(t, link); code != 403 || !strings.Contains(body, "<Code>AccessDenied</Code>") {
		t.Errorf("expired URL: HTTP %d %s", code, body)
	}
	ex, err := e.api.Exchanges(context.Background(), koomock.ExchangeFilter{Activity: protocol.AssetAPIDeployedObject})
	if err != nil || len(ex) == 0 || ex[0].Failed() {
		t.Errorf("the deployed-object call is not journalled as passed: %+v %v", ex, err)
	}
}

// TestVersionsAndQueryAll: without asset_version the latest version is answered, with query_all every
// one; replacing a version keeps its ID and invalidates URLs handed out before.
func TestVersionsAndQueryAll(t *testing.T) {
	e := newEnv(t, nil)
	a := e.packageAsset()
	for _, v := range []string{"V1.0", "V2.0"} {
		if _, err := e.upload(a.ID, v, "app.zip", "bytes of "+v); err != nil {
			t.Fatal(err)
		}
	}
	_, ans, raw := e.deployed(protocol.PathAssetDeployedObject, q("asset_id", a.ID, "deployed_type", "software_package"))
	if len(ans.Data) != 1 || ans.Data[0].Version != "V2.0" {
		t.Errorf("latest: %s", raw)
	}
	_, ans, raw = e.deployed(protocol.PathAssetDeployedObject, q("asset_id", a.ID, "deployed_type", "software_package", "query_all", "true"))
	if len(ans.Data) != 2 {
		t.Errorf("query_all: %s", raw)
	}
	old := unescape(t, ans.Data[0].SoftwarePkg.InternalPath)
	got, err := e.upload(a.ID, "V1.0", "app.zip", "new bytes")
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := got.Version("V1.0"); v.VersionID != ans.Data[0].VersionID || v.Package.SHA256 != sum("new bytes") {
		t.Errorf("replaced version = %+v", v)
	}
	if code, _, _ := get(t, old); code == 200 {
		t.Error("a URL handed out before the version was replaced still downloads")
	}
}

// TestDeployedObjectErrors: bad parameters, an unknown asset, a wrong type, a missing version and a
// bad signature are answered in the API's own formats.
func TestDeployedObjectErrors(t *testing.T) {
	e := newEnv(t, nil)
	a := e.packageAsset()
	if _, err := e.upload(a.ID, "V1.0", "app.zip", pkg); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		q      []string
		status int
		code   protocol.LicenseErrorCode
		msg    string
	}{
		{"no deployed_type", []string{"asset_id", a.ID}, 400, protocol.LicenseReqInvalid, "deployed_type"},
		{"unknown deployed_type", []string{"asset_id", a.ID, "deployed_type", "vm"}, 400, protocol.LicenseReqInvalid, "deployed_type"},
		{"unknown asset", []string{"asset_id", "nope", "deployed_type", "software_package"}, 200, protocol.LicenseInvalidParam, "does not exist"},
		{"wrong type", []string{"asset_id", a.ID, "deployed_type", "image"}, 200, protocol.LicenseInvalidParam, "not image"},
		{"missing version", []string{"asset_id", a.ID, "deployed_type", "software_package", "asset_version", "V9"}, 200, protocol.LicenseInvalidParam, "no version V9"},
		{"other region", []string{"asset_id", a.ID, "deployed_type", "software_package", "region", "cn-south-1"}, 200, protocol.LicenseInvalidParam, "in cn-south-1"},
	}
	for _, c := range cases {
		status, ans, raw := e.deployed(protocol.PathAssetDeployedObject, q(c.q...))
		if status != c.status || ans.ErrorCode != c.code || !strings.Contains(ans.ErrorMsg, c.msg) || ans.Data == nil {
			t.Errorf("%s: HTTP %d %s, want %d %s mentioning %q", c.name, status, raw, c.status, c.code, c.msg)
		}
	}
	code, _, body := get(t, e.srv.URL()+protocol.PathAssetDeployedObject+"?asset_id="+a.ID+"&deployed_type=software_package")
	if code != 401 || !strings.Contains(body, "APIG.0301") {
		t.Errorf("unsigned call: HTTP %d %s", code, body)
	}
}

// TestPathSpelling: the switch serves golangsdk's spelling instead of the documented one, or both.
func TestPathSpelling(t *testing.T) {
	for _, c := range []struct{ spelling, ok, missing string }{
		{assets.SpellingTypo, protocol.PathAssetDeployedObjectTypo, protocol.PathAssetDeployedObject},
		{assets.SpellingBoth, protocol.PathAssetDeployedObjectTypo, ""},
		{"", protocol.PathAssetDeployedObject, protocol.PathAssetDeployedObjectTypo},
	} {
		e := newEnv(t, func(cfg *mock.Config) { cfg.Assets.PathSpelling = c.spelling })
		a := e.packageAsset()
		if _, err := e.upload(a.ID, "V1.0", "app.zip", pkg); err != nil {
			t.Fatal(err)
		}
		if status, _, raw := e.deployed(c.ok, q("asset_id", a.ID, "deployed_type", "software_package")); status != 200 {
			t.Errorf("spelling %q, %s: HTTP %d %s", c.spelling, c.ok, status, raw)
		}
		if c.missing != "" {
			if status, _, _ := e.deployed(c.missing, q("asset_id", a.ID, "deployed_type", "software_package")); status != 404 {
				t.Errorf("spelling %q, %s: HTTP %d, want 404", c.spelling, c.missing, status)
			}
		}
	}
	if _, err := mock.New(context.Background(), mock.Config{Assets: assets.Settings{PathSpelling: "asets"}}); err == nil {
		t.Error("an unknown spelling was accepted")
	}
}

// TestBadUploads: forbidden names and formats, a truncated upload, a wrong checksum and a package for
// an image asset are refused, and nothing is stored.
func TestBadUploads(t *testing.T) {
	dir := t.TempDir()
	e := newEnv(t, func(cfg *mock.Config) { cfg.Assets.Dir = dir })
	a := e.packageAsset()
	ctx := context.Background()
	for _, name := range []string{"app.rar", "app-1.0.zip", "app（1）.zip", "my app.tar", ".zip", ""} {
		if _, err := e.upload(a.ID, "V1.0", name, pkg); controlapi.ErrorCode(err) != controlapi.CodeInvalid {
			t.Errorf("package name %q: %v, want invalid", name, err)
		}
	}
	if _, err := e.upload(a.ID, "V 1", "app.zip", pkg); controlapi.ErrorCode(err) != controlapi.CodeInvalid {
		t.Errorf("version with a space: %v", err)
	}
	_, err := e.api.UploadAssetVersion(ctx, a.ID, "V1.0", controlapi.AssetUpload{PackageName: "app.zip", Body: strings.NewReader(pkg), Size: -1, SHA256: sum("other")})
	if controlapi.ErrorCode(err) != controlapi.CodeInvalid || !strings.Contains(err.Error(), "SHA-256") {
		t.Errorf("wrong checksum: %v", err)
	}
	// A truncated upload: the connection ends before the announced Content-Length.
	conn, err := net.Dial("tcp", strings.TrimPrefix(e.srv.URL(), "http://"))
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(conn, "PUT /_mock/assets/%s/versions/V1.0?packageName=app.zip HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\nContent-Length: 1000\r\n\r\nonly part", a.ID)
	conn.(*net.TCPConn).CloseWrite()
	buf := make([]byte, 4096)
	n, _ := conn.Read(buf)
	conn.Close()
	if !strings.Contains(string(buf[:n]), "cut short") {
		t.Errorf("truncated upload answered %q", buf[:n])
	}
	img, err := e.api.CreateAsset(ctx, controlapi.AssetRequest{Name: "image", DeployedType: koomock.DeployImage})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.upload(img.ID, "V1.0", "app.zip", pkg); controlapi.ErrorCode(err) != controlapi.CodeInvalid {
		t.Errorf("package for an image asset: %v", err)
	}
	if _, err := e.api.PutAssetVersion(ctx, a.ID, "V1.0", controlapi.AssetVersionSource{Image: &koomock.AssetImage{ImageID: "i", ImageName: "n", OSType: "Linux", Architecture: "x86_64"}}); controlapi.ErrorCode(err) != controlapi.CodeInvalid {
		t.Errorf("image for a package asset: %v", err)
	}
	if _, err := e.upload("nope", "V1.0", "app.zip", pkg); controlapi.ErrorCode(err) != controlapi.CodeNotFound {
		t.Errorf("unknown asset: %v", err)
	}
	if _, err := e.api.CreateAsset(ctx, controlapi.AssetRequest{Name: "x", DeployedType: "vm"}); controlapi.ErrorCode(err) != controlapi.CodeInvalid {
		t.Errorf("unknown deployed type: %v", err)
	}
	got, err := e.api.Asset(ctx, a.ID)
	if err != nil || len(got.Versions) != 0 {
		t.Errorf("after refused uploads the asset is %+v, %v", got, err)
	}
	var files []string
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	if len(files) != 0 {
		t.Errorf("refused uploads left files: %v", files)
	}
}

// TestImagesAndOBSImport: an image version is answered with its image_deployed_object; an OBS import
// is refused outside cn-north-4 and fetched from cn-north-4.
func TestImagesAndOBSImport(t *testing.T) {
	obs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Host != "seller-bucket.obs.cn-north-4.myhuaweicloud.com" || r.URL.Path != "/releases/big_client.tar" {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte(pkg))
	}))
	defer obs.Close()
	// Every OBS host resolves to the test server.
	fetch := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, "tcp", obs.Listener.Addr().String())
	}}}
	e := newEnv(t, func(cfg *mock.Config) { cfg.HTTPClient = fetch })
	ctx := context.Background()
	a := e.packageAsset()
	_, err := e.api.PutAssetVersion(ctx, a.ID, "V1.0", controlapi.AssetVersionSource{OBSURL: "http://seller-bucket.obs.cn-south-1.myhuaweicloud.com/releases/big_client.tar"})
	if controlapi.ErrorCode(err) != controlapi.CodeInvalid || !strings.Contains(err.Error(), "cn-north-4") {
		t.Errorf("import from cn-south-1: %v", err)
	}
	got, err := e.api.PutAssetVersion(ctx, a.ID, "V1.0", controlapi.AssetVersionSource{OBSURL: "http://seller-bucket.obs.cn-north-4.myhuaweicloud.com/releases/big_client.tar?sig=secret"})
	if err != nil {
		t.Fatal(err)
	}
	if p := got.Versions[0].Package; p.Name != "big_client.tar" || p.SHA256 != sum(pkg) || strings.Contains(p.ImportedFrom, "secret") {
		t.Errorf("imported package = %+v", p)
	}
	img, err := e.api.CreateAsset(ctx, controlapi.AssetRequest{Name: "image", DeployedType: koomock.DeployImage})
	if err != nil {
		t.Fatal(err)
	}
	ref := koomock.AssetImage{ImageID: "img-1", ImageName: "license-client", OSType: "Linux", Architecture: "x86_64"}
	if _, err := e.api.PutAssetVersion(ctx, img.ID, "V1.0", controlapi.AssetVersionSource{Image: &ref}); err != nil {
		t.Fatal(err)
	}
	_, ans, raw := e.deployed(protocol.PathAssetDeployedObject, q("asset_id", img.ID, "deployed_type", "image"))
	if len(ans.Data) != 1 || ans.Data[0].Image == nil || ans.Data[0].Image.ImageID != "img-1" || ans.Data[0].SoftwarePkg != nil {
		t.Errorf("image asset: %s", raw)
	}
}

// TestPersistedAndDeleted: assets and packages survive a restart on a file database; deleting a
// version or an asset removes its package.
func TestPersistedAndDeleted(t *testing.T) {
	db := filepath.Join(t.TempDir(), "koomock.db")
	e := newEnv(t, func(cfg *mock.Config) { cfg.DB = db })
	a := e.packageAsset()
	if _, err := e.upload(a.ID, "V1.0", "app.zip", pkg); err != nil {
		t.Fatal(err)
	}
	if _, err := e.upload(a.ID, "V2.0", "app.zip", "second"); err != nil {
		t.Fatal(err)
	}
	e.srv.Close()
	e = newEnv(t, func(cfg *mock.Config) { cfg.DB = db })
	_, ans, raw := e.deployed(protocol.PathAssetDeployedObject, q("asset_id", a.ID, "deployed_type", "software_package", "asset_version", "V1.0"))
	if len(ans.Data) != 1 {
		t.Fatalf("after a restart: %s", raw)
	}
	if code, _, body := get(t, unescape(t, ans.Data[0].SoftwarePkg.InternalPath)); code != 200 || body != pkg {
		t.Errorf("download after a restart: HTTP %d %q", code, body)
	}
	ctx := context.Background()
	got, err := e.api.DeleteAssetVersion(ctx, a.ID, "V1.0")
	if err != nil || len(got.Versions) != 1 {
		t.Fatalf("delete version: %+v %v", got, err)
	}
	if files, _ := filepath.Glob(filepath.Join(db+"-assets", a.ID, "*")); len(files) != 1 {
		t.Errorf("after deleting a version the packages are %v", files)
	}
	if _, err := e.api.DeleteAssetVersion(ctx, a.ID, "V1.0"); controlapi.ErrorCode(err) != controlapi.CodeNotFound {
		t.Errorf("deleting it again: %v", err)
	}
	if err := e.api.DeleteAsset(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(db+"-assets", a.ID)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the asset's packages outlived it: %v", err)
	}
	if list, err := e.api.Assets(ctx); err != nil || len(list) != 0 {
		t.Errorf("assets after delete: %v %v", list, err)
	}
}
