package saas

import "github.com/koomock/koomock/controlapi"

// needSeller refuses an action that sends a callback when koomock has no seller URL, before anything
// is stored: the buyer's order would otherwise be created and its callback fail on an empty URL, an
// internal error that names nothing the user can fix. It is a 409, because a setting is missing, not
// a field of the request.
func (m *Market) needSeller() error {
	if m.SellerURL != "" {
		return nil
	}
	return controlapi.Errorf(controlapi.CodeConflict, "koomock has no seller to send the callback to: start koomock serve without --seller-url for the bundled reference seller, or with --seller-url (KOOMOCK_SELLER_URL) set to your production interface URL")
}
