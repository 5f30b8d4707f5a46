package diagnose

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/i18n"
	"github.com/koomock/koomock/protocol"
)

// Names of the refusal diagnoses: koomock cannot see the seller's verifier, so these are hypotheses.
const MistakeRefusedCorrectSignature = "refused-correct-signature"

// docOrder is the field order of the spec's tables, the order a seller's struct often has.
var docOrder = []string{"activity", "scene", "orderId", "orderLineId", "businessId", "instanceId", "productId", "status", "expireTime", "productInfo", "license", "testFlag"}

// Refusal explains a seller answering 000001 (authentication failed) to a callback koomock signed
// correctly, basic interface or kit sync: it restates the values signed, and lists the likely causes
// in the seller's verifier with the value each would make the seller compute, so the seller can
// compare with their logs. key signs; it is never shown.
func Refusal(key string, trace koomock.SigningTrace) koomock.Diagnosis {
	if trace.Scheme == protocol.SchemeKit || trace.Scheme == protocol.SchemeKitInnerHMAC {
		return kitRefusal(key, trace)
	}
	return basicRefusal(key, trace)
}

// variant is a body as a seller's verifier may have re-serialised it.
type variant struct {
	how  string
	body []byte
}

// bodyVariants are the re-serialisations that fit this body: spacing and key order always; escaped
// non-ASCII or HTML characters only when the body has them; numbers as strings only when it has
// numbers (kit bodies carry flag and testFlag as integers).
func bodyVariants(body []byte) []variant {
	var out []variant
	if spaced := spacedJSON(body); spaced != nil {
		out = append(out, variant{"re-serialising the body with spaces (" + short(string(spaced)) + "…)", spaced})
	}
	if reordered := inDocOrder(body); reordered != nil && !bytes.Equal(reordered, body) {
		out = append(out, variant{"re-serialising the body in another key order (" + short(string(reordered)) + "…); sort keys ascending", reordered})
	}
	if hasNonASCII(body) {
		out = append(out, variant{"escaping non-ASCII characters as \\uXXXX (Python's ensure_ascii, some JSON libraries)", escapeNonASCII(body)})
	}
	if bytes.ContainsAny(body, "<>&") {
		var buf bytes.Buffer
		json.HTMLEscape(&buf, body)
		out = append(out, variant{"escaping <, > and & as \\u003c… (Go's json.Marshal does); disable HTML escaping", buf.Bytes()})
	}
	if quoted := numbersQuoted(body); quoted != nil {
		out = append(out, variant{"binding the body to strings (Map<String,String>), which writes numbers such as flag and testFlag in quotes", quoted})
	}
	return out
}

func basicRefusal(key string, trace koomock.SigningTrace) koomock.Diagnosis {
	body := []byte(trace.CanonicalBody)
	d := koomock.Diagnosis{
		Scheme: trace.Scheme, Mistake: MistakeRefusedCorrectSignature,
		Summary: i18n.Say("diagnosis.refusal.callback").English, Key: "diagnosis.refusal.callback",
		Expected: []koomock.Step{
			{Name: "canonical body", Value: trace.CanonicalBody},
			{Name: "inner digest = lowerhex(HMAC-SHA256(key, canonical body))", Value: trace.InnerDigest},
			{Name: "string to sign = key + nonce + timestamp + inner digest", Value: trace.StringToSign},
			{Name: "signature = HEX(HMAC-SHA256(key, string to sign))", Value: trace.Signature},
		},
	}
	cause := func(format string, args ...any) { d.Causes = append(d.Causes, fmt.Sprintf(format, args...)) }
	cause("comparing case-sensitively with lower-case hex: koomock sends upper-case hex as KooGallery does (%s…); compare ignoring case", short(trace.Signature))
	for _, v := range bodyVariants(body) {
		cause("%s: the inner digest would be %s instead of %s", v.how, short(innerOf(key, v.body)), short(trace.InnerDigest))
	}
	kit := protocol.SignKit(key, trace.Nonce, time.UnixMilli(mustMillis(trace.Timestamp)), body, false).Signature
	cause("using the joint-operation kit formula (no inner HMAC: HMAC(key, key + nonce + timestamp + body)): the signature would be %s; the basic interfaces have an inner HMAC", short(kit))
	cause("using the V1 authToken formula (base64 HMAC with key + timeStamp over name=value&…): V2 signs as above, with the signature in the query")
	cause("reading the timestamp as seconds: koomock sends milliseconds (%s)", trace.Timestamp)
	cause("using another key: the basic interfaces are signed with the access key bound to them in 密钥管理, not the kit key or the API SK")
	return d
}

func kitRefusal(key string, trace koomock.SigningTrace) koomock.Diagnosis {
	body := []byte(trace.CanonicalBody)
	inner := trace.Scheme == protocol.SchemeKitInnerHMAC
	at := time.UnixMilli(mustMillis(trace.Timestamp))
	d := koomock.Diagnosis{
		Scheme: trace.Scheme, Mistake: MistakeRefusedCorrectSignature,
		Summary:  i18n.Say("diagnosis.refusal.kit").English,
		Key:      "diagnosis.refusal.kit",
		Expected: []koomock.Step{{Name: "canonical body", Value: trace.CanonicalBody}},
	}
	if inner {
		d.Expected = append(d.Expected, koomock.Step{Name: "inner digest = lowerhex(HMAC-SHA256(kit key, canonical body))", Value: trace.InnerDigest})
	}
	d.Expected = append(d.Expected,
		koomock.Step{Name: "string to sign = kit key + x-nonce + x-timestamp + " + map[bool]string{false: "canonical body", true: "inner digest"}[inner], Value: trace.StringToSign},
		koomock.Step{Name: "x-sign = lowerhex(HMAC-SHA256(kit key, string to sign))", Value: trace.Signature})
	cause := func(format string, args ...any) { d.Causes = append(d.Causes, fmt.Sprintf(format, args...)) }
	other := protocol.SignKit(key, trace.Nonce, at, body, !inner).Signature
	if inner {
		cause("using the official sample's kit formula (no inner HMAC): it would expect %s; koomock runs with --kit-inner-hmac", short(other))
	} else {
		cause("using the basic-interface formula (with an inner HMAC) for kit syncs: it would expect %s; kit syncs sign the sorted JSON itself", short(other))
	}
	cause("reading the signature from the URL query: kit syncs carry it in the headers x-sign, x-timestamp and x-nonce")
	for _, v := range bodyVariants(body) {
		cause("%s: x-sign would be %s instead of %s", v.how, short(protocol.SignKit(key, trace.Nonce, at, v.body, inner).Signature), short(trace.Signature))
	}
	cause("reading x-timestamp as seconds: koomock sends milliseconds (%s)", trace.Timestamp)
	cause("using another key: kit syncs are signed with the key bound to the kit interfaces (--kit-key), not the basic interfaces' access key")
	return d
}

// mustMillis reads a millisecond timestamp koomock wrote itself.
func mustMillis(s string) int64 {
	ms, _ := strconv.ParseInt(s, 10, 64)
	return ms
}

// numbersQuoted re-serialises the top level with numbers written as strings, or returns nil when the
// body has no top-level number.
func numbersQuoted(body []byte) []byte {
	fields, err := protocol.DecodeObject(body)
	if err != nil {
		return nil
	}
	changed := false
	for k, v := range fields {
		if n, ok := v.(json.Number); ok {
			fields[k] = n.String()
			changed = true
		}
	}
	if !changed {
		return nil
	}
	b, err := protocol.MarshalCanonical(fields)
	if err != nil {
		return nil
	}
	return b
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
