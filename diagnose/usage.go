package diagnose

import (
	"encoding/hex"
	"strings"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/protocol"
)

// Names of the usage-push mistakes diagnose recognises.
const (
	MistakeUsageHeaders  = "usage-headers-missing"
	MistakeUsageUnsorted = "usage-body-unsorted"
	MistakeUsageHex      = "usage-hex"
	MistakeUsageWrongKey = "usage-wrong-key"
	MistakeUsageOther    = "usage-mismatch"
)

// UsageInput is a new-style usage push as it arrived, with the keys koomock knows.
type UsageInput struct {
	TS, Nonce, Signature string
	Body                 []byte
	// AccessKey is the key bound to the basic interfaces, which signs pushes.
	AccessKey string
	// OtherKeys are keys a seller may have used by mistake, by what they are ("the API SK").
	OtherKeys map[string]string
}

// UsagePush explains a usage push signature that did not verify (spec saas-v2 §6.3):
// base64(HMAC-SHA256(access key, "ts={ts}&nonce={nonce}&body={body in natural key order}")).
func UsagePush(in UsageInput) koomock.Diagnosis {
	d := koomock.Diagnosis{Scheme: "usage-push"}
	if in.TS == "" || in.Nonce == "" || in.Signature == "" {
		return mistake(d, MistakeUsageHeaders, "diagnosis.usage.headers")
	}
	canonical, err := protocol.CanonicalJSON(in.Body)
	if err != nil {
		canonical = in.Body
	}
	signed := "ts=" + in.TS + "&nonce=" + in.Nonce + "&body=" + string(canonical)
	want := protocol.SignUsage(in.AccessKey, in.TS, in.Nonce, canonical)
	d.Expected = []koomock.Step{
		{Name: "string to sign = ts={ts}&nonce={nonce}&body={body, keys sorted}", Value: signed},
		{Name: "signature = base64(HMAC-SHA256(access key, string to sign))", Value: want},
	}
	if in.Signature == want {
		say(&d, "diagnosis.matches")
		return d
	}
	if string(canonical) != string(in.Body) && in.Signature == protocol.SignUsage(in.AccessKey, in.TS, in.Nonce, in.Body) {
		d.Matched = []koomock.Step{{Name: "string to sign", Value: "ts=" + in.TS + "&nonce=" + in.Nonce + "&body=" + string(in.Body)}}
		return mistake(d, MistakeUsageUnsorted, "diagnosis.usage.unsorted")
	}
	for _, b := range [][]byte{canonical, in.Body} {
		if strings.EqualFold(in.Signature, hex.EncodeToString(rawHMAC(in.AccessKey, []byte("ts="+in.TS+"&nonce="+in.Nonce+"&body="+string(b))))) {
			return mistake(d, MistakeUsageHex, "diagnosis.usage.hex")
		}
	}
	for what, key := range in.OtherKeys {
		if key != "" && in.Signature == protocol.SignUsage(key, in.TS, in.Nonce, canonical) {
			return mistake(d, MistakeUsageWrongKey, "diagnosis.usage.wrongKey", what)
		}
	}
	return mistake(d, MistakeUsageOther, "diagnosis.usage.other")
}
