package mock

import (
	"bytes"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/koomock/koomock/controlapi"
)

// limitControlBody refuses a control-API request whose body is over controlapi.MaxRequestBytes with
// 413 in the control API's format, before the admin guards run: an oversized request is refused for
// its size whoever sends it, and is never read past the limit. A declared length is refused unread; a
// body without one (chunked) is read up to a byte past the limit and handed on whole.
//
// A package upload to the asset centre (PUT /_mock/assets/{id}/versions/{version} with the bytes as
// the body) is the exception: it is streamed to disk under the asset centre's own 20 GB limit.
func limitControlBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isPackageUpload(r) {
			next.ServeHTTP(w, r)
			return
		}
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

// isPackageUpload tells a package's bytes sent to the asset centre from the control API's JSON
// requests: PUT /_mock/assets/{id}/versions/{version} whose body is not JSON.
func isPackageUpload(r *http.Request) bool {
	if r.Method != http.MethodPut {
		return false
	}
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/_mock/assets/"), "/")
	if !strings.HasPrefix(r.URL.Path, "/_mock/assets/") || len(parts) != 3 || parts[1] != "versions" {
		return false
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return mt != "application/json"
}
