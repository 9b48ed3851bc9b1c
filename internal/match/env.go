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
	// Signals are the reuse counts of the account and the identity (zero
	// when unknown: eval cases without signals, a cache that is down).
	Signals Signals `expr:"signals"`
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

// appendFlags appends the names of the true facts in the struct facts
// points to (a pointer, so no copy of the struct is boxed per call).
func appendFlags(dst []string, facts any, fields []factField) []string {
	v := reflect.ValueOf(facts).Elem()
	for _, f := range fields {
		if v.Field(f.index).Bool() {
			dst = append(dst, f.name)
		}
	}
	return dst
}

// Signals count how often an account and an identity were verified: the
// distinct identities that matched the same owner of the same bank account
// (identities_per_account; a joint account's owners are counted apart),
// and the distinct bank accounts verified for the identity
// (accounts_per_identity), over the last day and the last 30 days, this
// verdict included. Available is false when the counts could not be read
// (they are then zero).
type Signals struct {
	IdentitiesPerAccount1d  int  `expr:"identities_per_account_1d" json:"identities_per_account_1d" yaml:"identities_per_account_1d"`
	IdentitiesPerAccount30d int  `expr:"identities_per_account_30d" json:"identities_per_account_30d" yaml:"identities_per_account_30d"`
	AccountsPerIdentity1d   int  `expr:"accounts_per_identity_1d" json:"accounts_per_identity_1d" yaml:"accounts_per_identity_1d"`
	AccountsPerIdentity30d  int  `expr:"accounts_per_identity_30d" json:"accounts_per_identity_30d" yaml:"accounts_per_identity_30d"`
	Available               bool `expr:"available" json:"available" yaml:"available"`
}
