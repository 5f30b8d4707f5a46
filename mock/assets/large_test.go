package assets_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"github.com/koomock/koomock/controlapi"
)

// TestPackageOverTheControlAPILimit: a package is streamed past the control API's 1 MiB body limit
// (which holds for its JSON requests), in both a declared-length and a chunked upload.
func TestPackageOverTheControlAPILimit(t *testing.T) {
	e := newEnv(t, nil)
	a := e.packageAsset()
	body := bytes.Repeat([]byte("koomock "), 3<<20/8)
	want := sha256.Sum256(body)
	for _, size := range []int64{int64(len(body)), -1} {
		got, err := e.api.UploadAssetVersion(context.Background(), a.ID, "V1.0", controlapi.AssetUpload{
			PackageName: "big.tar.gz", Body: bytes.NewReader(body), Size: size})
		if err != nil {
			t.Fatalf("size %d: %v", size, err)
		}
		if v, _ := got.Version("V1.0"); v.Package == nil || v.Package.SHA256 != hex.EncodeToString(want[:]) || v.Package.Size != int64(len(body)) {
			t.Errorf("size %d: stored %+v", size, v.Package)
		}
	}
	if _, err := e.api.PutAssetVersion(context.Background(), a.ID, "V2.0", controlapi.AssetVersionSource{}); err == nil {
		t.Error("an empty JSON source was accepted")
	}
}
