package mock

import "github.com/go-chi/chi/v5"

// flow is the contract every flow under mock/ meets (docs/adding-a-flow.md): its control routes,
// mounted by the server on its /_mock router, and its seller-facing routes, mounted at the root
// behind KooGallery's public headers. A flow with none of one kind mounts nothing.
type flow interface {
	ControlRoutes(r chi.Router)
	PublicRoutes(r chi.Router)
}

// flows lists every flow, in dependency order: the server mounts each one's routes from here, and
// nowhere else. The market comes first: it mounts its routes at /_mock's root.
func (s *Server) flows() []flow {
	return []flow{s.faults, s.courier, s.market, s.saasAPI, s.dialer, s.kit, s.idp, s.license, s.assets}
}
