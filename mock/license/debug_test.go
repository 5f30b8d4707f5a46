package license_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/koomock/koomock/ids"
	"github.com/koomock/koomock/mock/license"
	"github.com/koomock/koomock/openapi"
	"github.com/koomock/koomock/protocol"
)

// TestDebugBodies: each license callback has a debug body the seller's document allows, marked as a
// debug call; other activities have none.
func TestDebugBodies(t *testing.T) {
	spec, err := openapi.Load(nil, openapi.SellerFile)
	if err != nil {
		t.Fatal(err)
	}
	src := ids.New(nil)
	for _, a := range []protocol.Activity{protocol.RefreshLicenseCode, protocol.UpdateLicenseCodeStatus, protocol.ReleaseLicenseCode} {
		body, ok := license.DebugBody(a, src, "OFFI100000000000000101", time.Now())
		if !ok || body[protocol.FieldTestFlag] != protocol.TestFlagDebug || body[protocol.FieldActivity] != string(a) {
			t.Fatalf("%s: %v %v", a, ok, body)
		}
		raw, _ := json.Marshal(body)
		var wire any
		json.Unmarshal(raw, &wire)
		if v, err := spec.CheckRequest(string(a), wire); err != nil || len(v) > 0 {
			t.Errorf("%s: %v %v", a, v, err)
		}
	}
	if _, ok := license.DebugBody(protocol.NewInstance, src, "", time.Now()); ok {
		t.Error("newInstance is no license callback")
	}
}
