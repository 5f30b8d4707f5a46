package protocol_test

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/koomock/koomock/protocol"
)

// The worked vector of spec saas-v2 §2.2.
const (
	vecKey   = "test-access-key-123"
	vecNonce = "50D83FDECAED6CCD8EF597F2A577950527928BA287D04E6036E92B2806FD17DA"
	vecTS    = int64(1680508066618)
	vecBody  = `{"activity":"newInstance","businessId":"87b94795-0603-4e24-8ae5-69420d60e3c8","orderId":"CS2211181819B4LVS","orderLineId":"CS2211181819B4LVS-000001","testFlag":"1"}`
	vecInner = "285908bb4967f74e31d81e4e6535e080bd5044f4371d9256c58670d2b69a67a9"
	vecSig   = "62E90CD8E07B3F168F232D9099789AAB7BA6ECCE7D5977652F689BEC1B64D13F"
)

func TestSignV2MatchesSpecVector(t *testing.T) {
	got := protocol.SignV2(vecKey, vecNonce, time.UnixMilli(vecTS), []byte(vecBody))
	if got.Inner != vecInner {
		t.Errorf("inner = %s, want %s", got.Inner, vecInner)
	}
	if got.Signature != vecSig {
		t.Errorf("signature = %s, want %s", got.Signature, vecSig)
	}
	if got.Timestamp != "1680508066618" {
		t.Errorf("timestamp = %s, want milliseconds 1680508066618", got.Timestamp)
	}
	if strings.Contains(got.MaskedStringToSign(), vecKey) {
		t.Errorf("masked string to sign reveals the key: %s", got.MaskedStringToSign())
	}
	if !strings.HasSuffix(got.MaskedStringToSign(), vecNonce+"1680508066618"+vecInner) {
		t.Errorf("masked string to sign = %s, want mask + nonce + timestamp + inner", got.MaskedStringToSign())
	}
}

