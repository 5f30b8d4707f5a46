package license

import "github.com/go-chi/chi/v5"

// ControlRoutes mounts the license flow's control routes (/license) on r, the server's /_mock router.
func (s *Service) ControlRoutes(r chi.Router) { r.Mount("/license", s.routes()) }
