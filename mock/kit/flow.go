package kit

import (
	"context"

	"github.com/go-chi/chi/v5"
)

// ControlRoutes mounts the kit's control routes (/tenants) on r, the server's /_mock router: the
// flow contract's first half (docs/adding-a-flow.md).
func (k *Kit) ControlRoutes(r chi.Router) { r.Mount("/tenants", k.routes()) }

// Open has nothing to start: the kit is ready once built, and the server seeds the demo tenant.
func (k *Kit) Open(context.Context) error { return nil }

// PublicRoutes mounts nothing: the kit's syncs go out through the notifier, and the tenants' identity
// provider is its own flow (mock/idp).
func (k *Kit) PublicRoutes(chi.Router) {}
