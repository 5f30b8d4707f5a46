package delivery

import (
	"context"

	"github.com/go-chi/chi/v5"
)

// ControlRoutes mounts the deliveries' control routes (/deliveries) on r, the server's /_mock router.
func (c *Courier) ControlRoutes(r chi.Router) { r.Mount("/deliveries", c.routes()) }

// Open registers the retry job with the scheduler and declares the callback faults for Targets.
func (c *Courier) Open(context.Context) error {
	c.open()
	return nil
}

// PublicRoutes mounts nothing: deliveries go out to the seller, nothing comes in.
func (c *Courier) PublicRoutes(chi.Router) {}
