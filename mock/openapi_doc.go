package mock

import (
	"io/fs"
	"net/http"

	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/openapi"
)

// handleOpenAPI serves the control API's OpenAPI document, as embedded: a client generator or an
// API browser reads it from the koomock it drives.
func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) {
	doc, err := fs.ReadFile(openapi.FS, openapi.ControlFile)
	if err != nil {
		controlapi.WriteError(w, s.cfg.Logger, err)
		return
	}
	w.Header().Set("Content-Type", "application/yaml")
	w.Write(doc)
}
