package notify

import (
	"net/http"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/protocol"
)

// KitScheme is the joint-operation kit signature: headers x-sign, x-timestamp, x-nonce over the kit key
// (spec saas-v2 §2.3). InnerHMAC switches from the official sample's formula to the docs' inner-HMAC
// reading.
type KitScheme struct {
	InnerHMAC bool
}

// Sign implements Scheme.
func (k KitScheme) Sign(key, nonce string, at time.Time, canonical []byte) koomock.SigningTrace {
	s := protocol.SignKit(key, nonce, at, canonical, k.InnerHMAC)
	name := protocol.SchemeKit
	if k.InnerHMAC {
		name = protocol.SchemeKitInnerHMAC
	}
	return koomock.SigningTrace{
		Scheme:        name,
		CanonicalBody: string(canonical),
		InnerDigest:   s.Inner,
		StringToSign:  s.MaskedStringToSign(),
		Nonce:         s.Nonce,
		Timestamp:     s.Timestamp,
		Signature:     s.Signature,
	}
}

// Apply implements Scheme.
func (KitScheme) Apply(req *http.Request, t koomock.SigningTrace) {
	req.Header.Set(protocol.HeaderKitSign, t.Signature)
	req.Header.Set(protocol.HeaderKitTimestamp, t.Timestamp)
	req.Header.Set(protocol.HeaderKitNonce, t.Nonce)
}
