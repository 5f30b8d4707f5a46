package protocol

import (
	"crypto/hmac"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// BodySignHeader is the response header that carries the seller's answer signature (spec saas-v2 §2.4).
const BodySignHeader = "Body-Sign"

// BodySignType is the only sign_type KooGallery accepts.
const BodySignType = "HMAC-SHA256"

// Errors returned by VerifyBodySign. The malformed message is KooGallery's own wording.
var (
	ErrBodySignMissing   = errors.New("http header->bodySign is empty")
	ErrBodySignMalformed = errors.New("sign_type is not equals HMAC-SHA256 or signature is empty")
	ErrBodySignMismatch  = errors.New("Body-Sign signature does not match the body")
)

// BodySign returns base64(HMAC_SHA256(accessKey, body)) over the exact answer bytes. The key is the
// access key alone, never key + timeStamp (spec saas-v2 §2.4, FAQ).
func BodySign(accessKey string, body []byte) string {
	return base64.StdEncoding.EncodeToString(hmacSHA256(accessKey, body))
}

// FormatBodySign renders the header value in the documented form, quotes and space included.
func FormatBodySign(signature string) string {
	return fmt.Sprintf(`sign_type="%s", signature= "%s"`, BodySignType, signature)
}

// ParseBodySign reads a Body-Sign header tolerantly: parts split on commas, spaces trimmed around
// names and values, and surrounding double quotes stripped, because sellers in the wild write it with
// and without the space after "signature=".
func ParseBodySign(header string) (signType, signature string, err error) {
	if strings.TrimSpace(header) == "" {
		return "", "", ErrBodySignMissing
	}
	for part := range strings.SplitSeq(header, ",") {
		name, value, ok := strings.Cut(part, "=")
		if !ok {
			continue
		}
		value = strings.Trim(strings.TrimSpace(value), `"`)
		switch strings.TrimSpace(name) {
		case "sign_type":
			signType = value
		case "signature":
			signature = value
		}
	}
	if signType != BodySignType || signature == "" {
		return signType, signature, ErrBodySignMalformed
	}
	return signType, signature, nil
}

// VerifyBodySign checks a Body-Sign header against the exact answer body.
func VerifyBodySign(accessKey, header string, body []byte) error {
	_, sig, err := ParseBodySign(header)
	if err != nil {
		return err
	}
	got, err := base64.StdEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, hmacSHA256(accessKey, body)) {
		return ErrBodySignMismatch
	}
	return nil
}
