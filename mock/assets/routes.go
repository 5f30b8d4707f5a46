package assets

import (
	"mime"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
)

// routes are the control-API routes of the asset centre, mounted at /_mock/assets. The two that take
// a file (a package version, a template) read their body themselves; the rest go through
// controlapi.Handle.
func (s *Service) routes() chi.Router {
	r := chi.NewRouter()
	ok := http.StatusOK
	r.Post("/", controlapi.Handle(s.Logger, http.StatusCreated, func(r *http.Request, req controlapi.AssetRequest) (koomock.Asset, error) {
		return s.Create(r.Context(), req)
	}))
	r.Get("/", controlapi.Handle(s.Logger, ok, func(r *http.Request, _ controlapi.NoBody) (controlapi.AssetList, error) {
		all, err := s.Store.Assets(r.Context())
		if all == nil {
			all = []koomock.Asset{}
		}
		for i := range all {
			all[i] = withoutContent(all[i])
		}
		return controlapi.AssetList{Assets: all}, err
	}))
	r.Get("/{id}", controlapi.Handle(s.Logger, ok, func(r *http.Request, _ controlapi.NoBody) (koomock.Asset, error) {
		a, err := s.asset(r.Context(), chi.URLParam(r, "id"))
		return withoutContent(a), err
	}))
	r.Delete("/{id}", controlapi.Handle(s.Logger, http.StatusNoContent, func(r *http.Request, _ controlapi.NoBody) (struct{}, error) {
		return struct{}{}, s.Delete(r.Context(), chi.URLParam(r, "id"))
	}))
	r.Put("/{id}/versions/{version}", s.handlePutVersion)
	r.Delete("/{id}/versions/{version}", controlapi.Handle(s.Logger, ok, func(r *http.Request, _ controlapi.NoBody) (koomock.Asset, error) {
		a, err := s.DeleteVersion(r.Context(), chi.URLParam(r, "id"), chi.URLParam(r, "version"))
		return withoutContent(a), err
	}))
	r.Put("/{id}/templates/{name}", s.handleAttachTemplate)
	r.Get("/{id}/templates/{name}", controlapi.Handle(s.Logger, ok, s.template))
	r.Delete("/{id}/templates/{name}", controlapi.Handle(s.Logger, ok, func(r *http.Request, _ controlapi.NoBody) (koomock.Asset, error) {
		return s.DetachTemplate(r.Context(), chi.URLParam(r, "id"), chi.URLParam(r, "name"))
	}))
	return r
}

// handlePutVersion takes the package bytes as the body (any Content-Type but JSON), or a JSON body
// naming an image or an OBS object to import.
func (s *Service) handlePutVersion(w http.ResponseWriter, r *http.Request) {
	id, version := chi.URLParam(r, "id"), chi.URLParam(r, "version")
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var err error
	var out koomock.Asset
	if mt == "application/json" {
		var src controlapi.AssetVersionSource
		if err = controlapi.Decode(r, &src); err == nil {
			out, err = s.PutSource(r.Context(), id, version, src)
		}
	} else {
		q := r.URL.Query()
		out, err = s.Upload(r.Context(), id, version, controlapi.AssetUpload{
			PackageName: q.Get("packageName"), Body: r.Body, Size: r.ContentLength, SHA256: q.Get("sha256"), Region: q.Get("region")})
	}
	if err != nil {
		controlapi.WriteError(w, s.Logger, err)
		return
	}
	controlapi.WriteJSON(w, http.StatusOK, withoutContent(out))
}
