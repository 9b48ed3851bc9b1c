package server

import (
	"io"
	"log/slog"
	"strconv"
	"sync"
	"time"
)

// accessEntry is the access log line of one request.
type accessEntry struct {
	id, method, route string
	status            int
	durationMS        float64
	bytesIn           int64
	bytesOut          int
	keyID             string // "" when no API key was accepted
}

func (e *accessEntry) attrs() []slog.Attr {
	// LogAttrs with the id first writes the same line as a logger made
	// With the id, without building one per request.
	attrs := make([]slog.Attr, 0, 8)
	attrs = append(attrs, slog.String("request_id", e.id), slog.String("method", e.method), slog.String("route", e.route),
		slog.Int("status", e.status), slog.Float64("duration_ms", e.durationMS),
		slog.Int64("bytes_in", e.bytesIn), slog.Int("bytes_out", e.bytesOut))
	if e.keyID != "" {
		attrs = append(attrs, slog.String("api_key_id", e.keyID))
	}
	return attrs
}

// appendAccessLine appends e as an INFO line logged at t, byte for byte
// what slog's JSON handler writes for the same record
// (TestAccessLineIsSlogsLine). slog's generic path (attribute values,
// escaping every key, floats through encoding/json) cost about 5% of a
// cached verdict's CPU, for a line whose shape never changes. ok is false
// when a string would need escaping; the caller then logs through slog.
func appendAccessLine(b []byte, t time.Time, e *accessEntry) (_ []byte, ok bool) {
	if !plainJSON(e.id) || !plainJSON(e.method) || !plainJSON(e.route) || !plainJSON(e.keyID) {
		return b, false
	}
	b = append(b, `{"time":"`...)
	b = t.AppendFormat(b, time.RFC3339Nano) // as slog's JSON handler
	b = append(b, `","level":"INFO","msg":"request","request_id":"`...)
	b = append(b, e.id...)
	b = append(b, `","method":"`...)
	b = append(b, e.method...)
	b = append(b, `","route":"`...)
	b = append(b, e.route...)
	b = append(b, `","status":`...)
	b = strconv.AppendInt(b, int64(e.status), 10)
	b = append(b, `,"duration_ms":`...)
	b = appendMillis(b, e.durationMS)
	b = append(b, `,"bytes_in":`...)
	b = strconv.AppendInt(b, e.bytesIn, 10)
	b = append(b, `,"bytes_out":`...)
	b = strconv.AppendInt(b, int64(e.bytesOut), 10)
	if e.keyID != "" {
		b = append(b, `,"api_key_id":"`...)
		b = append(b, e.keyID...)
		b = append(b, '"')
	}
	return append(b, "}\n"...), true
}

// appendMillis writes a duration in ms as encoding/json writes a float64:
// durations are whole microseconds (0 or at least 0.001 ms) and far below
// 1e21, where json's form is strconv's shortest 'f' form.
func appendMillis(b []byte, ms float64) []byte {
	return strconv.AppendFloat(b, ms, 'f', -1, 64)
}

// plainJSON reports a string JSON and slog leave as it is: printable
// ASCII without quote or backslash (request ids, methods, route templates
// and key ids all are).
func plainJSON(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// lineBufs recycles access lines: the log output copies what it is given.
var lineBufs = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

// writeAccessLine writes e, logged at t, to w; false when appendAccessLine
// refuses it (nothing is written then).
func writeAccessLine(w io.Writer, t time.Time, e *accessEntry) bool {
	buf := lineBufs.Get().(*[]byte)
	defer lineBufs.Put(buf)
	line, ok := appendAccessLine((*buf)[:0], t, e)
	*buf = line[:0]
	if ok {
		_, _ = w.Write(line)
	}
	return ok
}
