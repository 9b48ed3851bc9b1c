// Package api holds what every HTTP controller shares: the one error shape,
// the adapter mapping domain and Stripe errors to statuses, and strict JSON
// decoding that names the offending field.
package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/ownercheck/ownercheck/internal/apperr"
	"github.com/ownercheck/ownercheck/internal/fc"
	"github.com/ownercheck/ownercheck/internal/strictjson"
)

// errorBody is the one error shape of the API.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Type    string `json:"type"`
	Message string `json:"message"`
	Param   string `json:"param,omitempty"`
}

var statusOfKind = map[string]int{
	apperr.KindInvalid:      http.StatusBadRequest,
	apperr.KindUnauthorized: http.StatusUnauthorized,
	apperr.KindNotFound:     http.StatusNotFound,
	apperr.KindConflict:     http.StatusConflict,
	apperr.KindTooLarge:     http.StatusRequestEntityTooLarge,
	apperr.KindRateLimited:  http.StatusTooManyRequests,
	apperr.KindUnavailable:  http.StatusServiceUnavailable,
	apperr.KindInternal:     http.StatusInternalServerError,
}

// classify maps any error a handler returns to a status and a safe body:
// domain errors keep their message, Stripe failures become a retryable
// 429/503 or a 502, everything else is an opaque 500.
func classify(err error) (int, errorDetail, time.Duration) {
	if e, ok := apperr.As(err); ok {
		status := statusOfKind[e.Kind]
		if status == 0 {
			status = http.StatusInternalServerError
		}
		msg := e.Message
		if status >= 500 && msg == "" {
			msg = "internal error"
		}
		return status, errorDetail{Type: e.Kind, Message: msg, Param: e.Param}, e.RetryAfter
	}
	if errors.Is(err, fc.ErrNotFound) {
		return http.StatusNotFound, errorDetail{Type: apperr.KindNotFound, Message: "no such Stripe object (session, account or customer)"}, 0
	}
	var se *fc.Error
	if errors.As(err, &se) {
		retry := se.RetryAfter
		if retry <= 0 {
			retry = 2 * time.Second
		}
		if se.Type == fc.TypeIdempotencyError {
			return http.StatusConflict, errorDetail{Type: apperr.KindConflict, Param: "Idempotency-Key",
				Message: "this Idempotency-Key was used with another request; send the same body or use a new key"}, 0
		}
		if field, ok := callerField(se); ok {
			// Stripe's message can echo the value; the code says enough.
			return http.StatusBadRequest, errorDetail{Type: apperr.KindInvalid, Param: field,
				Message: fmt.Sprintf("Stripe refused %s (%s)", field, or(se.Code, se.Type))}, 0
		}
		switch {
		case se.Status == http.StatusTooManyRequests:
			return http.StatusTooManyRequests, errorDetail{Type: apperr.KindRateLimited, Message: "Stripe is rate limiting requests; retry later"}, retry
		case se.Retryable:
			return http.StatusServiceUnavailable, errorDetail{Type: apperr.KindUnavailable, Message: "Stripe is unavailable or timed out; retry later"}, retry
		default:
			return http.StatusBadGateway, errorDetail{Type: "upstream_error", Message: fmt.Sprintf("Stripe rejected the request (%s)", se.Type)}, 0
		}
	}
	return http.StatusInternalServerError, errorDetail{Type: apperr.KindInternal, Message: "internal error"}, 0
}

// stripeParamField maps the parameters Stripe can blame (its error's
// "param") onto the fields of our requests they come from: only there is
// Stripe's 400 the caller's to fix (email_invalid, url_invalid, …). A param
// ownercheck sets itself (permissions, features, …) stays a 502: it is our
// bug or Stripe's, and the caller can do nothing about it.
var stripeParamField = map[string]string{
	"email":                    "customer.email",
	"name":                     "customer.name",
	"return_url":               "return_url",
	"customer":                 "customer",
	"account_holder[customer]": "customer",
}

