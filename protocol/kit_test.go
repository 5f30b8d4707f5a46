package protocol_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/koomock/koomock/protocol"
)

// The kit vector of spec saas-v2 §2.3 (same key, nonce and timestamp as §2.2).
const (
	kitVecBody = `{"domainName":"https://example.tenantaccount.com","flag":1,"instanceId":"huaiweitest123456","name":"huaiweitest","orderId":"CS1906666666ABCDE","tenantCode":"huawei","tenantId":"68cbc86abc","testFlag":0,"timeStamp":"20220413093539534"}`
	kitVecSign = "767d7e86a19a52e91b229e5b0f28f3a5c32bd5145b525b4da502c231e0c3b8c4"
	// kitVecInner is the inner-HMAC reading, computed independently (Python hmac) from the formula.
	kitVecInner = "73d98975c031092e7ff636478ad64eec197cfe440d063dd22d0fe5bf687af257"
)

func TestSignKitMatchesSpecVector(t *testing.T) {
	got := protocol.SignKit(vecKey, vecNonce, time.UnixMilli(vecTS), []byte(kitVecBody), false)
	if got.Signature != kitVecSign {
		t.Errorf("x-sign = %s, want %s", got.Signature, kitVecSign)
	}
	if got.Inner != "" || strings.Contains(got.MaskedStringToSign(), vecKey) || !strings.HasSuffix(got.MaskedStringToSign(), vecNonce+"1680508066618"+kitVecBody) {
		t.Errorf("string to sign = %s", got.MaskedStringToSign())
	}
	inner := protocol.SignKit(vecKey, vecNonce, time.UnixMilli(vecTS), []byte(kitVecBody), true)
	if inner.Signature != kitVecInner || inner.Inner == "" {
		t.Errorf("inner-HMAC x-sign = %s (inner %q), want %s", inner.Signature, inner.Inner, kitVecInner)
	}
}

func TestVerifyKit(t *testing.T) {
	now := time.UnixMilli(vecTS).Add(5 * time.Second)
	headers := func(edit func(http.Header)) http.Header {
		h := http.Header{}
		protocol.SignKit(vecKey, vecNonce, time.UnixMilli(vecTS), []byte(kitVecBody), false).Apply(h)
		if edit != nil {
			edit(h)
		}
		return h
	}
	reordered := `{"testFlag":0,"timeStamp":"20220413093539534","tenantId":"68cbc86abc","tenantCode":"huawei","orderId":"CS1906666666ABCDE","name":"huaiweitest","instanceId":"huaiweitest123456","flag":1,"domainName":"https://example.tenantaccount.com"}`
	tests := []struct {
		name  string
		h     http.Header
		body  string
		now   time.Time
		inner bool
		want  error
	}{
		{"spec vector", headers(nil), kitVecBody, now, false, nil},
		{"upper-case hex", headers(func(h http.Header) { h.Set("x-sign", strings.ToUpper(kitVecSign)) }), kitVecBody, now, false, nil},
		{"keys in another order", headers(nil), reordered, now, false, nil},
		{"verified as inner-HMAC", headers(nil), kitVecBody, now, true, protocol.ErrSignatureMismatch},
		{"the basic-interface formula", headers(func(h http.Header) {
			h.Set("x-sign", protocol.SignV2(vecKey, vecNonce, time.UnixMilli(vecTS), []byte(kitVecBody)).Signature)
		}), kitVecBody, now, false, protocol.ErrSignatureMismatch},
		{"flag changed", headers(nil), strings.Replace(kitVecBody, `"flag":1`, `"flag":0`, 1), now, false, protocol.ErrSignatureMismatch},
		{"no x-sign", headers(func(h http.Header) { h.Del("x-sign") }), kitVecBody, now, false, protocol.ErrNoKitSign},
		{"no x-timestamp", headers(func(h http.Header) { h.Del("x-timestamp") }), kitVecBody, now, false, protocol.ErrNoKitTimestamp},
		{"no x-nonce", headers(func(h http.Header) { h.Del("x-nonce") }), kitVecBody, now, false, protocol.ErrNoKitNonce},
		{"stale", headers(nil), kitVecBody, now.Add(time.Minute), false, protocol.ErrStaleTimestamp},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := protocol.VerifyKit(vecKey, tt.h, []byte(tt.body), tt.now, tt.inner); !errors.Is(err, tt.want) {
				t.Errorf("VerifyKit = %v, want %v", err, tt.want)
			}
		})
	}
	inner := http.Header{}
	protocol.SignKit(vecKey, vecNonce, time.UnixMilli(vecTS), []byte(kitVecBody), true).Apply(inner)
	if err := protocol.VerifyKit(vecKey, inner, []byte(kitVecBody), now, true); err != nil {
		t.Errorf("inner-HMAC round trip: %v", err)
	}
}

func TestKitTimeStamp(t *testing.T) {
	at := time.Date(2022, 4, 20, 3, 41, 17, 642_000_000, time.UTC)
	if got := protocol.KitTimeStamp(at); got != "20220420114117642" {
		t.Errorf("KitTimeStamp = %s, want the spec's example 20220420114117642 (UTC+8)", got)
	}
	back, err := protocol.ParseKitTimeStamp("20220420114117642")
	if err != nil || !back.Equal(at) {
		t.Errorf("ParseKitTimeStamp = %v, %v", back, err)
	}
	for _, bad := range []string{"", "2022042011411764", "2022042011411764x", "20221320114117642"} {
		if _, err := protocol.ParseKitTimeStamp(bad); err == nil {
			t.Errorf("ParseKitTimeStamp(%q) accepted", bad)
		}
	}
}
