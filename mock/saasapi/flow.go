package saasapi

import (
	"context"

	"github.com/go-chi/chi/v5"
)

// Open has nothing to start: the APIs read the market's state as they are called.
func (a *API) Open(context.Context) error { return nil }

// ControlRoutes mounts nothing: the order query and usage push are only seller-facing.
func (a *API) ControlRoutes(chi.Router) {}
