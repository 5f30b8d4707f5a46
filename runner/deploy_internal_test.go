package runner

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/koomock/koomock/template"
)

// TestWithAssetID: the data source's literal asset_id is replaced, in HCL and in .tf.json, and its
// asset_version is the version uploaded.
func TestWithAssetID(t *testing.T) {
	for name, tc := range map[string]struct{ src, want string }{
		"main.tf": {"data \"huaweicloud_koogallery_assets\" \"p\" {\n  asset_id = \"ASSET_ID\"\n  deployed_type = \"software_package\"\n  asset_version = \"V2.0\"\n}\n",
			"data \"huaweicloud_koogallery_assets\" \"p\" {\n  asset_id = \"abc-1\"\n  deployed_type = \"software_package\"\n  asset_version = \"V2.0\"\n}\n"},
		"main.tf.json": {`{"data":{"huaweicloud_koogallery_assets":{"p":{"asset_id":"ASSET_ID","deployed_type":"software_package","asset_version":"V2.0"}}}}`,
			`{"data":{"huaweicloud_koogallery_assets":{"p":{"asset_id":"abc-1","deployed_type":"software_package","asset_version":"V2.0"}}}}`},
	} {
		path := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(path, []byte(tc.src), 0o644); err != nil {
			t.Fatal(err)
		}
		m, err := template.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		ids, version := assetRef(m)
		if got := string(withAssetID([]byte(tc.src), ids, "abc-1")); got != tc.want || version != "V2.0" {
			t.Errorf("%s: got %q version %q", name, got, version)
		}
	}
}
