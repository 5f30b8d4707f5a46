package controlapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
)

// MaxRequestBytes caps control-API request bodies.
const MaxRequestBytes = 1 << 20

// WriteJSON writes v as the JSON answer with the given status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// WriteError writes err in the control API's error format. Errors that are not *Error are koomock's
// own failures: they are logged and answered with a generic message, never with their text, which may
// name files or internals.
//
// A request whose client went away (its context cancelled, as when an event stream's reader leaves
// during its catch-up) is no failure of koomock's: it is logged at DEBUG.
func WriteError(w http.ResponseWriter, logger *slog.Logger, err error) {
	var e *Error
	if !errors.As(err, &e) {
		if logger != nil {
			level := slog.LevelError
			if errors.Is(err, context.Canceled) {
				level = slog.LevelDebug
			}
			logger.Log(context.Background(), level, "control API", "err", err)
		}
		e = &Error{Code: CodeInternal, Message: "koomock failed to handle the request; its log has the details"}
	}
	WriteJSON(w, e.Status(), errorBody{Error: e})
}

// Decode reads a JSON request body into v, refusing unknown fields so that a misspelt option is an
// error rather than silently ignored. An empty body leaves v as it is. The Content-Type is not
// checked: curl -d, which most examples use, labels JSON as a form; a body that is not JSON is
// refused with a message that says to send JSON. Browsers cannot abuse this from another site: the
// admin guard refuses cross-origin requests that change state.
func Decode(r *http.Request, v any) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, MaxRequestBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return nil
		}
		return Errorf(CodeInvalid, "request body: %v", cleanJSONError(err))
	}
	return nil
}

func cleanJSONError(err error) string {
	var syntax *json.SyntaxError
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return "the JSON ends too early"
	}
	if errors.As(err, &syntax) {
		return fmt.Sprintf(`not valid JSON at byte %d: send a JSON body ({"field": value}); any Content-Type will do`, syntax.Offset)
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}
