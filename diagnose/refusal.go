package diagnose

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/protocol"
)

// Names of the refusal diagnoses: koomock cannot see the seller's verifier, so these are hypotheses.
const MistakeRefusedCorrectSignature = "refused-correct-signature"

// docOrder is the field order of the spec's tables, the order a seller's struct often has.
var docOrder = []string{"activity", "scene", "orderId", "orderLineId", "businessId", "instanceId", "productId", "status", "expireTime", "productInfo", "license", "testFlag"}

// Refusal explains a seller answering 000001 (authentication failed) to a basic-interface callback
// koomock signed correctly: it restates the values signed, and lists the likely causes in the
// seller's verifier with the value each would make the seller compute, so the seller can compare
// with their logs. key signs; it is never shown.
func Refusal(key string, trace koomock.SigningTrace) koomock.Diagnosis {
	body := []byte(trace.CanonicalBody)
	d := koomock.Diagnosis{
		Scheme: trace.Scheme, Mistake: MistakeRefusedCorrectSignature,
		Summary: "koomock signed this callback correctly (it verifies with the spec's formula), so the seller's verifier or key differs; likely causes below",
		Expected: []koomock.Step{
			{Name: "canonical body", Value: trace.CanonicalBody},
			{Name: "inner digest = lowerhex(HMAC-SHA256(key, canonical body))", Value: trace.InnerDigest},
			{Name: "string to sign = key + nonce + timestamp + inner digest", Value: trace.StringToSign},
			{Name: "signature = HEX(HMAC-SHA256(key, string to sign))", Value: trace.Signature},
		},
	}
	cause := func(format string, args ...any) { d.Causes = append(d.Causes, fmt.Sprintf(format, args...)) }
	cause("comparing case-sensitively with lower-case hex: koomock sends upper-case hex as KooGallery does (%s…); compare ignoring case", short(trace.Signature))
	if spaced := spacedJSON(body); spaced != nil {
		cause("re-serialising the body with spaces (%s…): the inner digest would be %s instead of %s", short(string(spaced)), short(innerOf(key, spaced)), short(trace.InnerDigest))
	}
	if reordered := inDocOrder(body); reordered != nil && !bytes.Equal(reordered, body) {
		cause("re-serialising the body in another key order (%s…): the inner digest would be %s; sort keys ascending", short(string(reordered)), short(innerOf(key, reordered)))
	}
	if hasNonASCII(body) {
		escaped := escapeNonASCII(body)
		cause("escaping non-ASCII characters as \\uXXXX (Python's ensure_ascii, some JSON libraries): the inner digest would be %s", short(innerOf(key, escaped)))
	}
	if bytes.ContainsAny(body, "<>&") {
		var buf bytes.Buffer
		json.HTMLEscape(&buf, body)
		cause("escaping <, > and & as \\u003c… (Go's json.Marshal does): the inner digest would be %s; disable HTML escaping", short(innerOf(key, buf.Bytes())))
	}
	kit := hex.EncodeToString(rawHMAC(key, []byte(key+trace.Nonce+trace.Timestamp+trace.CanonicalBody)))
	cause("using the joint-operation kit formula (no inner HMAC: HMAC(key, key + nonce + timestamp + body)): the signature would be %s; the basic interfaces have an inner HMAC", short(kit))
	cause("using the V1 authToken formula (base64 HMAC with key + timeStamp over name=value&…): V2 signs as above, with the signature in the query")
	cause("reading the timestamp as seconds: koomock sends milliseconds (%s)", trace.Timestamp)
	cause("using another key: the basic interfaces are signed with the access key bound to them in 密钥管理, not the kit key or the API SK")
	return d
}

func innerOf(key string, body []byte) string {
	return hex.EncodeToString(rawHMAC(key, body))
}

func short(s string) string {
	if utf8.RuneCountInString(s) <= 16 {
		return s
	}
	return string([]rune(s)[:16])
}

func spacedJSON(body []byte) []byte {
	var v any
	if json.Unmarshal(body, &v) != nil {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	return []byte(strings.NewReplacer(`":`, `": `, `,"`, `, "`).Replace(string(b)))
}

// inDocOrder re-serialises the top-level object with the documented fields first, in the spec's order.
func inDocOrder(body []byte) []byte {
	fields, err := protocol.DecodeObject(body)
	if err != nil {
		return nil
	}
	var b bytes.Buffer
	b.WriteByte('{')
	first := true
	write := func(k string, v any) {
		if !first {
			b.WriteByte(',')
		}
		first = false
		kb, _ := json.Marshal(k)
		vb, _ := protocol.MarshalCanonical(map[string]any{"v": v})
		b.Write(kb)
		b.WriteByte(':')
		b.Write(vb[len(`{"v":`) : len(vb)-1])
	}
	seen := map[string]bool{}
	for _, k := range docOrder {
		if v, ok := fields[k]; ok {
			write(k, v)
			seen[k] = true
		}
	}
	for k, v := range fields {
		if !seen[k] {
			write(k, v)
		}
	}
	b.WriteByte('}')
	return b.Bytes()
}

func hasNonASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return true
		}
	}
	return false
}

func escapeNonASCII(b []byte) []byte {
	var out strings.Builder
	for _, r := range string(b) {
		if r < 0x80 {
			out.WriteRune(r)
			continue
		}
		if r > 0xFFFF {
			hi, lo := utf16Pair(r)
			fmt.Fprintf(&out, `\u%04x\u%04x`, hi, lo)
			continue
		}
		fmt.Fprintf(&out, `\u%04x`, r)
	}
	return []byte(out.String())
}

func utf16Pair(r rune) (rune, rune) {
	r -= 0x10000
	return 0xD800 + (r>>10)&0x3FF, 0xDC00 + r&0x3FF
}
