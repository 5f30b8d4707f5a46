package kit_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/mock"
	"github.com/koomock/koomock/openapi"
	"github.com/koomock/koomock/protocol"
)

// TestDebugSyncs: a standalone kit addresses each kit sync as the server does, with a body the
// seller's document allows, marked as a debug call; it refuses without a kit key.
func TestDebugSyncs(t *testing.T) {
	spec, err := openapi.Load(nil, openapi.SellerFile)
	if err != nil {
		t.Fatal(err)
	}
	k, err := mock.JointConfig{KitKey: fixtures.DemoKitKey}.StandaloneKit("http://seller.test/produce", "http://koomock.test")
	if err != nil {
		t.Fatal(err)
	}
	for _, sync := range protocol.KitSyncs {
		d, ok, err := k.DebugSync(sync)
		if !ok || err != nil || d.URL != "http://seller.test/produce/produceAPI/v2/"+string(sync) || d.Key != fixtures.DemoKitKey || d.Body["testFlag"] != 1 {
			t.Fatalf("%s: %v %v %+v", sync, ok, err, d)
		}
		raw, _ := json.Marshal(d.Body)
		var wire any
		json.Unmarshal(raw, &wire)
		if v, err := spec.CheckRequest(string(sync), wire); err != nil || len(v) > 0 {
			t.Errorf("%s: %v %v", sync, v, err)
		}
	}
	if _, ok, _ := k.DebugSync("newInstance"); ok {
		t.Error("newInstance is no kit sync")
	}
	k.KitKey = ""
	if _, _, err := k.DebugSync(protocol.TenantSync); err == nil || !strings.Contains(err.Error(), "--kit-key") {
		t.Errorf("no kit key: %v", err)
	}
}