func TestVerifyV2(t *testing.T) {
	now := time.UnixMilli(vecTS).Add(10 * time.Second)
	good := url.Values{"signature": {vecSig}, "timestamp": {"1680508066618"}, "nonce": {vecNonce}}
	with := func(name, value string) url.Values {
		q := url.Values{}
		for k, v := range good {
			q[k] = v
		}
		if value == "" {
			q.Del(name)
		} else {
			q.Set(name, value)
		}
		return q
	}
	reordered := `{"testFlag":"1","orderLineId":"CS2211181819B4LVS-000001","orderId":"CS2211181819B4LVS","businessId":"87b94795-0603-4e24-8ae5-69420d60e3c8","activity":"newInstance","extra":null}`
	tests := []struct {
		name  string
		query url.Values
		body  string
		now   time.Time
		want  error
	}{
		{"spec vector", good, vecBody, now, nil},
		{"lower-case hex accepted", with("signature", strings.ToLower(vecSig)), vecBody, now, nil},
		{"keys in another order and a null field", good, reordered, now, nil},
		{"tampered signature", with("signature", "00"+vecSig[2:]), vecBody, now, protocol.ErrSignatureMismatch},
		{"signature not hex", with("signature", "zz"), vecBody, now, protocol.ErrSignatureMismatch},
		{"tampered body", good, strings.Replace(vecBody, "CS2211181819B4LVS\"", "CS2211181819B4LVT\"", 1), now, protocol.ErrSignatureMismatch},
		{"wrong nonce", with("nonce", "X"+vecNonce[1:]), vecBody, now, protocol.ErrSignatureMismatch},
		{"no signature", with("signature", ""), vecBody, now, protocol.ErrNoSignature},
		{"no timestamp", with("timestamp", ""), vecBody, now, protocol.ErrNoTimestamp},
		{"timestamp in seconds", with("timestamp", "1680508066"), vecBody, now, protocol.ErrStaleTimestamp},
		{"timestamp not a number", with("timestamp", "yesterday"), vecBody, now, protocol.ErrBadTimestamp},
		{"stale by 61 s", good, vecBody, time.UnixMilli(vecTS).Add(61 * time.Second), protocol.ErrStaleTimestamp},
		{"61 s in the future", good, vecBody, time.UnixMilli(vecTS).Add(-61 * time.Second), protocol.ErrStaleTimestamp},
		{"exactly 60 s old", good, vecBody, time.UnixMilli(vecTS).Add(60 * time.Second), nil},
		{"no nonce", with("nonce", ""), vecBody, now, protocol.ErrNoNonce},
		{"body not JSON", good, "activity=newInstance", now, protocol.ErrNotJSONObject},
		{"body a JSON array", good, "[]", now, protocol.ErrNotJSONObject},
		{"body null", good, "null", now, protocol.ErrNotJSONObject},
		{"two objects", good, vecBody + "{}", now, protocol.ErrNotJSONObject},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := protocol.VerifyV2(vecKey, tt.query, []byte(tt.body), tt.now)
			if !errors.Is(err, tt.want) {
				t.Errorf("VerifyV2 = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestSignV2RoundTrip(t *testing.T) {
	bodies := []string{
		`{"a":"1"}`,
		`{"activity":"changeInstanceCheck","instanceId":"i-1","productInfo":{"linearValue":3,"productId":"P","productName":"名 <b>&","skuCode":"S"}}`,
		`{"memo":"中文 \u2028 line","n":1.50}`,
	}
	now := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	for _, body := range bodies {
		canonical, err := protocol.CanonicalJSON([]byte(body))
		if err != nil {
			t.Fatalf("canonical %s: %v", body, err)
		}
		sig := protocol.SignV2("k", "n0nce", now, canonical)
		if err := protocol.VerifyV2("k", sig.Query(), canonical, now); err != nil {
			t.Errorf("round trip of %s: %v", body, err)
		}
		if err := protocol.VerifyV2("other-key", sig.Query(), canonical, now); !errors.Is(err, protocol.ErrSignatureMismatch) {
			t.Errorf("verify with another key = %v, want mismatch", err)
		}
	}
}

func TestCanonicalJSON(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"b":"2","a":"1"}`, `{"a":"1","b":"2"}`},
		{`{ "a" : null , "b" : "x" }`, `{"b":"x"}`},
		{`{"html":"<a href=\"x\">&</a>"}`, `{"html":"<a href=\"x\">&</a>"}`},
		{`{"zh":"中文"}`, `{"zh":"中文"}`},
		{`{"n":1.50,"big":12345678901234567890}`, `{"big":12345678901234567890,"n":1.50}`},
		{`{"o":{"z":1,"a":[2,{"y":null}]}}`, `{"o":{"a":[2,{"y":null}],"z":1}}`},
	}
	for _, tt := range tests {
		got, err := protocol.CanonicalJSON([]byte(tt.in))
		if err != nil {
			t.Fatalf("CanonicalJSON(%s): %v", tt.in, err)
		}
		if string(got) != tt.want {
			t.Errorf("CanonicalJSON(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func BenchmarkSignV2(b *testing.B) {
	now := time.UnixMilli(vecTS)
	for b.Loop() {
		canonical, _ := protocol.CanonicalJSON([]byte(vecBody))
		protocol.SignV2(vecKey, vecNonce, now, canonical)
	}
}

// The V1 vector of spec saas-v2 §7.
func TestSignV1MatchesSpecVector(t *testing.T) {
	params := url.Values{"activity": {"newInstance"}, "businessId": {"b1"}, "orderId": {"o1"}, "testFlag": {"1"}, "timeStamp": {"20170725025113409"}}
	got := protocol.SignV1(vecKey, "20170725025113409", params)
	if got.Joined != "activity=newInstance&businessId=b1&orderId=o1&testFlag=1&timeStamp=20170725025113409" {
		t.Errorf("joined = %s", got.Joined)
	}
	if got.Token != "0jMPcK3FO6E5JpX0d2t0DrVkZHYSp7njfqL7/yrauoE=" {
		t.Errorf("authToken = %s", got.Token)
	}
}
