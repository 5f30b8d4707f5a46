package controlapi

import (
	"errors"
	"fmt"
	"net/http"
)

// Code is a stable, machine-readable error code of the control API.
type Code string

// The error codes and their HTTP statuses.
const (
	CodeInvalid      Code = "invalid"      // 400: the request is malformed or names impossible values
	CodeNotFound     Code = "not_found"    // 404: the named order, instance, exchange... does not exist
	CodeConflict     Code = "conflict"     // 409: the request does not fit the current state
	CodeInternal     Code = "internal"     // 500: koomock failed; the message never carries internals
	CodeUnauthorized Code = "unauthorized" // 401: the admin token is missing or wrong
	CodeForbidden    Code = "forbidden"    // 403: the request may not come from where it came from
	CodeTooLarge     Code = "too_large"    // 413: the request body is over MaxRequestBytes
)

var statuses = map[Code]int{
	CodeInvalid:      http.StatusBadRequest,
	CodeNotFound:     http.StatusNotFound,
	CodeConflict:     http.StatusConflict,
	CodeInternal:     http.StatusInternalServerError,
	CodeUnauthorized: http.StatusUnauthorized,
	CodeForbidden:    http.StatusForbidden,
	CodeTooLarge:     http.StatusRequestEntityTooLarge,
}

// Error is a control-API error.
type Error struct {
	Code    Code   `json:"code"`
	Message string `json:"message"`
}

// Error is the code and the message, as the control API sent them.
func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Message) }

// Status returns the HTTP status of the error's code.
func (e *Error) Status() int {
	if s, ok := statuses[e.Code]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// Errorf returns an *Error with a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err if it is (or wraps) an *Error, and CodeInternal otherwise.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

type errorBody struct {
	Error *Error `json:"error"`
}
