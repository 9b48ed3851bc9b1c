package match

import (
	"reflect"
	"strings"

	"github.com/ownercheck/ownercheck/internal/address"
	"github.com/ownercheck/ownercheck/internal/names"
)

// Env is what a policy condition sees for one owner. Field names are the
// expr names analysts write (`name.score >= 90 and address.house_number_match`);
// conditions are type-checked against it when the rules load.
type Env struct {
	Name     NameEnv     `expr:"name"`
	Address  AddressEnv  `expr:"address"`
	Email    ContactEnv  `expr:"email"`
	Phone    ContactEnv  `expr:"phone"`
	Owner    OwnerEnv    `expr:"owner"`
	Identity IdentityEnv `expr:"identity"`
	// Score is the weighted average of the field scores both sides have.
	Score int `expr:"score"`
	// Thresholds are inlined as constants at load; the field exists only so
	// `thresholds.x` type-checks.
	Thresholds map[string]int `expr:"thresholds"`
}

// NameEnv is the name comparison: present is false when the owner has no name.
type NameEnv struct {
	Present bool `expr:"present"`
	Score   int  `expr:"score"`
	names.Facts
}

// AddressEnv is the address comparison: present when both sides have one.
type AddressEnv struct {
	Present bool `expr:"present"`
	Score   int  `expr:"score"`
	address.Facts
}

// ContactEnv is an email or phone comparison: present when both sides have
// the field; match when they are the same after normalization.
type ContactEnv struct {
	Present bool `expr:"present"`
	Match   bool `expr:"match"`
	Score   int  `expr:"score"`
}

// OwnerEnv describes the account's owners.
type OwnerEnv struct {
	Count int `expr:"count"`
	Index int `expr:"index"`
}

// IdentityEnv describes the submitted identity.
type IdentityEnv struct {
	Company    bool `expr:"company"`
	HasDBA     bool `expr:"has_dba"`
	HasAddress bool `expr:"has_address"`
}

// factFields lists a Facts struct's bool fields with their json names, so
// the true facts become the verdict's flags without per-call reflection
// lookups.
type factField struct {
	index int
	name  string
}

func factFieldsOf(t reflect.Type) []factField {
	var out []factField
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Type.Kind() != reflect.Bool {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			name = f.Tag.Get("expr")
		}
		if name == "" {
			continue
		}
		out = append(out, factField{index: i, name: name})
	}
	return out
}

var (
	nameFactFields    = factFieldsOf(reflect.TypeOf(names.Facts{}))
	addressFactFields = factFieldsOf(reflect.TypeOf(address.Facts{}))
)

func addFlags(dst map[string]bool, facts any, fields []factField) {
	v := reflect.ValueOf(facts)
	for _, f := range fields {
		if v.Field(f.index).Bool() {
			dst[f.name] = true
		}
	}
}
