package mock

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strings"
	"sync"

	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/openapi"
)

// controlSpec is the control API's document, loaded once: it is embedded, so it is the same for every
// server of the process.
var controlSpec = sync.OnceValues(func() (*openapi.Spec, error) { return openapi.Load(nil, openapi.ControlFile) })

// validateControl checks a control-API request body against openapi/control.yaml with kin-openapi,
// so the document is the contract and not only a description: a body its operation's schema refuses
// gets a 400 naming each violation by its JSON pointer. A body that is not JSON, an empty one, and a
// request no operation matches go on to the handler, which answers them in its own words (send JSON;
// 404; 405). The body is read as JSON whatever its Content-Type, as the handlers read it.
func validateControl(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Method == http.MethodGet || r.Method == http.MethodHead || !jsonCarrier(r) {
			next.ServeHTTP(w, r)
			return
		}
		// limitControlBody, before this, refused a body over the limit; a chunked one it left whole.
		body, err := io.ReadAll(io.LimitReader(r.Body, controlapi.MaxRequestBytes+1))
		if err != nil {
			// The handler meets the same error where it would have, and answers it in its words.
			r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), failingReader{err}))
			next.ServeHTTP(w, r)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		spec, err := controlSpec()
		if err != nil || len(bytes.TrimSpace(body)) == 0 || !json.Valid(body) {
			next.ServeHTTP(w, r)
			return
		}
		asJSON := *r
		asJSON.Header = r.Header.Clone()
		asJSON.Header.Set("Content-Type", "application/json")
		violations, err := spec.CheckHTTPRequest(r.Context(), &asJSON, body)
		if err != nil || len(violations) == 0 {
			next.ServeHTTP(w, r)
			return
		}
		msgs := make([]string, 0, len(violations))
		for _, v := range violations {
			where := v.Pointer
			if where == "" {
				where = "the body"
			}
			msgs = append(msgs, where+": "+v.Message)
		}
		controlapi.WriteError(w, nil, controlapi.Errorf(controlapi.CodeInvalid, "request body (openapi/%s): %s", openapi.ControlFile, strings.Join(msgs, "; ")))
	})
}

// jsonCarrier tells whether a request's Content-Type may carry a JSON control body: JSON itself, none,
// or what curl sends with -d (a form) or a client with a plain string. Other types (an asset's package
// bytes, a template) are the handler's to read as they come.
func jsonCarrier(r *http.Request) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mt {
	case "", "application/json", "application/x-www-form-urlencoded", "text/plain":
		return true
	}
	return false
}

// failingReader returns err once the bytes before it are read.
type failingReader struct{ err error }

func (f failingReader) Read([]byte) (int, error) { return 0, f.err }
