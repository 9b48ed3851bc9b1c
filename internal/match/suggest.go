package match

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"github.com/agnivade/levenshtein"
)

// Rule-condition errors in the analyst's words: expr reports problems in
// terms of Go types (`type match.NameEnv has no field scor`); these helpers
// name the expr path instead (`name`) and suggest the nearest field or
// threshold for a misspelling.

// envPaths maps each object a condition can reach (by its Go type name, as
// expr prints it) to its expr path(s) and fields, read from Env's tags so a
// new field is suggested without touching this file.
type envObject struct {
	paths  []string // e.g. ["email", "phone"] share ContactEnv
	fields []string
}

var envObjects, topLevel = describeEnv()

func describeEnv() (map[string]*envObject, []string) {
	objs := map[string]*envObject{}
	var top []string
	t := reflect.TypeOf(Env{})
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name := f.Tag.Get("expr")
		if name == "" {
			continue
		}
		top = append(top, name)
		if f.Type.Kind() != reflect.Struct {
			continue
		}
		key := f.Type.String()
		o := objs[key]
		if o == nil {
			o = &envObject{fields: exprFields(f.Type)}
			objs[key] = o
		}
		o.paths = append(o.paths, name)
	}
	return objs, top
}

// exprFields lists a struct's expr names, including embedded structs'.
func exprFields(t reflect.Type) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			out = append(out, exprFields(f.Type)...)
			continue
		}
		if name := f.Tag.Get("expr"); name != "" {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

var (
	noFieldRe     = regexp.MustCompile(`^type (\S+) has no field (\w+)$`)
	unknownNameRe = regexp.MustCompile(`^unknown name (\w+)$`)
	goTypeRe      = regexp.MustCompile(`\*?match\.\w+|map\[string\]int`)
)

// conditionMessage rewrites an expr compile message for the condition src.
func conditionMessage(msg, src string) string {
	if m := noFieldRe.FindStringSubmatch(msg); m != nil {
		if o := envObjects[m[1]]; o != nil {
			base := baseOf(o.paths, m[2], src)
			out := fmt.Sprintf("%s has no field %s", base, m[2])
			if near := nearest(m[2], o.fields); near != "" {
				out += fmt.Sprintf(" (did you mean %s.%s?)", base, near)
			}
			return out
		}
	}
	if m := unknownNameRe.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("unknown name %s%s", m[1], suggestName(m[1]))
	}
	return goTypeRe.ReplaceAllStringFunc(msg, func(t string) string {
		if o := envObjects[strings.TrimPrefix(t, "*")]; o != nil {
			return strings.Join(o.paths, "/")
		}
		if t == "map[string]int" {
			return "thresholds"
		}
		return "the condition's fields"
	})
}

// baseOf picks which of the paths sharing a type the condition wrote before
// `.field` (email or phone); the first when it cannot tell.
func baseOf(paths []string, field, src string) string {
	for _, p := range paths {
		if regexp.MustCompile(`\b` + regexp.QuoteMeta(p) + `\s*\.\s*` + regexp.QuoteMeta(field) + `\b`).MatchString(src) {
			return p
		}
	}
	return strings.Join(paths, "/")
}

// suggestName suggests for an unknown top-level name: the object that has a
// field of that name (`typo` -> `name.typo`), else the nearest name.
func suggestName(name string) string {
	var holders []string
	for _, o := range envObjects {
		if slices.Contains(o.fields, name) {
			for _, p := range o.paths {
				holders = append(holders, p+"."+name)
			}
		}
	}
	if len(holders) > 0 {
		slices.Sort(holders)
		return fmt.Sprintf(" (did you mean %s?)", strings.Join(holders, " or "))
	}
	if near := nearest(name, topLevel); near != "" {
		return fmt.Sprintf(" (did you mean %s?)", near)
	}
	return ""
}

// nearest is the candidate closest to s by edit distance, if it is close
// enough to be a misspelling: at most 2 edits, or a third of s's length
// for long names (`postal_cod_conflict`); "" otherwise.
func nearest(s string, candidates []string) string {
	best, bestD := "", -1
	for _, c := range candidates {
		d := levenshtein.ComputeDistance(s, c)
		if bestD < 0 || d < bestD {
			best, bestD = c, d
		}
	}
	if bestD < 0 || bestD > max(2, len(s)/3) {
		return ""
	}
	return best
}
