package saas

import "github.com/go-chi/chi/v5"

// ControlRoutes mounts the market's control routes (orders, instances, queries, probes) on r, the
// server's /_mock router.
func (m *Market) ControlRoutes(r chi.Router) { r.Mount("/", m.routes()) }

// PublicRoutes mounts nothing: the market's seller-facing APIs are package saasapi's.
func (m *Market) PublicRoutes(chi.Router) {}
