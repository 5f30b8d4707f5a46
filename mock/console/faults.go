package console

import "net/http"

// faults shows the scripted faults the running flows offer, and the ones switched on.
func (c *Console) faults(r *http.Request) (any, error) {
	return c.cfg.API.Faults(r.Context())
}
