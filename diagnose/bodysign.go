package diagnose

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"regexp"
	"strconv"
	"strings"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/protocol"
)

// Names of the Body-Sign mistakes diagnose recognises.
const (
	MistakeBodySignMissing   = "body-sign-missing"
	MistakeBodySignMalformed = "body-sign-malformed"
	MistakeBodySignUnquoted  = "body-sign-unquoted"
	MistakeBodySignKeyPlusTS = "body-sign-key-plus-timestamp"
	MistakeBodySignHex       = "body-sign-hex"
	MistakeBodySignReencoded = "body-sign-reencoded-body"
	MistakeBodySignOther     = "body-sign-mismatch"
)

// quotedForm is the documented shape: both values in double quotes.
var quotedForm = regexp.MustCompile(`^\s*sign_type\s*=\s*"[^"]*"\s*,\s*signature\s*=\s*"[^"]*"\s*$`)

// BodySign explains a Body-Sign header on a seller's answer. timestamp is the callback's timestamp
// (the value a seller might wrongly add to the key, as V1 did). ok is false when the header is
// correct and in the documented form.
func BodySign(key, header string, body []byte, timestamp string) (d koomock.Diagnosis, ok bool) {
	d = koomock.Diagnosis{Scheme: "body-sign", Expected: []koomock.Step{
		{Name: "signed bytes", Value: "the exact answer body, " + plural(len(body), "byte")},
		{Name: "signature", Value: protocol.BodySign(key, body)},
		{Name: "header", Value: protocol.FormatBodySign(protocol.BodySign(key, body))},
	}}
	err := protocol.VerifyBodySign(key, header, body)
	switch {
	case errors.Is(err, protocol.ErrBodySignMissing):
		return mistake(d, MistakeBodySignMissing, "diagnosis.bodySign.missing"), true
	case errors.Is(err, protocol.ErrBodySignMalformed):
		return mistake(d, MistakeBodySignMalformed, "diagnosis.bodySign.malformed"), true
	case err == nil:
		if !quotedForm.MatchString(header) {
			return mistake(d, MistakeBodySignUnquoted, "diagnosis.bodySign.unquoted"), true
		}
		return d, false
	}
	_, sig, _ := protocol.ParseBodySign(header)
	if timestamp != "" && sig == b64HMAC(key+timestamp, body) {
		d.Matched = []koomock.Step{{Name: "key", Value: "access key + timestamp " + timestamp}}
		return mistake(d, MistakeBodySignKeyPlusTS, "diagnosis.bodySign.keyPlusTS"), true
	}
	if strings.EqualFold(sig, hex.EncodeToString(rawHMAC(key, body))) {
		return mistake(d, MistakeBodySignHex, "diagnosis.bodySign.hex"), true
	}
	for _, r := range reencodings(body) {
		if sig == b64HMAC(key, r.body) {
			d.Matched = []koomock.Step{{Name: "signed bytes", Value: string(r.body)}}
			return mistake(d, MistakeBodySignReencoded, "diagnosis.bodySign.reencoded", r.how), true
		}
	}
	return mistake(d, MistakeBodySignOther, "diagnosis.bodySign.other"), true
}

func rawHMAC(key string, msg []byte) []byte {
	m := hmac.New(sha256.New, []byte(key))
	m.Write(msg)
	return m.Sum(nil)
}

func b64HMAC(key string, msg []byte) string {
	return base64.StdEncoding.EncodeToString(rawHMAC(key, msg))
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}
