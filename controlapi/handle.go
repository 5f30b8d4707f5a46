package controlapi

import (
	"log/slog"
	"net/http"
)

// NoBody is the request type of a route that takes no JSON body (a GET, or an action named by its
// path); a body sent anyway must still be a JSON object without fields.
type NoBody struct{}

// Handle is the one way a control route is written: it decodes the JSON request body into Req
// (unknown fields refused), calls fn, and answers fn's result as JSON with status, or fn's error in
// the control API's error format (status 204 answers no body). An error that is not an *Error is koomock's own failure: it is
// logged with logger (the flow's; slog.Default when nil, so it is never lost) and answered with a
// generic message.
func Handle[Req, Resp any](logger *slog.Logger, status int, fn func(r *http.Request, req Req) (Resp, error)) http.HandlerFunc {
	if logger == nil {
		logger = slog.Default()
	}
	return func(w http.ResponseWriter, r *http.Request) {
		var req Req
		if err := Decode(r, &req); err != nil {
			WriteError(w, logger, err)
			return
		}
		resp, err := fn(r, req)
		if err != nil {
			WriteError(w, logger, err)
			return
		}
		if status == http.StatusNoContent {
			w.WriteHeader(status) // an answer without a body: Resp is ignored
			return
		}
		WriteJSON(w, status, resp)
	}
}
