package diagnose_test

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"

	"github.com/koomock/koomock/diagnose"
	"github.com/koomock/koomock/protocol"
)

// The usage-push vector of spec saas-v2 §6.3.
const (
	upKey        = "test-access-key-123"
	upTS         = "1709690865879"
	upNonce      = "6c63c221-1f6b-4141-8ff4-22f5dfe82b65"
	upBody       = `{"usage_records":[{"begin_time":"20220809T080000Z","end_time":"20220809T090000Z","instance_id":"7f141bf1-aec8-4859-8323-fb3a8ad50721","metering_sn":"sn-0001","record_time":"20220809T091000Z","usage_value":"99"}]}`
	upSig        = "PBNsDzxO8qf7knZpeqwkdd1ECwDksPnj02ZYFY9eSRk="
	unsortedBody = `{"usage_records":[{"instance_id":"7f141bf1-aec8-4859-8323-fb3a8ad50721","usage_value":"99","metering_sn":"sn-0001","begin_time":"20220809T080000Z","end_time":"20220809T090000Z","record_time":"20220809T091000Z"}]}`
)

func TestUsagePushMistakesAreNamed(t *testing.T) {
	msg := func(body string) string { return "ts=" + upTS + "&nonce=" + upNonce + "&body=" + body }
	others := map[string]string{"the API SK": "the-sk-of-the-api", "the kit key": "the-kit-key"}
	tests := []struct {
		name, body, sig, want string
	}{
		{"spec vector", upBody, upSig, ""},
		{"unsorted body sent, sorted signed", unsortedBody, upSig, ""},
		{"signed in the order sent", unsortedBody, base64.StdEncoding.EncodeToString(raw(upKey, msg(unsortedBody))), diagnose.MistakeUsageUnsorted},
		{"hex", upBody, hex.EncodeToString(raw(upKey, msg(upBody))), diagnose.MistakeUsageHex},
		{"signed with the SK", upBody, base64.StdEncoding.EncodeToString(raw("the-sk-of-the-api", msg(upBody))), diagnose.MistakeUsageWrongKey},
		{"no signature", upBody, "", diagnose.MistakeUsageHeaders},
		{"something else", upBody, base64.StdEncoding.EncodeToString(raw(upKey, "ts="+upTS+"&body="+upBody)), diagnose.MistakeUsageOther},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			verr := protocol.VerifyUsage(upKey, upTS, upNonce, tt.sig, []byte(tt.body))
			d := diagnose.UsagePush(diagnose.UsageInput{TS: upTS, Nonce: upNonce, Signature: tt.sig, Body: []byte(tt.body), AccessKey: upKey, OtherKeys: others})
			if (verr == nil) != (tt.want == "") || d.Mistake != tt.want {
				t.Fatalf("verify %v, diagnosis %+v, want %q", verr, d, tt.want)
			}
			b, _ := json.Marshal(d)
			for _, secret := range []string{upKey, "the-sk-of-the-api", "the-kit-key"} {
				if strings.Contains(string(b), secret) {
					t.Errorf("the diagnosis reveals a key: %s", b)
				}
			}
		})
	}
}
