package faults

import (
	"context"

	"github.com/go-chi/chi/v5"
)

// ControlRoutes mounts the faults' control routes (/faults) on r, the server's /_mock router.
func (r *Registry) ControlRoutes(m chi.Router) { m.Mount("/faults", r.routes()) }

// Open has nothing to start: Load read the faults that were on, and each flow declares its own.
func (r *Registry) Open(context.Context) error { return nil }

// PublicRoutes mounts nothing: faults act inside the flows that declare them.
func (r *Registry) PublicRoutes(chi.Router) {}
