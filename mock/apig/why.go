package apig

import (
	"errors"
	"strings"

	"github.com/koomock/koomock/i18n"
	"github.com/koomock/koomock/protocol"
)

// reasons are the catalog's keys of the gateway's refusal reasons, whose English is the error's text.
var reasons = map[error]string{
	protocol.ErrNoAuthorization:  "apig.reason.noAuthorization",
	protocol.ErrBadAuthorization: "apig.reason.badAuthorization",
	protocol.ErrNoSdkDate:        "apig.reason.noSdkDate",
	protocol.ErrUnknownAccessKey: "apig.reason.unknownAccessKey",
	protocol.ErrAPIGMismatch:     "apig.reason.mismatch",
	protocol.ErrUnsignedDate:     "apig.reason.unsignedDate",
	ErrLocked:                    "apig.reason.locked",
}

// reason is why the gateway refused a call, as a verdict's argument: a phrase, rendered in the
// reader's language, for the reasons the catalog knows (its English is the error's text), else the
// error's text.
func reason(err error) string {
	if key, ok := reasons[err]; ok {
		return i18n.Phrase(key)
	}
	if errors.Is(err, protocol.ErrSdkDateSkew) {
		skew, ok := strings.CutPrefix(err.Error(), protocol.ErrSdkDateSkew.Error()+" (")
		if skew, ok = strings.CutSuffix(skew, ")"); ok && !strings.ContainsAny(skew, "|{}") {
			return i18n.Phrase("apig.reason.dateSkew", skew)
		}
	}
	return err.Error()
}
