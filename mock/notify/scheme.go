package notify

import (
	"net/http"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/protocol"
)

// Scheme signs outbound callbacks one way. KooGallery uses one scheme for the basic interfaces and
// another for the joint-operation kit syncs.
type Scheme interface {
	// Sign computes the signature of a canonical body and returns every intermediate value.
	Sign(key, nonce string, at time.Time, canonical []byte) koomock.SigningTrace
	// Apply puts the signature, timestamp and nonce of t onto req.
	Apply(req *http.Request, t koomock.SigningTrace)
}

// BasicScheme is the V2 basic-interface signature: query parameters signature, timestamp, nonce
// (spec saas-v2 §2.2).
type BasicScheme struct{}

// Sign implements Scheme.
func (BasicScheme) Sign(key, nonce string, at time.Time, canonical []byte) koomock.SigningTrace {
	s := protocol.SignV2(key, nonce, at, canonical)
	return koomock.SigningTrace{
		Scheme:        protocol.SchemeV2,
		CanonicalBody: string(canonical),
		InnerDigest:   s.Inner,
		StringToSign:  s.MaskedStringToSign(),
		Nonce:         s.Nonce,
		Timestamp:     s.Timestamp,
		Signature:     s.Signature,
	}
}

// Apply implements Scheme.
func (BasicScheme) Apply(req *http.Request, t koomock.SigningTrace) {
	q := req.URL.Query()
	q.Set(protocol.QuerySignature, t.Signature)
	q.Set(protocol.QueryTimestamp, t.Timestamp)
	q.Set(protocol.QueryNonce, t.Nonce)
	req.URL.RawQuery = q.Encode()
}
