package seller_test

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/koomock/koomock/examples/seller"
)

func TestReferenceSellerLicenseCallbacks(t *testing.T) {
	srv := httptest.NewServer(seller.New(seller.Config{AccessKey: key, Now: func() time.Time { return now }, Wall: func() time.Time { return now }}))
	defer srv.Close()
	tests := []struct {
		name, body, code string
	}{
		{"renewal", `{"activity":"refreshLicenseCode","expireTime":"20271127080000","license":"PL1","orderId":"CS2","orderLineId":"CS2-000001","productId":"P","scene":"RENEWAL"}`, "000000"},
		{"renewal refund", `{"activity":"refreshLicenseCode","expireTime":"20261127080000","license":"PL1","orderId":"CS3","orderLineId":"CS3-000001","scene":"UNSUBSCRIBE_RENEWAL_PERIOD"}`, "000000"},
		{"freeze", `{"activity":"updateLicenseCodeStatus","license":"PL1","status":"FREEZE"}`, "000000"},
		{"freeze again", `{"activity":"updateLicenseCodeStatus","license":"PL1","status":"FREEZE"}`, "000000"},
		{"unfreeze", `{"activity":"updateLicenseCodeStatus","license":"PL1","status":"UNFREEZE"}`, "000000"},
		{"release", `{"activity":"releaseLicenseCode","license":"PL1","orderId":"CS4","orderLineId":"CS4-000001"}`, "000000"},
		{"release again", `{"activity":"releaseLicenseCode","license":"PL1"}`, "000000"},
		{"a code heard of first", `{"activity":"updateLicenseCodeStatus","license":"PLNEW","status":"FREEZE"}`, "000000"},
		{"debug call", `{"activity":"releaseLicenseCode","license":"PLDEBUG","testFlag":"1"}`, "000000"},
		{"unknown scene", `{"activity":"refreshLicenseCode","expireTime":"20271127080000","license":"PL1","orderId":"CS2","orderLineId":"CS2-000001","scene":"UPGRADE"}`, "000002"},
		{"expireTime with milliseconds", `{"activity":"refreshLicenseCode","expireTime":"20271127080000000","license":"PL1","orderId":"CS2","orderLineId":"CS2-000001","scene":"RENEWAL"}`, "000002"},
		{"no order", `{"activity":"refreshLicenseCode","expireTime":"20271127080000","license":"PL1","scene":"RENEWAL"}`, "000002"},
		{"unknown status", `{"activity":"updateLicenseCodeStatus","license":"PL1","status":"DELETE"}`, "000002"},
		{"no license", `{"activity":"releaseLicenseCode"}`, "000002"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := call(t, srv, tt.body, now, nil); got.ResultCode != tt.code {
				t.Errorf("resultCode %s (%s), want %s", got.ResultCode, got.ResultMsg, tt.code)
			}
		})
	}
	if got := call(t, srv, `{"activity":"releaseLicenseCode","license":"PL1"}`, now.Add(-2*time.Minute), nil); got.ResultCode != "000002" {
		t.Errorf("a stale license callback: %s", got.ResultCode)
	}
}
