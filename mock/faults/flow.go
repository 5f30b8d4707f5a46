package faults

import "github.com/go-chi/chi/v5"

// ControlRoutes mounts the faults' control routes (/faults) on r, the server's /_mock router.
func (r *Registry) ControlRoutes(m chi.Router) { m.Mount("/faults", r.routes()) }

// PublicRoutes mounts nothing: faults act inside the flows that declare them.
func (r *Registry) PublicRoutes(chi.Router) {}
