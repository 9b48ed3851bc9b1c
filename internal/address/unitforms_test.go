package address

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ownercheck/ownercheck/internal/identity"
)

// TestUnitFormsMatrix: issue 8 measured 18 false passes, all a different
// unit at the same street address. Every way banks write a unit (invented
// from the shapes in the issue) is crossed with streets and cities whose
// words confuse a parser without separators (no suffix, suffix words in
// the name, ST/FORT/LAKE cities), on the path the matcher uses
// (ParseNear). The same unit must give a line match without a unit
// missing; another unit must never give a line match.
func TestUnitFormsMatrix(t *testing.T) {
	streets := []string{"1234 N Main St", "88 Broadway", "210 W 42nd St", "4500 Hwy 61", "31 Park Place Dr", "55 Center", "400 K St NE", "15 St Charles Ave"}
	cities := [][3]string{{"Springfield", "IL", "62704"}, {"St Louis", "MO", "63108"}, {"Fort Worth", "TX", "76102"}, {"Lake Forest", "IL", "60045"},
		{"New York", "NY", "10036"}, {"Port St Lucie", "FL", "34984"}, {"North Las Vegas", "NV", "89030"}, {"Boston", "MA", "02110"}}
	values := [][2]string{{"4B", "4C"}, {"210", "211"}, {"B12", "B13"}, {"A", "B"}}
	idForms := []string{"Apt %s", "#%s", "Ste %s"}
	ownerForms := []string{
		"{L} APT {V} {C} {S} {Z}", "{L} #{V} {C} {S} {Z}", "{L} # {V} {C} {S} {Z}", "{L}, APT {V}, {C}, {S} {Z}",
		"{L} APT. {V} {C}, {S} {Z}", "{L} UNIT {V} {C} {S}", "APT {V} {L} {C} {S} {Z}", "{L}\nAPT {V}\n{C}, {S} {Z}",
		"{L} {V} {C} {S} {Z}", "{L} STE {V} {C} {S} {Z}-1234", "{L} APT {V} {C}", "{L} # APT {V} {C} {S} {Z}",
		"{L}, {V}, {C}, {S} {Z}", "{L} APT #{V}, {C} {S} {Z}", "{l} apt {V} {c} {S}", "{L} BLDG 2 APT {V} {C} {S} {Z}",
		"{L} APT {V}, {C} {Z}", "{L} APT {V} {C} {S} {Z} USA",
	}
	var failures int
	report := func(format string, args ...any) {
		if failures++; failures <= 10 {
			t.Errorf(format, args...)
		}
	}
	for _, st := range streets {
		for _, c := range cities {
			for _, v := range values {
				for _, idf := range idForms {
					id := FromIdentity(identity.Address{Line1: st, Line2: fmt.Sprintf(idf, v[0]), City: c[0], State: c[1], PostalCode: c[2]})
					for _, of := range ownerForms {
						if strings.HasPrefix(of, "{L} {V}") || strings.HasPrefix(of, "{L}, {V}") {
							if !startsWithDigit(v[0]) {
								continue // a bare letter after the street: a directional or a unit, by design not read
							}
						}
						for k, val := range v {
							raw := strings.NewReplacer("{l}", strings.ToLower(st), "{c}", strings.ToLower(c[0]), "{L}", strings.ToUpper(st),
								"{V}", val, "{C}", strings.ToUpper(c[0]), "{S}", c[1], "{Z}", c[2]).Replace(of)
							f := Compare(id, ParseNear(raw, id)).Facts
							switch {
							case k == 0 && (!f.LineMatch || f.UnitMissing && !strings.Contains(of, "BLDG")):
								report("same unit not matched: %q against %q: %+v", raw, id.String(), f)
							case k == 1 && f.LineMatch:
								report("another unit matched: %q against %q: %+v", raw, id.String(), f)
							}
						}
					}
				}
			}
		}
	}
	if failures > 10 {
		t.Errorf("... %d failures in all", failures)
	}
}
