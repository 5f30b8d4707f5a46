package assets

import (
	"mime"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
)

// Routes returns the control-API routes of the asset centre, to be mounted at /_mock/assets.
func (s *Service) Routes() chi.Router {
	r := chi.NewRouter()
	r.Post("/", s.handleCreate)
	r.Get("/", s.handleList)
	r.Get("/{id}", s.handleGet)
	r.Delete("/{id}", s.handleDelete)
	r.Put("/{id}/versions/{version}", s.handlePutVersion)
	r.Delete("/{id}/versions/{version}", s.handleDeleteVersion)
	r.Put("/{id}/templates/{name}", s.handleAttachTemplate)
	r.Get("/{id}/templates/{name}", s.handleGetTemplate)
	r.Delete("/{id}/templates/{name}", s.handleDetachTemplate)
	return r
}

func (s *Service) handleCreate(w http.ResponseWriter, r *http.Request) {
	var req controlapi.AssetRequest
	if err := controlapi.Decode(r, &req); err != nil {
		controlapi.WriteError(w, s.Logger, err)
		return
	}
	a, err := s.Create(r.Context(), req)
	if err != nil {
		controlapi.WriteError(w, s.Logger, err)
		return
	}
	controlapi.WriteJSON(w, http.StatusCreated, a)
}

func (s *Service) handleList(w http.ResponseWriter, r *http.Request) {
	all, err := s.Store.Assets(r.Context())
	if err != nil {
		controlapi.WriteError(w, s.Logger, err)
		return
	}
	if all == nil {
		all = []koomock.Asset{}
	}
	for i := range all {
		all[i] = withoutContent(all[i])
	}
	controlapi.WriteJSON(w, http.StatusOK, controlapi.AssetList{Assets: all})
}

func (s *Service) handleGet(w http.ResponseWriter, r *http.Request) {
	a, err := s.asset(r.Context(), chi.URLParam(r, "id"))
	if err != nil {
		controlapi.WriteError(w, s.Logger, err)
		return
	}
	controlapi.WriteJSON(w, http.StatusOK, withoutContent(a))
}

func (s *Service) handleDelete(w http.ResponseWriter, r *http.Request) {
	if err := s.Delete(r.Context(), chi.URLParam(r, "id")); err != nil {
		controlapi.WriteError(w, s.Logger, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
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

func (s *Service) handleDeleteVersion(w http.ResponseWriter, r *http.Request) {
	a, err := s.DeleteVersion(r.Context(), chi.URLParam(r, "id"), chi.URLParam(r, "version"))
	if err != nil {
		controlapi.WriteError(w, s.Logger, err)
		return
	}
	controlapi.WriteJSON(w, http.StatusOK, withoutContent(a))
}
