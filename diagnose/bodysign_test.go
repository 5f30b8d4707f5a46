package diagnose_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/diagnose"
	"github.com/koomock/koomock/protocol"
)

// The vector of spec saas-v2 §2.4.
const (
	bsKey  = "test-access-key-123"
	bsBody = `{"resultCode":"000000","resultMsg":"success"}`
	bsSig  = "9r6UjfYtel1H1EO7t+89DeDkSnQky1LpCOfzpJpfHuk="
	bsTS   = "1680508066618"
)

func raw(key, msg string) []byte {
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(msg))
	return m.Sum(nil)
}

func header(sig string) string { return `sign_type="HMAC-SHA256", signature= "` + sig + `"` }

func TestBodySignMistakesAreNamed(t *testing.T) {
	tests := []struct {
		name, header, want string
	}{
		{"correct", header(bsSig), ""},
		{"correct without the space", `sign_type="HMAC-SHA256",signature="` + bsSig + `"`, ""},
		{"missing", "", diagnose.MistakeBodySignMissing},
		{"wrong sign type", `sign_type="HMAC-SHA1", signature= "` + bsSig + `"`, diagnose.MistakeBodySignMalformed},
		{"no quotes", `sign_type=HMAC-SHA256, signature=` + bsSig, diagnose.MistakeBodySignUnquoted},
		{"key + timeStamp", header(base64.StdEncoding.EncodeToString(raw(bsKey+bsTS, bsBody))), diagnose.MistakeBodySignKeyPlusTS},
		{"hex", header(hex.EncodeToString(raw(bsKey, bsBody))), diagnose.MistakeBodySignHex},
		{"re-encoded body", header(base64.StdEncoding.EncodeToString(raw(bsKey, `{"resultCode": "000000", "resultMsg": "success"}`))), diagnose.MistakeBodySignReencoded},
		{"other key", header(base64.StdEncoding.EncodeToString(raw("another-key", bsBody))), diagnose.MistakeBodySignOther},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, bad := diagnose.BodySign(bsKey, tt.header, []byte(bsBody), bsTS)
			if bad != (tt.want != "") || d.Mistake != tt.want {
				t.Fatalf("BodySign = %v %+v, want mistake %q", bad, d, tt.want)
			}
			if bad && d.Summary == "" {
				t.Error("no summary")
			}
			if b, _ := json.Marshal(d); strings.Contains(string(b), bsKey) {
				t.Errorf("the diagnosis reveals the key: %s", b)
			}
		})
	}
}

func TestRefusalCausesFitTheBody(t *testing.T) {
	sign := func(body string) koomock.SigningTrace {
		s := protocol.SignV2(bsKey, "N0NCE", now, []byte(body))
		return koomock.SigningTrace{Scheme: protocol.SchemeV2, CanonicalBody: body, InnerDigest: s.Inner,
			StringToSign: s.MaskedStringToSign(), Nonce: s.Nonce, Timestamp: s.Timestamp, Signature: s.Signature}
	}
	plain := diagnose.Refusal(bsKey, sign(`{"activity":"newInstance","businessId":"b","orderId":"o","orderLineId":"l"}`))
	rich := diagnose.Refusal(bsKey, sign(`{"activity":"changeInstanceCheck","instanceId":"i","productInfo":{"productName":"标准版 <Pro> & more"}}`))
	joined := func(d koomock.Diagnosis) string { return strings.Join(d.Causes, "\n") }
	for _, want := range []string{"case-sensitively", "with spaces", "another key order", "kit formula", "V1 authToken", "seconds", "another key"} {
		if !strings.Contains(joined(plain), want) {
			t.Errorf("causes lack %q:\n%s", want, joined(plain))
		}
	}
	for _, want := range []string{"non-ASCII", "\\u003c"} {
		if strings.Contains(joined(plain), want) {
			t.Errorf("an ASCII body without HTML characters got the cause %q", want)
		}
		if !strings.Contains(joined(rich), want) {
			t.Errorf("causes of a body with non-ASCII and HTML characters lack %q:\n%s", want, joined(rich))
		}
	}
	if b, _ := json.Marshal(rich); strings.Contains(string(b), bsKey) {
		t.Errorf("the refusal diagnosis reveals the key: %s", b)
	}
}

func TestKitRefusalCauses(t *testing.T) {
	body := `{"domainName":"https://example.tenantaccount.com","flag":1,"instanceId":"huaiweitest123456","name":"huaiweitest","orderId":"CS1906666666ABCDE","tenantCode":"huawei","tenantId":"68cbc86abc","testFlag":0,"timeStamp":"20220413093539534"}`
	s := protocol.SignKit(bsKey, "N0NCE", now, []byte(body), false)
	d := diagnose.Refusal(bsKey, koomock.SigningTrace{Scheme: protocol.SchemeKit, CanonicalBody: body,
		StringToSign: s.MaskedStringToSign(), Nonce: s.Nonce, Timestamp: s.Timestamp, Signature: s.Signature})
	all := strings.Join(d.Causes, "\n")
	for _, want := range []string{"basic-interface formula", "URL query", "numbers such as flag and testFlag in quotes", "kit interfaces (--kit-key)"} {
		if !strings.Contains(all, want) {
			t.Errorf("kit causes lack %q:\n%s", want, all)
		}
	}
	if b, _ := json.Marshal(d); strings.Contains(string(b), bsKey) {
		t.Errorf("the kit diagnosis reveals the key")
	}
}
