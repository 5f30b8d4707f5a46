package faults

import "errors"

// Errors returned by Set and Clear.
var (
	ErrUnknown     = errors.New("no such fault is offered")
	ErrBadTarget   = errors.New("invalid fault")
	ErrNoSuchFault = errors.New("no active fault with that ID")
)
