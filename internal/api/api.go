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
	"os"
	"reflect"
	"strconv"
	"strings"
	"sync"
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
	apperr.KindUpstream:     http.StatusBadGateway,
}

// classify maps any error a handler returns to a status and a safe body,
// through the one classification (apperr.Classify): domain errors keep
// their message, Stripe failures become a retryable 429/503 or a 502,
// everything else is an opaque 500.
func classify(err error) (int, errorDetail, time.Duration) {
	e := apperr.Classify(err)
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

// Handler is a gin handler that returns its error to the one adapter.
type Handler func(c *gin.Context) error

// LoggerKey is where the request's logger (with its request id) lives in
// the gin context.
const LoggerKey = "ownercheck.logger"

// Logger is the request's logger, or fallback.
func Logger(c *gin.Context, fallback *slog.Logger) *slog.Logger {
	if l, ok := c.Get(LoggerKey); ok {
		switch l := l.(type) {
		case *slog.Logger:
			return l
		case *LazyLogger:
			return l.Logger()
		}
	}
	return fallback
}

// LazyLogger is a request's logger (Base with its request id), built on
// first use: most requests log only their access line, which carries the
// id itself, and With costs every request an allocation and a formatting.
type LazyLogger struct {
	Base *slog.Logger
	ID   string
	once sync.Once
	l    *slog.Logger
}

// Logger is Base with "request_id".
func (z *LazyLogger) Logger() *slog.Logger {
	z.once.Do(func() { z.l = z.Base.With("request_id", z.ID) })
	return z.l
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
	body, err := ReadBody(c)
	if err != nil {
		return err
	}
	if plainTypes(reflect.TypeOf(dst)) {
		// The usual body is valid: one Unmarshal (no Decoder, no copy of
		// the body into its buffer) and the strict walk, which refuses
		// every key that is not an exact field name and so every key
		// DisallowUnknownFields would. Any error takes the full path
		// below, from a zero dst, so errors read exactly as before.
		if json.Unmarshal(body, dst) == nil {
			return strictjson.Check(body, dst, "")
		}
		reflect.ValueOf(dst).Elem().SetZero()
	}
	return decodeSlow(body, dst)
}

// decodeSlow decodes with a Decoder that refuses unknown fields, so that a
// bad body gets encoding/json's own diagnosis (type errors name the field,
// syntax errors their offset) before the strict walk's.
func decodeSlow(body []byte, dst any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		if isUnknownField(err) {
			// encoding/json names an unknown key without its path and
			// quotes it verbatim: the strict walk names it properly (or
			// an earlier problem of the body).
			if serr := strictjson.Check(body, dst, ""); serr != nil {
				return serr
			}
			return apperr.Invalid("body", "the body holds an unknown field")
		}
		return decodeError(err)
	}
	if _, extra := dec.Token(); extra != io.EOF {
		return apperr.Invalid("body", "the body must hold a single JSON object")
	}
	return strictjson.Check(body, dst, "")
}

// ReadBody reads the request body (already capped by the size limit) by
// the request's deadline. Without it a client that trickles its body
// holds the handler until the server's read timeout, past the write
// timeout, and is then closed unanswered; with it the client gets the 503
// of a request that reached its deadline.
func ReadBody(c *gin.Context) ([]byte, error) {
	var rc *http.ResponseController
	if d, ok := c.Request.Context().Deadline(); ok {
		if r := http.NewResponseController(c.Writer); r.SetReadDeadline(d) == nil {
			rc = r
		}
	}
	body, err := readAll(c.Request.Body, c.Request.ContentLength)
	switch {
	case err == nil:
		if rc != nil {
			// The body is in: no deadline, since one passing while the
			// handler works would cancel the request's context (the server
			// sets its own for the connection's next request). On an
			// error it stays, so that net/http's drain of the unread body
			// before the answer fails at once instead of waiting for it.
			_ = rc.SetReadDeadline(time.Time{})
		}
		return body, nil
	case errors.Is(err, os.ErrDeadlineExceeded):
		return nil, &apperr.Error{Kind: apperr.KindUnavailable, RetryAfter: time.Second, Err: err,
			Message: "the request body did not arrive within the request's deadline; retry"}
	}
	return nil, decodeError(err)
}

// maxPresize bounds the buffer sized from a declared Content-Length
// (bodyLimit has refused longer declarations on API routes already).
const maxPresize = 1 << 20

// readAll is io.ReadAll with its buffer sized from the declared length:
// io.ReadAll starts at 512 bytes and grows (copying) several times for a
// verdict request. A wrong declaration costs at most a growth.
func readAll(r io.Reader, declared int64) ([]byte, error) {
	if declared <= 0 || declared > maxPresize {
		return io.ReadAll(r)
	}
	b := make([]byte, 0, declared+1) // +1: EOF arrives without a growth
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err != nil {
			if err == io.EOF {
				err = nil
			}
			return b, err
		}
	}
}

// plainByType remembers plainTypes per type.
var plainByType sync.Map // reflect.Type -> bool

// plainTypes reports whether t (a pointer to the body's type) reaches only
// structs whose fields strictjson names exactly as encoding/json does: no
// embedded structs (encoding/json promotes their fields) and no "-," tags
// (a field named "-"). For those, a key strictjson accepts is a key
// DisallowUnknownFields accepts, which is what Decode's fast path needs.
func plainTypes(t reflect.Type) bool {
	if v, ok := plainByType.Load(t); ok {
		return v.(bool)
	}
	ok := t != nil && t.Kind() == reflect.Pointer && plainType(t.Elem(), map[reflect.Type]bool{})
	plainByType.Store(t, ok)
	return ok
}

func plainType(t reflect.Type, seen map[reflect.Type]bool) bool {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || seen[t] {
		return true
	}
	seen[t] = true
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous || strings.HasPrefix(f.Tag.Get("json"), "-,") {
			return false
		}
		if f.IsExported() && !plainType(f.Type, seen) {
			return false
		}
	}
	return true
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
	}
	return apperr.Invalid("body", "the body is not valid JSON")
}

// isUnknownField reports encoding/json's DisallowUnknownFields error,
// which has no type of its own.
func isUnknownField(err error) bool { return strings.HasPrefix(err.Error(), "json: unknown field ") }

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
