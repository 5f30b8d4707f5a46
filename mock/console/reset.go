package console

import (
	"net/http"

	"github.com/koomock/koomock/controlapi"
)

// reset starts koomock over (POST /_mock/reset), once the box that says what goes is ticked: the
// page has no script to ask "are you sure?".
func (c *Console) reset(r *http.Request) (string, error) {
	if r.PostFormValue("confirm") == "" {
		return "", controlapi.Errorf(controlapi.CodeInvalid, "tick the box to confirm: a reset empties every order, instance, exchange and tenant")
	}
	if _, err := c.cfg.API.Reset(r.Context()); err != nil {
		return "", err
	}
	return Prefix + "/", nil
}
