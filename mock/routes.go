package mock

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/mock/console"
)

// routes is the one place every route of koomock is mounted.
func (s *Server) routes() http.Handler {
	r := chi.NewRouter()
	r.Use(s.recoverer, s.logRequests, s.idp.TenantDomains)
	r.NotFound(s.handleNotFound)
	r.MethodNotAllowed(s.handleMethodNotAllowed)

	r.Get("/healthz", s.handleHealth)
	r.Group(func(r chi.Router) {
		// KooGallery's public side: the open APIs, the asset centre's downloads and the identity provider.
		r.Use(s.publicHeaders)
		for _, f := range s.flows() {
			f.PublicRoutes(r)
		}
	})
	r.Get("/", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, console.Prefix+"/", http.StatusSeeOther)
	})
	r.With(s.guardAdmin).Mount(console.Prefix, s.console.Routes())
	r.Route("/_mock", func(r chi.Router) {
		r.Use(limitControlBody, s.guardAdmin, s.requireToken, validateControl)
		r.Get("/settings", s.handleSettings)
		r.Get("/ca.pem", s.handleCA)
		r.Get("/openapi.yaml", s.handleOpenAPI)
		r.Get("/exchanges", controlapi.Handle(s.cfg.Logger, http.StatusOK, s.listExchanges))
		r.Get("/exchanges/{id}", controlapi.Handle(s.cfg.Logger, http.StatusOK, s.getExchange))
		r.Get("/exchanges/{id}/curl", controlapi.Handle(s.cfg.Logger, http.StatusOK, s.curl))
		r.Post("/exchanges/{id}/replay", s.handleReplay)
		r.Get("/events", s.handleEvents)
		r.Get("/clock", controlapi.Handle(s.cfg.Logger, http.StatusOK, s.getClock))
		r.Post("/clock", controlapi.Handle(s.cfg.Logger, http.StatusOK, s.setClock))
		r.Post("/clock/advance", controlapi.Handle(s.cfg.Logger, http.StatusOK, s.advanceClock))
		r.Post("/reset", s.handleReset)
		r.Get("/runs", s.handleListRuns)
		r.Post("/runs", s.handleBeginRun)
		r.Delete("/runs/{id}", s.handleEndRun)
		r.Get("/jobs", controlapi.Handle(s.cfg.Logger, http.StatusOK, s.listJobs))
		for _, f := range s.flows() {
			f.ControlRoutes(r)
		}
	})
	return r
}
