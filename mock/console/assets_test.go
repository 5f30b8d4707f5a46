package console_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
)

// assetSamples makes an asset with a version and two templates for the parity test's asset forms.
func assetSamples(t *testing.T, api *controlapi.Client) map[string]url.Values {
	t.Helper()
	ctx := context.Background()
	a, err := api.CreateAsset(ctx, controlapi.AssetRequest{Name: "Parity", DeployedType: koomock.DeploySoftwarePackage})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := api.UploadAssetVersion(ctx, a.ID, "V1.0", controlapi.AssetUpload{PackageName: "p.tar.gz", Body: strings.NewReader("x"), Size: 1}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"a.tf", "b.tf"} {
		if _, err := api.AttachTemplate(ctx, a.ID, name, []byte("# template\n")); err != nil {
			t.Fatal(err)
		}
	}
	return map[string]url.Values{
		"asset-create":          {"name": {"Parity-2"}, "deployedType": {"software_package"}},
		"asset-upload":          {"assetId": {a.ID}, "version": {"V2.0"}, "packageName": {"q.tar.gz"}},
		"asset-version-delete":  {"assetId": {a.ID}, "version": {"V1.0"}},
		"asset-template-attach": {"assetId": {a.ID}, "name": {"c.tf"}, "content": {"# pasted\n"}},
		"asset-template-detach": {"assetId": {a.ID}, "name": {"a.tf"}},
		"asset-delete":          {"assetId": {a.ID}},
	}
}

// TestAssetCentreFromTheConsole: add an asset, upload a package as the page's script does (the file
// as the body, the token in a header) and as a plain multipart form, attach a template pasted and
// uploaded, and meet the asset centre's refusals on the page: the last template, a version in use.
func TestAssetCentreFromTheConsole(t *testing.T) {
	srv, api := newServer(t, nil, nil)
	ctx := context.Background()
	b := newBrowser(t, srv.URL())
	mustContain(t, "the asset centre", b.get("/console/assets").body, "No asset yet", "asset-create", "Asset centre")
	got := b.post("/console/actions/asset-create", url.Values{"name": {"License-client"}, "deployedType": {"software_package"}})
	if got.status != http.StatusSeeOther || !strings.HasPrefix(got.location, "/console/assets/") {
		t.Fatalf("create: %d %s %s", got.status, got.location, got.body)
	}
	id := strings.TrimPrefix(got.location, "/console/assets/")
	mustContain(t, "the new asset's page", b.get(got.location).body, id, "upload-progress", "data-upload", "No version yet", "No template yet")

	// The script's upload: the file as the body.
	pkg := bytes.Repeat([]byte("package "), 1<<18) // 2 MiB, past the control API's JSON limit
	req, _ := http.NewRequest(http.MethodPost, srv.URL()+"/console/actions/asset-upload?"+url.Values{
		"assetId": {id}, "version": {"V1.0"}, "packageName": {"licenseclient_linux.tar.gz"}}.Encode(), bytes.NewReader(pkg))
	req.Header.Set("Content-Type", "application/octet-stream")
	req.Header.Set("X-Koomock-CSRF", b.csrf)
	req.Header.Set("Origin", srv.URL())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if got := b.do(req); got.status != http.StatusSeeOther {
		t.Fatalf("script upload: %d %s", got.status, got.body)
	}
	// Without the token the same upload is refused.
	req, _ = http.NewRequest(http.MethodPost, srv.URL()+"/console/actions/asset-upload?assetId="+id+"&version=V9.0&packageName=x.tar.gz", strings.NewReader("x"))
	req.Header.Set("Content-Type", "application/octet-stream")
	if got := b.do(req); got.status != http.StatusForbidden {
		t.Errorf("an upload without the CSRF token: %d", got.status)
	}
	// The form without the script: multipart, with the package and the template as files.
	multipartPost := func(action string, fields map[string]string, file, filename, content string) page {
		var body bytes.Buffer
		w := multipart.NewWriter(&body)
		w.WriteField("csrf", b.csrf)
		for k, v := range fields {
			w.WriteField(k, v)
		}
		fw, _ := w.CreateFormFile(file, filename)
		fw.Write([]byte(content))
		w.Close()
		req, _ := http.NewRequest(http.MethodPost, srv.URL()+"/console/actions/"+action, &body)
		req.Header.Set("Content-Type", w.FormDataContentType())
		req.Header.Set("Origin", srv.URL())
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		return b.do(req)
	}
	if got := multipartPost("asset-upload", map[string]string{"assetId": id, "version": "V2.0"}, "package", "client(v2).zip", "zip bytes"); got.status != http.StatusSeeOther {
		t.Fatalf("form upload: %d %s", got.status, got.body)
	}
	if got := multipartPost("asset-template-attach", map[string]string{"assetId": id}, "template", "main.tf", "# the template\n"); got.status != http.StatusSeeOther {
		t.Fatalf("template upload: %d %s", got.status, got.body)
	}
	a, err := api.Asset(ctx, id)
	if err != nil || len(a.Versions) != 2 || a.Versions[0].Package.Size != int64(len(pkg)) || a.Versions[1].Package.Name != "client(v2).zip" || len(a.Templates) != 1 {
		t.Fatalf("after the uploads: %+v %v", a, err)
	}
	page := b.get("/console/assets/" + id).body
	mustContain(t, "the asset's page", page, "licenseclient_linux.tar.gz", a.Versions[0].Package.SHA256, "client(v2).zip", "main.tf", "cn-north-4")
	mustContain(t, "the list", b.get("/console/assets").body, "License-client", "V1.0, V2.0", "main.tf")

	got = b.post("/console/actions/asset-template-detach", url.Values{"assetId": {id}, "name": {"main.tf"}})
	mustContain(t, "detaching the last template", got.body, "last template")
	if _, err := api.BuyLicense(ctx, controlapi.LicensePurchase{}); err != nil {
		t.Fatal(err)
	}
	got = b.post("/console/actions/asset-version-delete", url.Values{"assetId": {id}, "version": {"V1.0"}})
	mustContain(t, "deleting a version in use", got.body, "in use by a bought product")
	if got := b.post("/console/actions/asset-template-attach", url.Values{"assetId": {id}, "name": {"alt.tf"}, "content": {"# pasted\n"}}); got.status != http.StatusSeeOther {
		t.Errorf("pasted template: %d %s", got.status, got.body)
	}
	if a, _ := api.Asset(ctx, id); len(a.Templates) != 2 {
		t.Errorf("templates: %+v", a.Templates)
	}
}
