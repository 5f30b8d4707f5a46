package saasapi

import "github.com/go-chi/chi/v5"

// ControlRoutes mounts nothing: the order query and usage push are only seller-facing.
func (a *API) ControlRoutes(chi.Router) {}
