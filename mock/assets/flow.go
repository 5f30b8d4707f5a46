package assets

import "github.com/go-chi/chi/v5"

// ControlRoutes mounts the asset centre's control routes (/assets) on r, the server's /_mock router.
func (s *Service) ControlRoutes(r chi.Router) { r.Mount("/assets", s.routes()) }
