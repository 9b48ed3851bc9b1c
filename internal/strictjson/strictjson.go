// Package strictjson checks what encoding/json lets through: it matches
// object keys to struct fields case-insensitively ("Accounts" fills
// Accounts), merges duplicate keys (the last wins), and decodes \u0000 and
// other control characters into strings. A request that relies on any of
// these is either a bug or an attempt to make two parsers disagree, so it
// is refused with the field named.
package strictjson

import (
	"bytes"
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
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	w := walker{dec: dec}
	return w.value(reflect.TypeOf(dst), prefix, prefix)
}

type walker struct{ dec *json.Decoder }

// value checks one JSON value against t (nil: any shape). param is the
// field as the API names it (no indexes); at adds indexes for messages.
func (w *walker) value(t reflect.Type, param, at string) error {
	tok, err := w.dec.Token()
	if err != nil {
		return apperr.Invalid(or(param, "body"), "the body is not valid JSON")
	}
	t = deref(t)
	switch tok := tok.(type) {
	case json.Delim:
		if tok == '{' {
			return w.object(t, param, at)
		}
		if tok == '[' {
			var elem reflect.Type
			if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) && !isRaw(t) {
				elem = t.Elem()
			}
			for i := 0; w.dec.More(); i++ {
				if err := w.value(elem, param, at+"["+strconv.Itoa(i)+"]"); err != nil {
					return err
				}
			}
			_, err := w.dec.Token() // ]
			return err
		}
	case string:
		if plain(tok) {
			return nil
		}
		return checkString(tok, param, at)
	}
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
	seen := map[string]bool{}
	for w.dec.More() {
		tok, err := w.dec.Token()
		if err != nil {
			return apperr.Invalid(or(param, "body"), "the body is not valid JSON")
		}
		key, _ := tok.(string)
		kp, ka := join(param, key), join(at, key)
		if !plain(key) {
			if err := checkString(key, or(param, "body"), "a key of "+or(at, "the body")); err != nil {
				return err
			}
		}
		if seen[key] {
			return apperr.Invalidf(kp, "%s appears more than once", ka)
		}
		seen[key] = true
		next := elem
		if fields != nil {
			ft, ok := fields[key]
			if !ok {
				// encoding/json accepted it, so only the case differs.
				return apperr.Invalidf(kp, "unknown field %q (field names are case-sensitive)", ka)
			}
			next = ft
		}
		if err := w.value(next, kp, ka); err != nil {
			return err
		}
	}
	_, err := w.dec.Token() // }
	return err
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
