package template_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/koomock/koomock/protocol"
	"github.com/koomock/koomock/template"
)

// answer is the asset centre answering ASSET-ID V1.0 with a URL whose "&" is JSON-escaped.
func answer(_ context.Context, q template.AssetQuery) ([]protocol.DeployedObject, error) {
	return []protocol.DeployedObject{{AssetID: q.AssetID, DeployedType: q.DeployedType, Version: q.Version, VersionID: "VID",
		SoftwarePkg: &protocol.SoftwarePkgDeployedObject{PackageName: "client.tar.gz", Checksum: "abc",
			InternalPath: `http://host.docker.internal:1234/asset-packages/A/VID/client.tar.gz?Expires=9\u0026Signature=s`}}}, nil
}

func load(t *testing.T, file string) *template.Module {
	t.Helper()
	m, err := template.Load(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestRenderWithTheBuyersInputs: the user_data carries the decoded URL, the data source is asked with
// the version the variable names, and the password is noted sensitive.
func TestRenderWithTheBuyersInputs(t *testing.T) {
	var asked template.AssetQuery
	r, err := template.Render(context.Background(), load(t, "good.tf"), map[string]string{"ecs_password": "Secret-1", "asset_version": "V2.0"},
		func(ctx context.Context, q template.AssetQuery) ([]protocol.DeployedObject, error) {
			asked = q
			return answer(ctx, q)
		})
	if err != nil {
		t.Fatal(err)
	}
	if asked != (template.AssetQuery{AssetID: "ASSET-ID", DeployedType: "software_package", Version: "V2.0"}) {
		t.Errorf("asked %+v", asked)
	}
	if len(r.Servers) != 1 || r.Servers[0].Resource != "huaweicloud_compute_instance.server" ||
		!strings.Contains(r.Servers[0].UserData, `"http://host.docker.internal:1234/asset-packages/A/VID/client.tar.gz?Expires=9&Signature=s"`) {
		t.Errorf("servers %+v", r.Servers)
	}
	if len(r.Sensitive) != 1 || r.Sensitive[0] != "Secret-1" {
		t.Errorf("sensitive %q", r.Sensitive)
	}
}

// TestRenderRefusals: a variable the buyer must fill, an input the template does not declare, a
// template that does not parse, each an error naming it.
func TestRenderRefusals(t *testing.T) {
	for _, c := range []struct {
		file   string
		inputs map[string]string
		want   string
	}{
		{"good.tf", nil, "ecs_password"},
		{"good.tf", map[string]string{"ecs_password": "x", "colour": "red"}, "colour"},
		{"broken.tf", nil, "broken.tf:5"},
	} {
		_, err := template.Render(context.Background(), load(t, c.file), c.inputs, answer)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %v: %v, want it to name %q", c.file, c.inputs, err, c.want)
		}
	}
}
