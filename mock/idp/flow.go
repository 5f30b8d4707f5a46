package idp

import "github.com/go-chi/chi/v5"

// PublicRoutes mounts the identity provider on r: OAuth and CAS at /api/v1, the unified login page at
// /unified-login and the 开天 workbench at WorkbenchPath. The flow contract's seller-facing half.
func (p *IdP) PublicRoutes(r chi.Router) {
	r.Mount("/api/v1", p.apiRoutes())
	r.Mount("/unified-login", p.loginRoutes())
	r.Mount(WorkbenchPath, p.workbenchRoutes())
}

// ControlRoutes mounts nothing: tenants and their users are the kit's (/_mock/tenants).
func (p *IdP) ControlRoutes(chi.Router) {}
