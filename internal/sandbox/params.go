package sandbox

import (
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/stripe/stripe-go/v79"
)

// paramSet is the parameters an endpoint accepts, as normalized form keys:
// list indices become "[]" ("features[0]" and "features[]" are both
// "features[]"), and "name[*]" accepts any key below name (metadata).
type paramSet map[string]bool

// retrieveParams is what Stripe's retrieve endpoints take (stripe-go
// shares one params type between create and retrieve).
type retrieveParams struct {
	Expand []*string `form:"expand"`
}

// paramsOf lists the form keys of a stripe-go v79 params struct. stripe-go
// v79 is generated from Stripe's OpenAPI spec at API version 2024-06-20,
// so this is what Stripe accepts at that version: the sandbox refuses what
// Stripe would refuse, without a hand-copied list to drift.
func paramsOf(v any) paramSet {
	ps := paramSet{}
	walkForm(reflect.TypeOf(v), "", ps)
	return ps
}

func walkForm(t reflect.Type, prefix string, ps paramSet) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		for i := range t.NumField() {
			f := t.Field(i)
			tag, _, _ := strings.Cut(f.Tag.Get("form"), ",")
			if !f.IsExported() || tag == "" || tag == "-" {
				continue
			}
			if f.Type == reflect.TypeOf(stripe.Params{}) {
				// Its metadata is a deprecated catch-all; an endpoint that
				// takes metadata declares it itself.
				ps[join(prefix, "expand")+"[]"] = true
				continue
			}
			if tag == "*" { // inlined (stripe.ListParams)
				walkForm(f.Type, prefix, ps)
				continue
			}
			walkForm(f.Type, join(prefix, tag), ps)
		}
	case reflect.Slice:
		walkForm(t.Elem(), prefix+"[]", ps)
	case reflect.Map:
		ps[prefix+"[*]"] = true
	default:
		ps[prefix] = true
	}
}

func join(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "[" + name + "]"
}

var (
	listIndex     = regexp.MustCompile(`\[\d+\]`)
	trailingIndex = regexp.MustCompile(`\[\d*\]$`)
)

// unknownParam returns the first key (in sorted order, so the answer is
// stable) that the set does not accept, or "".
func (ps paramSet) unknownParam(form url.Values) string {
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !ps.accepts(listIndex.ReplaceAllString(k, "[]")) {
			return trailingIndex.ReplaceAllString(k, "")
		}
	}
	return ""
}

func (ps paramSet) accepts(key string) bool {
	if ps[key] {
		return true
	}
	for i := strings.IndexByte(key, '['); i > 0; i = nextBracket(key, i) {
		if ps[key[:i]+"[*]"] {
			return true
		}
	}
	return false
}

func nextBracket(s string, i int) int {
	j := strings.IndexByte(s[i+1:], '[')
	if j < 0 {
		return -1
	}
	return i + 1 + j
}

// checkParams answers Stripe's 400 parameter_unknown for a parameter the
// endpoint does not take (the body of a POST, the query otherwise).
func checkParams(w http.ResponseWriter, r *http.Request, ps paramSet) bool {
	form := r.URL.Query()
	if r.Method == http.MethodPost {
		form = r.PostForm
	}
	if p := ps.unknownParam(form); p != "" {
		stripeError(w, http.StatusBadRequest, stripe.ErrorTypeInvalidRequest, stripe.ErrorCodeParameterUnknown, p,
			fmt.Sprintf("Received unknown parameter: %s", p))
		return false
	}
	return true
}

// listValues reads a list parameter in each encoding Stripe accepts:
// name[]=a&name[]=b (Stripe.js, curl -d) and name[0]=a&name[1]=b
// (stripe-go), indexed ones in index order.
func listValues(form url.Values, name string) []string {
	out := append([]string(nil), form[name+"[]"]...)
	type indexed struct {
		i int
		v string
	}
	var ix []indexed
	for k, vs := range form {
		rest, ok := strings.CutPrefix(k, name+"[")
		if !ok || !strings.HasSuffix(rest, "]") {
			continue
		}
		i, err := strconv.Atoi(strings.TrimSuffix(rest, "]"))
		if err != nil || i < 0 {
			continue
		}
		for _, v := range vs {
			ix = append(ix, indexed{i, v})
		}
	}
	sort.SliceStable(ix, func(a, b int) bool { return ix[a].i < ix[b].i })
	for _, x := range ix {
		out = append(out, x.v)
	}
	return out
}
