package assets_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/koomock/koomock/controlapi"
)

// TestTemplates: templates attach by name (a .tf.json too, whatever its Content-Type), answers list
// them without their text, and an asset's last template cannot be detached.
func TestTemplates(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	a := e.packageAsset()
	if _, err := e.api.AttachTemplate(ctx, a.ID, "main.tf", []byte(`data "huaweicloud_koogallery_assets" "p" {}`)); err != nil {
		t.Fatal(err)
	}
	r, _ := http.NewRequest(http.MethodPut, e.srv.URL()+"/_mock/assets/"+a.ID+"/templates/alt.tf.json", strings.NewReader(`{"resource":{}}`))
	r.Header.Set("Content-Type", "application/json")
	if resp, err := http.DefaultClient.Do(r); err != nil || resp.StatusCode != 200 {
		t.Fatalf("attach a .tf.json: %v %v", resp, err)
	}
	got, err := e.api.Asset(ctx, a.ID)
	if err != nil || len(got.Templates) != 2 || got.Templates[0].Content != "" || got.Templates[1].Size != len(`{"resource":{}}`) {
		t.Fatalf("asset = %+v, %v", got.Templates, err)
	}
	tmpl, err := e.api.AssetTemplate(ctx, a.ID, "alt.tf.json")
	if err != nil || tmpl.Content != `{"resource":{}}` {
		t.Errorf("template = %+v, %v", tmpl, err)
	}
	for _, name := range []string{"main.yaml", "my main.tf"} {
		if _, err := e.api.AttachTemplate(ctx, a.ID, name, []byte("x")); controlapi.ErrorCode(err) != controlapi.CodeInvalid {
			t.Errorf("template %q: %v", name, err)
		}
	}
	if _, err := e.api.DetachTemplate(ctx, a.ID, "main.tf"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.api.DetachTemplate(ctx, a.ID, "alt.tf.json"); controlapi.ErrorCode(err) != controlapi.CodeConflict || !strings.Contains(err.Error(), "last template") {
		t.Errorf("detaching the last template: %v", err)
	}
	if _, err := e.api.DetachTemplate(ctx, a.ID, "nope.tf"); controlapi.ErrorCode(err) != controlapi.CodeNotFound {
		t.Errorf("detaching an unknown template: %v", err)
	}
	if _, err := e.api.AssetTemplate(ctx, a.ID, "main.tf"); controlapi.ErrorCode(err) != controlapi.CodeNotFound {
		t.Errorf("a detached template: %v", err)
	}
}
