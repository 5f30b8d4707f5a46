package console

import "net/http"

// clock shows koomock's clock and the forms that switch and advance it.
func (c *Console) clock(r *http.Request) (any, error) {
	return c.cfg.API.Clock(r.Context())
}
