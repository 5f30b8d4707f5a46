package assets_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/koomock/koomock/controlapi"
)

// TestVersionInUseByABoughtProduct: once a License code is bought, the versions that existed are in
// use and cannot be deleted (nor the asset), in the control API's conflict format naming the code;
// a version uploaded after the purchase can be, and so can every one once the code is released.
// Test codes do not count.
func TestVersionInUseByABoughtProduct(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	a := e.packageAsset()
	if _, err := e.upload(a.ID, "V1.0", "client.tar.gz", "v1 bytes"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.api.TestCodes(ctx, controlapi.TestCodesRequest{}); err != nil {
		t.Fatal(err)
	}
	e.clk.Advance(time.Minute)
	bought, err := e.api.BuyLicense(ctx, controlapi.LicensePurchase{})
	if err != nil {
		t.Fatal(err)
	}
	code := bought.Codes[0].Code
	e.clk.Advance(time.Minute)
	if _, err := e.upload(a.ID, "V2.0", "client.tar.gz", "v2 bytes"); err != nil {
		t.Fatal(err)
	}
	_, err = e.api.DeleteAssetVersion(ctx, a.ID, "V1.0")
	if controlapi.ErrorCode(err) != controlapi.CodeConflict || !strings.Contains(err.Error(), code) || !strings.Contains(err.Error(), "in use") {
		t.Errorf("deleting V1.0 in use: %v", err)
	}
	if err := e.api.DeleteAsset(ctx, a.ID); controlapi.ErrorCode(err) != controlapi.CodeConflict {
		t.Errorf("deleting the asset in use: %v", err)
	}
	if got, err := e.api.Asset(ctx, a.ID); err != nil || len(got.Versions) != 2 {
		t.Errorf("after the refusals: %+v %v", got, err)
	}
	if _, err := e.api.DeleteAssetVersion(ctx, a.ID, "V2.0"); err != nil {
		t.Errorf("V2.0 came after the purchase: %v", err)
	}
	if _, err := e.api.LicenseAction(ctx, code, "release", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := e.api.DeleteAssetVersion(ctx, a.ID, "V1.0"); err != nil {
		t.Errorf("V1.0 once its code is released: %v", err)
	}
}
