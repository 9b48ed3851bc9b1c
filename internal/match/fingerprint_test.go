package match_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/ownercheck/ownercheck/internal/identity"
	"github.com/ownercheck/ownercheck/internal/match"
)

// Verdicts are cached under the identity's Fingerprint, which merges
// case and whitespace variants of a name: two identities with one
// fingerprint share cached verdicts, so they must compare exactly alike,
// else one identity is answered with the verdict computed for another.
// Cases: every labeled case of fixtures/cases, each spelled in variants
// that share a fingerprint (found by scanning every rune: U+0345, a
// combining mark the matcher drops, upper-cases to a Greek letter it
// keeps; a DBA of blanks is no DBA to the fingerprint).
func TestOneFingerprintOneComparison(t *testing.T) {
	m, err := match.Default()
	if err != nil {
		t.Fatal(err)
	}
	cases := labeledCases(t)
	spellings := []struct {
		name      string
		a, b      func(identity.Identity) identity.Identity
		mustShare bool // the merge the fingerprint is for
	}{
		{"case and spaces", func(id identity.Identity) identity.Identity {
			id.Name = "  " + strings.ToLower(strings.ReplaceAll(id.Name, " ", " \u00a0 ")) + "\t"
			return id
		}, func(id identity.Identity) identity.Identity { id.Name = strings.ToUpper(id.Name); return id }, true},
		{"combining mark that upper-cases to a letter", func(id identity.Identity) identity.Identity {
			id.Name = strings.Replace(id.Name, " ", "\u0345 ", 1)
			return id
		}, func(id identity.Identity) identity.Identity {
			id.Name = strings.ToUpper(strings.Replace(id.Name, " ", "\u0345 ", 1))
			return id
		}, false},
		{"blank dba", func(id identity.Identity) identity.Identity {
			if id.Type == identity.Company && id.DBA == "" {
				id.DBA = "   "
			}
			return id
		}, func(id identity.Identity) identity.Identity { return id }, false},
	}
	for _, sp := range spellings {
		differ := 0
		for _, c := range cases {
			a, b := sp.a(c.Identity), sp.b(c.Identity)
			if a.Fingerprint() != b.Fingerprint() {
				if sp.mustShare {
					t.Fatalf("%s: %q and %q have two fingerprints", sp.name, a.Name, b.Name)
				}
				continue // kept apart: nothing shared
			}
			if ea, eb := m.Compare(a, c.Owners), m.Compare(b, c.Owners); !reflect.DeepEqual(ea, eb) {
				if differ++; differ <= 3 {
					t.Errorf("%s: %q (dba %q) and %q (dba %q) share a fingerprint but compare differently with %s",
						sp.name, a.Name, a.DBA, b.Name, b.DBA, c.ID)
				}
			}
		}
		if differ > 3 {
			t.Errorf("%s: %d cases in all", sp.name, differ)
		}
	}
}