// callerField is the field of our request a Stripe refusal blames.
func callerField(se *fc.Error) (string, bool) {
	// 401/403 are about our Stripe key, 404 is handled as not found, 429
	// and 5xx are Stripe's: only a plain 400 can be the caller's input.
	if se.Retryable || se.Status != http.StatusBadRequest || se.Type != fc.TypeInvalidRequestError {
		return "", false
	}
	field, ok := stripeParamField[se.Param]
	return field, ok
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// Handler is a gin handler that returns its error to the one adapter.
type Handler func(c *gin.Context) error

// LoggerKey is where the request's logger (with its request id) lives in
// the gin context.
const LoggerKey = "ownercheck.logger"

// Logger is the request's logger, or fallback.
func Logger(c *gin.Context, fallback *slog.Logger) *slog.Logger {
	if l, ok := c.Get(LoggerKey); ok {
		if l, ok := l.(*slog.Logger); ok {
			return l
		}
	}
	return fallback
}

// Adapt turns a Handler into a gin handler: errors are classified, rendered
// in the one error shape, and logged only when they are the server's (5xx).
func Adapt(h Handler) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := h(c); err != nil {
			RenderError(c, err)
		}
	}
}

// RenderError writes err as the API's error response.
func RenderError(c *gin.Context, err error) {
	status, body, retry := classify(err)
	if retry > 0 {
		SetRetryAfter(c, retry)
	}
	if status >= 500 {
		Logger(c, slog.Default()).ErrorContext(c.Request.Context(), "request failed", "status", status, "error", safeText(err))
	}
	c.AbortWithStatusJSON(status, errorBody{Error: body})
}

// SetRetryAfter sets Retry-After in whole seconds (at least 1).
func SetRetryAfter(c *gin.Context, d time.Duration) {
	c.Header("Retry-After", strconv.Itoa(max(1, int((d+time.Second-1)/time.Second))))
}

// safeText is an error for the logs. Stripe's own messages can echo the
// values a request carried (an email, a name), so a Stripe failure is
// logged by operation, status, type and code only.
func safeText(err error) string {
	var se *fc.Error
	if errors.As(err, &se) {
		return fmt.Sprintf("%s: stripe %s (status %d, code %q)", se.Op, se.Type, se.Status, se.Code)
	}
	return err.Error()
}

// Decode reads a JSON body (already capped by the size limit) into dst,
// refusing unknown fields, and names the offending field on error. Keys
// must match exactly (encoding/json ignores case), appear once, and no
// string may hold a control character (strictjson).
func Decode(c *gin.Context, dst any) error {
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		return decodeError(err)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeError(err)
	}
	if _, extra := dec.Token(); extra != io.EOF {
		return apperr.Invalid("body", "the body must hold a single JSON object")
	}
	return strictjson.Check(body, dst, "")
}

func decodeError(err error) error {
	var tooLarge *http.MaxBytesError
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &tooLarge):
		return &apperr.Error{Kind: apperr.KindTooLarge, Message: fmt.Sprintf("the body is larger than %d bytes", tooLarge.Limit)}
	case errors.Is(err, io.EOF):
		return apperr.Invalid("body", "the body is empty; a JSON object is required")
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			field = "body"
		}
		return apperr.Invalidf(field, "%s must be a %s", field, jsonType(typeErr.Type.Kind().String()))
	case errors.As(err, &syntaxErr):
		return apperr.Invalidf("body", "malformed JSON at byte %d", syntaxErr.Offset)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return apperr.Invalidf(field, "unknown field %q", field)
	}
	return apperr.Invalid("body", "the body is not valid JSON")
}

func jsonType(kind string) string {
	switch kind {
	case "string":
		return "string"
	case "slice", "array":
		return "list"
	case "struct", "map", "ptr":
		return "object"
	case "bool":
		return "boolean"
	}
	return "number"
}
