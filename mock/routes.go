package mock

import (
	"net/http"

	"github.com/go-chi/chi/v5"
)

// routes is the one place every route of koomock is mounted.
func (s *Server) routes() http.Handler {
	r := chi.NewRouter()
	r.Use(s.recoverer, s.logRequests, s.idp.TenantDomains)
	r.NotFound(s.handleNotFound)
	r.MethodNotAllowed(s.handleMethodNotAllowed)

	r.Get("/healthz", s.handleHealth)
	r.Mount("/api/v1", s.idp.APIRoutes())
	r.Mount("/unified-login", s.idp.LoginRoutes())
	r.Route("/_mock", func(r chi.Router) {
		r.Get("/settings", s.handleSettings)
		r.Mount("/", s.market.Routes())
		r.Get("/exchanges", s.handleListExchanges)
		r.Get("/exchanges/{id}", s.handleGetExchange)
		r.Get("/exchanges/{id}/curl", s.handleCurl)
		r.Get("/clock", s.handleGetClock)
		r.Post("/clock", s.handleSetClock)
		r.Post("/clock/advance", s.handleAdvanceClock)
		r.Get("/jobs", s.handleListJobs)
		r.Mount("/faults", s.faults.Routes())
		r.Mount("/tenants", s.kit.Routes())
	})
	return r
}
