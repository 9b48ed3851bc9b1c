// Package apperr holds the domain errors that the HTTP layer maps to status
// codes and safe messages. Packages return these (or wrap them); only the
// adapter in the HTTP layer decides what a client sees.
package apperr

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Kinds of error. Each maps to one HTTP status in the server's adapter.
const (
	KindInvalid      = "invalid_request" // 400
	KindUnauthorized = "unauthorized"    // 401
	KindNotFound     = "not_found"       // 404
	KindConflict     = "conflict"        // 409
	KindTooLarge     = "too_large"       // 413
	KindRateLimited  = "rate_limited"    // 429, retryable
	KindUnavailable  = "unavailable"     // 503, retryable
	KindUpstream     = "upstream_error"  // 502: Stripe refused the request
	KindInternal     = "internal"        // 500
)

// Error is a domain error with a message that is safe to show a client.
type Error struct {
	Kind       string
	Message    string        // safe for clients; never PII
	Param      string        // offending field, JSON path, for KindInvalid
	RetryAfter time.Duration // for retryable kinds
	Err        error         // underlying cause, logged for 5xx, never shown
}

func (e *Error) Error() string {
	s := e.Kind + ": " + e.Message
	if e.Param != "" {
		s += " (" + e.Param + ")"
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Retryable reports whether the client may retry the same request later.
func (e *Error) Retryable() bool {
	return e.Kind == KindRateLimited || e.Kind == KindUnavailable
}

// WithCause keeps err as the cause (for errors.Is/As up the chain, e.g.
// fc.ErrNotFound behind a 400 naming the field) and returns e.
func (e *Error) WithCause(err error) *Error {
	e.Err = err
	return e
}

// Classifier is an error of another layer that knows its domain error
// (Stripe failures, in internal/fc).
type Classifier interface{ AppError() *Error }

// Classify is the one classification of errors, for the HTTP adapter and
// the batch job alike: the *Error in err's chain, else what a Classifier
// in the chain says, else a passed deadline (unavailable, retryable), else
// an internal error.
func Classify(err error) *Error {
	if e, ok := As(err); ok {
		return e
	}
	var c Classifier
	if errors.As(err, &c) {
		e := c.AppError()
		e.Err = err
		return e
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return &Error{Kind: KindUnavailable, Message: "the request did not finish within its deadline; retry later", RetryAfter: 2 * time.Second, Err: err}
	}
	return &Error{Kind: KindInternal, Message: "internal error", Err: err}
}

// Invalid is a 400 naming the offending field.
func Invalid(param, msg string) *Error {
	return &Error{Kind: KindInvalid, Param: param, Message: msg}
}

// Invalidf is Invalid with formatting.
func Invalidf(param, format string, args ...any) *Error {
	return Invalid(param, fmt.Sprintf(format, args...))
}

// NotFound is a 404.
func NotFound(msg string) *Error { return &Error{Kind: KindNotFound, Message: msg} }

// As returns the *Error in err's chain, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// KindOf returns the kind of err, KindInternal when it is not an *Error.
func KindOf(err error) string {
	if e, ok := As(err); ok {
		return e.Kind
	}
	return KindInternal
}
