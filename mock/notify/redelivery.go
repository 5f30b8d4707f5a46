package notify

import (
	"fmt"
	"net/url"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/protocol"
)

// schemes maps the scheme names recorded in signing traces to their implementations, so a recorded
// exchange can be signed again the same way.
var schemes = map[string]Scheme{
	protocol.SchemeV2:           BasicScheme{},
	protocol.SchemeKit:          KitScheme{},
	protocol.SchemeKitInnerHMAC: KitScheme{InnerHMAC: true},
}

// Redelivery rebuilds the callback behind a recorded outbound exchange, to be signed afresh with key:
// same URL, body and probe, new timestamp and nonce, and the result codes its activity allows.
func Redelivery(e *koomock.Exchange, key string) (Callback, error) {
	if e.Direction != koomock.Outbound {
		return Callback{}, fmt.Errorf("exchange %d is a call to koomock, not a callback koomock sent", e.ID)
	}
	u, err := url.Parse(e.Request.URL)
	if err != nil {
		return Callback{}, fmt.Errorf("exchange %d: %w", e.ID, err)
	}
	q := u.Query()
	for _, p := range []string{protocol.QuerySignature, protocol.QueryTimestamp, protocol.QueryNonce} {
		q.Del(p)
	}
	u.RawQuery = q.Encode()
	body, err := protocol.DecodeObject([]byte(e.Request.Body))
	if err != nil {
		return Callback{}, fmt.Errorf("exchange %d: request body: %w", e.ID, err)
	}
	var scheme Scheme = BasicScheme{}
	if e.Signing != nil {
		s, ok := schemes[e.Signing.Scheme]
		if !ok {
			return Callback{}, fmt.Errorf("exchange %d was signed with unknown scheme %q", e.ID, e.Signing.Scheme)
		}
		scheme = s
	}
	return Callback{
		Activity: e.Activity, URL: u.String(), Body: body, Key: key, Scheme: scheme,
		Probe: controlapi.Probe(e.Probe), OrderID: e.OrderID, InstanceID: e.InstanceID, TenantID: e.TenantID,
		ResultCodes: protocol.ResultCodesFor(e.Activity),
	}, nil
}
