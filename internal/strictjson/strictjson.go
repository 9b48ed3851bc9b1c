// Package strictjson checks what encoding/json lets through: it matches
// object keys to struct fields case-insensitively ("Accounts" fills
// Accounts), merges duplicate keys (the last wins), and decodes \u0000 and
// other control characters into strings. A request that relies on any of
// these is either a bug or an attempt to make two parsers disagree, so it
// is refused with the field named.
package strictjson

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/ownercheck/ownercheck/internal/apperr"
)

// Check walks data, which must already decode into a value of dst's type,
// and returns a 400 (apperr.Invalid) naming the first key that is not an
// exact field name, the first duplicate key, or the first string holding a
// control character or invalid UTF-8. prefix names the value ("" for a
// whole body).
func Check(data []byte, dst any, prefix string) error {
	w := walker{data: data}
	return w.value(reflect.TypeOf(dst), prefix, prefix)
}

// walker scans data itself: encoding/json's Token API allocates a syntax
// error for every scalar it returns (it reads each as a top-level value),
// which made this second pass cost more than decoding. Strings are
// decoded by encoding/json whenever they hold an escape or a byte outside
// printable ASCII, so the checks see exactly what the decoder saw.
type walker struct {
	data []byte
	i    int
}

// invalid is the error of a body that is not JSON (Check's callers have
// decoded it already, so this is a safety net).
func invalid(param string) error {
	return apperr.Invalid(or(param, "body"), "the body is not valid JSON")
}

// next skips white space and returns the next byte (0 at the end).
func (w *walker) next() byte {
	for ; w.i < len(w.data); w.i++ {
		switch b := w.data[w.i]; b {
		case ' ', '\t', '\n', '\r':
		default:
			return b
		}
	}
	return 0
}

// str reads the string at w.i (its opening quote).
func (w *walker) str() (string, bool) {
	start, simple := w.i, true
	for j := start + 1; j < len(w.data); j++ {
		switch b := w.data[j]; {
		case b == '\\':
			simple = false
			j++ // the escaped byte; \uXXXX's digits are plain bytes
		case b == '"':
			w.i = j + 1
			if simple {
				return string(w.data[start+1 : j]), true
			}
			var s string
			if json.Unmarshal(w.data[start:j+1], &s) != nil {
				return "", false
			}
			return s, true
		case b < 0x20 || b >= 0x7f:
			simple = false
		}
	}
	return "", false
}

// skipLiteral skips a number, true, false or null.
func (w *walker) skipLiteral() {
	for ; w.i < len(w.data); w.i++ {
		switch w.data[w.i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return
		}
	}
}

// value checks one JSON value against t (nil: any shape). param is the
// field as the API names it (no indexes); at adds indexes for messages.
func (w *walker) value(t reflect.Type, param, at string) error {
	t = deref(t)
	switch w.next() {
	case 0:
		return invalid(param)
	case '{':
		w.i++
		return w.object(t, param, at)
	case '[':
		w.i++
		var elem reflect.Type
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) && !isRaw(t) {
			elem = t.Elem()
		}
		if w.next() == ']' {
			w.i++
			return nil
		}
		for i := 0; ; i++ {
			if err := w.value(elem, param, at+"["+strconv.Itoa(i)+"]"); err != nil {
				return err
			}
			switch w.next() {
			case ',':
				w.i++
			case ']':
				w.i++
				return nil
			default:
				return invalid(param)
			}
		}
	case '"':
		tok, ok := w.str()
		if !ok {
			return invalid(param)
		}
		if plain(tok) {
			return nil
		}
		return checkString(tok, param, at)
	}
	w.skipLiteral()
	return nil
}

func (w *walker) object(t reflect.Type, param, at string) error {
	var fields map[string]reflect.Type
	var elem reflect.Type
	switch {
	case t == nil || isRaw(t):
		t = nil
	case t.Kind() == reflect.Struct:
		fields = jsonFields(t)
	case t.Kind() == reflect.Map:
		elem = t.Elem()
	}
	if w.next() == '}' {
		w.i++
		return nil
	}
	seen := map[string]bool{}
	for {
		if w.next() != '"' {
			return invalid(param)
		}
		key, ok := w.str()
		if !ok || w.next() != ':' {
			return invalid(param)
		}
		w.i++
		kp, ka := join(param, key), join(at, key)
		if !plain(key) {
			if err := checkString(key, or(param, "body"), "a key of "+or(at, "the body")); err != nil {
				return err
			}
		}
		next := elem
		if fields != nil {
			ft, ok := fields[key]
			if !ok {
				return unknownField(param, at, key)
			}
			next = ft
		}
		if seen[key] {
			// Only known field names (or keys of free-form values) get here.
			return apperr.Invalidf(kp, "%s appears more than once", ka)
		}
		seen[key] = true
		if err := w.value(next, kp, ka); err != nil {
			return err
		}
		switch w.next() {
		case ',':
			w.i++
		case '}':
			w.i++
			return nil
		default:
			return invalid(param)
		}
	}
}

// plain is the fast path of checkString: printable ASCII only, which
// checkString accepts (it is valid UTF-8 without control characters).
func plain(s string) bool {
	for i := 0; i < len(s); i++ {
		if b := s[i]; b < 0x20 || b >= 0x7f {
			return false
		}
	}
	return true
}

// maxFieldName bounds a key that is named back in an error.
const maxFieldName = 64

// unknownField refuses a key that is no field of the object. A key that
// could be a field name (ASCII letters, digits, _; a typo or another
// case) is named with its path; any other key is input, not a name (a
// value put where a key belongs, bounded only by the body), and is not
// echoed: the error names the object holding it.
func unknownField(param, at, key string) error {
	if fieldName(key) {
		return apperr.Invalidf(join(param, key), "unknown field %s (field names are case-sensitive)", join(at, key))
	}
	return apperr.Invalidf(or(param, "body"), "%s holds a key that is not a field name", or(at, "the body"))
}

func fieldName(key string) bool {
	if key == "" || len(key) > maxFieldName {
		return false
	}
	for _, r := range key {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

func checkString(s, param, at string) error {
	if !utf8.ValidString(s) {
		return apperr.Invalidf(or(param, "body"), "%s is not valid UTF-8", or(at, "the body"))
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return apperr.Invalidf(or(param, "body"), "%s holds a control character (U+%04X)", or(at, "the body"), r)
		}
	}
	return nil
}

var rawType = reflect.TypeOf(json.RawMessage(nil))

func isRaw(t reflect.Type) bool { return t == rawType || t.Kind() == reflect.Interface }

func deref(t reflect.Type) reflect.Type {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// fieldsByType remembers jsonFields per type (every request decodes the
// same few types); the maps are shared and only read.
var fieldsByType sync.Map // reflect.Type -> map[string]reflect.Type

// jsonFields maps the exact JSON names of t's fields to their types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	if m, ok := fieldsByType.Load(t); ok {
		return m.(map[string]reflect.Type)
	}
	m := computeFields(t)
	fieldsByType.Store(t, m)
	return m
}

func computeFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
