package mock

import (
	"bytes"
	"io"
	"net/http"

	"github.com/koomock/koomock/controlapi"
)

// limitControlBody refuses a control-API request whose body is over controlapi.MaxRequestBytes with
// 413 in the control API's format, before the admin guards run: an oversized request is refused for
// its size whoever sends it, and is never read past the limit. A declared length is refused unread; a
// body without one (chunked) is read up to a byte past the limit and handed on whole.
func limitControlBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		over := r.ContentLength > controlapi.MaxRequestBytes
		if !over && r.ContentLength < 0 && r.Body != nil {
			body, err := io.ReadAll(io.LimitReader(r.Body, controlapi.MaxRequestBytes+1))
			if err != nil {
				controlapi.WriteError(w, nil, controlapi.Errorf(controlapi.CodeInvalid, "the request body could not be read"))
				return
			}
			over = len(body) > controlapi.MaxRequestBytes
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		if over {
			controlapi.WriteError(w, nil, controlapi.Errorf(controlapi.CodeTooLarge,
				"the request body is over %d bytes (1 MiB), the control API's limit", controlapi.MaxRequestBytes))
			return
		}
		next.ServeHTTP(w, r)
	})
}
