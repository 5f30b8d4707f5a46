package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
)

// TestTemplateCheck: a correct template for an asset in koomock passes; a wrong deployed_type, an
// un-decoded internal_path and an unknown asset fail naming their rules; a missing file is exit 2.
func TestTemplateCheck(t *testing.T) {
	api := startKoomock(t, "")
	ctx := context.Background()
	a, err := api.CreateAsset(ctx, controlapi.AssetRequest{Name: "client", DeployedType: koomock.DeploySoftwarePackage})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := api.UploadAssetVersion(ctx, a.ID, "V1.0", controlapi.AssetUpload{PackageName: "client.zip", Body: strings.NewReader("zip"), Size: 3}); err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("../../template/testdata/good.tf")
	if err != nil {
		t.Fatal(err)
	}
	good := strings.Replace(string(src), "ASSET-ID", a.ID, 1)
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	goodFile := write("good.tf", good)
	if code, out, errOut := cli(t, nil, "template", "check", goodFile, "--mock-url", api.BaseURL, "--attach"); code != exitOK || !strings.Contains(out, "passes (1 warnings)") ||
		!strings.Contains(out, "template.attached") || !strings.Contains(out, "attached good.tf to asset "+a.ID) {
		t.Errorf("correct template, attached: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, errOut := cli(t, nil, "template", "check", goodFile, "--mock-url", api.BaseURL); code != exitOK || !strings.Contains(out, "passes (0 warnings)") {
		t.Errorf("correct template once attached: exit %d\n%s%s", code, out, errOut)
	}
	if tmpl, err := api.AssetTemplate(ctx, a.ID, "good.tf"); err != nil || tmpl.Content != good {
		t.Errorf("attached template = %+v, %v", tmpl, err)
	}
	for name, c := range map[string]struct{ text, rule string }{
		"type.tf":     {strings.Replace(good, `"software_package"`, `"image"`, 1), "template.deployedType"},
		"raw.tf":      {strings.Replace(good, "${local.software_url_decode}", "${local.software_url}", 1), "template.internalPathDecoded"},
		"unknown.tf":  {strings.Replace(good, a.ID, "no-such-asset", 1), "template.assetExists"},
		"version.tf":  {strings.Replace(good, `"V1.0"`, `"V9.9"`, 1), "template.assetExists"},
		"nodata.tf":   {"resource \"huaweicloud_compute_instance\" \"s\" {\n  user_data = \"echo\"\n}\n", "template.assetDataSource"},
		"unclosed.tf": {good[:len(good)-3], "template.parse"},
	} {
		code, out, errOut := cli(t, nil, "template", "check", write(name, c.text), "--mock-url", api.BaseURL)
		if code != exitRule || !strings.Contains(out, "FAIL "+filepath.Join(dir, name)+":") || !strings.Contains(out, c.rule) || !strings.Contains(out, "fix: ") {
			t.Errorf("%s: exit %d, want 1 naming %s\n%s%s", name, code, c.rule, out, errOut)
		}
	}
	if code, out, _ := cli(t, nil, "template", "check", filepath.Join(dir, "unknown.tf"), "--offline"); code != exitOK {
		t.Errorf("--offline: exit %d\n%s", code, out)
	}
	if code, _, errOut := cli(t, nil, "template", "check", filepath.Join(dir, "missing.tf")); code != exitUsage || errOut == "" {
		t.Errorf("missing file: exit %d %s", code, errOut)
	}
	if code, _, errOut := cli(t, nil, "template", "check", filepath.Join(dir, "good.tf"), "--mock-url", "http://127.0.0.1:1"); code != exitUsage || !strings.Contains(errOut, "no koomock at") {
		t.Errorf("no koomock: exit %d %s", code, errOut)
	}
}
