package template_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/protocol"
	"github.com/koomock/koomock/template"
)

// FuzzTemplate gives the template checker any bytes as a .tf (HCL) or .tf.json file. It must load
// them (a parse error is a finding), check them and try to render them without a panic, and every
// finding must name the file, a line and what is wrong. Seed corpus: testdata/fuzz/FuzzTemplate/ and
// the templates of testdata/.
func FuzzTemplate(f *testing.F) {
	for _, name := range []string{"good.tf", "good.tf.json", "broken.tf", "warnings.tf", "wrong_type.tf", "undecoded.tf", "bare_jsondecode.tf"} {
		src, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src, filepath.Ext(name) == ".json")
	}
	f.Add([]byte(`{"resource":[1,{"a":null}]}`), true)
	f.Add([]byte("variable \"x\" {\n  default = \"${\n}\n"), false)
	dir := f.TempDir()
	lookup := func(_ context.Context, id string) (koomock.Asset, bool, error) {
		return koomock.Asset{}, false, nil
	}
	answer := func(context.Context, template.AssetQuery) ([]protocol.DeployedObject, error) { return nil, nil }
	f.Fuzz(func(t *testing.T, src []byte, isJSON bool) {
		name := filepath.Join(dir, "main.tf")
		if isJSON {
			name += ".json"
		}
		if err := os.WriteFile(name, src, 0o600); err != nil {
			t.Fatal(err)
		}
		defer os.Remove(name)
		m, err := template.Load(name)
		if err != nil {
			t.Fatalf("a readable file did not load: %v", err)
		}
		found, err := template.Check(context.Background(), m, lookup)
		if err != nil {
			t.Fatalf("check: %v", err)
		}
		for _, fd := range found {
			if fd.File != name || fd.Line < 1 || fd.Message == "" || fd.Rule == "" {
				t.Fatalf("a finding without its file, line, rule or message: %+v", fd)
			}
		}
		template.Render(context.Background(), m, map[string]string{}, answer)
	})
}
