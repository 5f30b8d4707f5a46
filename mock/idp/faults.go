package idp

import (
	"context"
	"net/http"
	"slices"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/mock/faults"
)

// FaultTokenError makes the token endpoint refuse a call that would have succeeded, with the OAuth
// error the fault's value names, so a seller can see its login survive (or report) a refused code, a
// refused refresh and an identity provider that is down.
const FaultTokenError = controlapi.FaultOAuthTokenError

// tokenError is how the token endpoint answers one OAuth error code.
type tokenError struct {
	status int
	// desc is error_description; "" takes the grant's own wording (invalid_grant).
	desc string
}

// tokenErrors are the answers oauth-token-error knows: RFC 6749 §5.2's token errors with the
// statuses and wording KooGallery uses (spec license-login §2.4, §2.5), and the two §4.1.2.1 errors
// that stand for a server in trouble, which identity providers also answer the token endpoint with,
// on 500 and 503.
var tokenErrors = map[string]tokenError{
	"invalid_grant":           {status: http.StatusBadRequest},
	"invalid_client":          {status: http.StatusUnauthorized, desc: msgBadClient},
	"invalid_request":         {status: http.StatusBadRequest, desc: "The request is missing a required parameter"},
	"unauthorized_client":     {status: http.StatusBadRequest, desc: "The client is not authorized to use this grant type"},
	"server_error":            {status: http.StatusInternalServerError, desc: "The authorization server encountered an unexpected condition"},
	"temporarily_unavailable": {status: http.StatusServiceUnavailable, desc: "The authorization server is temporarily unavailable"},
}

// tokenErrorChoices lists tokenErrors' codes in a stable order for the fault's declaration.
var tokenErrorChoices = []string{"invalid_grant", "invalid_client", "invalid_request", "unauthorized_client", "server_error", "temporarily_unavailable"}

// grantTypes are the grant types the token endpoint redeems, the targets of its fault.
var grantTypes = []string{"authorization_code", "refresh_token"}

// Open offers the identity provider's faults (Faults must be set): the flow contract's start.
func (p *IdP) Open(context.Context) error {
	p.Faults.Declare(faults.Declaration{Name: FaultTokenError, Targets: grantTypes, Choices: tokenErrorChoices,
		Description: "The OAuth token endpoint refuses a call from an authenticated client with an OAuth error, without using up its code or refresh token. Target: a grant type, or empty for both.",
		Value:       "the error: invalid_grant (400), invalid_client (401), invalid_request, unauthorized_client (400), server_error (500, the default) or temporarily_unavailable (503)"})
	return nil
}

// tokenFault answers the token call with the error of an oauth-token-error fault, when one fires,
// and reports whether it did.
func (p *IdP) tokenFault(w http.ResponseWriter, r *http.Request) bool {
	if p.Faults == nil {
		return false
	}
	grant := r.PostForm.Get("grant_type")
	f, ok := p.Faults.Take(r.Context(), FaultTokenError, grant)
	if !ok {
		return false
	}
	code := f.Value
	if code == "" {
		code = "server_error"
	}
	e, known := tokenErrors[code]
	if !known {
		// An error code of the seller's choosing, to see how its client copes with one it does not know.
		e = tokenError{status: http.StatusBadRequest, desc: "Error " + code}
	}
	if e.desc == "" {
		e.desc = msgInvalidCode
		if grant == "refresh_token" {
			e.desc = msgInvalidRefresh
		}
	}
	rule := koomock.RuleOAuthCode
	if grant == "refresh_token" {
		rule = koomock.RuleOAuthRefresh
	}
	judge(r, rule, koomock.Warn, "verdict.fault.tokenError", FaultTokenError, e.status, code, grantName(grant))
	writeOAuthError(w, e.status, code, e.desc)
	return true
}

// grantName names what a token call redeems.
func grantName(grantType string) string {
	if grantType == "refresh_token" {
		return "refresh token"
	}
	if slices.Contains(grantTypes, grantType) {
		return "authorization code"
	}
	return "grant"
}
