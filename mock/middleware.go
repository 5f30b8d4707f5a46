package mock

import (
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/go-chi/chi/v5/middleware"

	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/mock/apig"
	"github.com/koomock/koomock/protocol"
)

// publicHeaders gives every answer of KooGallery's public side (the open APIs behind API Gateway and the
// identity provider) the common response headers of KooGallery's API reference: Server as the gateway
// sends it, and Date in RFC 1123 form on koomock's clock, which a seller comparing clocks must see move
// with the virtual time rather than Go's own wall-clock Date. The control API keeps Go's defaults.
func (s *Server) publicHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Server", protocol.GatewayServer)
		h.Set("Date", s.cfg.Clock.Now().UTC().Format(http.TimeFormat))
		next.ServeHTTP(w, r)
	})
}

// recoverer turns a panic in a handler into a generic error in the caller's protocol, logging the
// stack for us and showing nothing of it to the caller.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			rec := recover()
			if rec == nil {
				return
			}
			if rec == http.ErrAbortHandler {
				panic(rec) // net/http's own signal to abort the response; let it through
			}
			s.cfg.Logger.Error("handler panic", "method", r.Method, "path", r.URL.Path,
				"panic", fmt.Sprint(rec), "stack", string(debug.Stack()))
			controlapi.WriteError(w, nil, controlapi.Errorf(controlapi.CodeInternal,
				"koomock failed to handle the request; its log has the details"))
		}()
		next.ServeHTTP(w, r)
	})
}

// logRequests logs each request's method, path (never the query, which may carry signatures or
// tokens), status and duration.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Checked first: building the record's attributes costs allocations on every call otherwise.
		if !s.cfg.Logger.Enabled(r.Context(), slog.LevelDebug) {
			next.ServeHTTP(w, r)
			return
		}
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		start := time.Now()
		next.ServeHTTP(ww, r)
		s.cfg.Logger.Debug("request", "method", r.Method, "path", r.URL.Path,
			"status", ww.Status(), "duration", time.Since(start).Round(time.Microsecond))
	})
}

func (s *Server) handleNotFound(w http.ResponseWriter, r *http.Request) {
	if isGatewayPath(r.URL.Path) {
		s.publicHeaders(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			apig.WriteError(w, http.StatusNotFound, apig.Error{Code: apig.CodeNotFound, Message: apig.MsgNotFound, RequestID: s.cfg.IDs.UUID()})
		})).ServeHTTP(w, r)
		return
	}
	controlapi.WriteError(w, nil, controlapi.Errorf(controlapi.CodeNotFound, "no route %s %s", r.Method, r.URL.Path))
}

// isGatewayPath reports whether a path belongs to KooGallery's open APIs behind API Gateway, which
// answers in its own error format.
func isGatewayPath(p string) bool {
	return strings.HasPrefix(p, "/api/mkp-openapi-public/") || strings.HasPrefix(p, "/rest/")
}

func (s *Server) handleMethodNotAllowed(w http.ResponseWriter, r *http.Request) {
	if isGatewayPath(r.URL.Path) {
		s.publicHeaders(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			apig.WriteError(w, http.StatusMethodNotAllowed, apig.Error{Code: apig.CodeBadRequest, Message: apig.MsgBadRequest, RequestID: s.cfg.IDs.UUID()})
		})).ServeHTTP(w, r)
		return
	}
	controlapi.WriteJSON(w, http.StatusMethodNotAllowed, map[string]any{"error": controlapi.Error{
		Code: controlapi.CodeInvalid, Message: fmt.Sprintf("method %s is not allowed on %s", r.Method, r.URL.Path)}})
}
