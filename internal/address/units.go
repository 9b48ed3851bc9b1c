package address

import "strings"

// Secondary units (Pub 28 C2) as banks write them: "APT 4B", "#4B",
// "APT210", "# APT 2", "APT B-12", "BLDG 4 APT 210", "ST 1400" after a
// street (a suite). A building with several unit designations keeps them
// all: Unit is then "4 APT 210" after UnitType BLDG, which String prints
// back as "BLDG 4 APT 210".

// maxUnitValueLen bounds a letter-led unit value with a digit ("B12",
// "A2101"): longer words with a digit are not unit values in practice and
// are left to the city or to Unplaced.
const maxUnitValueLen = 6

// unitValueLike reports a word that can be the value after a designator:
// a number, one or two letters, or a short letter-led code with a digit.
func unitValueLike(ut, w string) bool {
	switch {
	case ut == "#" || startsWithDigit(w):
		return true
	case valuelessUnits[ut]:
		return false
	}
	return len(w) <= 2 || len(w) <= maxUnitValueLen && hasDigit(w)
}

// attachedUnit splits a designator written against its number ("APT210",
// "STE300", "UNIT4B"). Designators of one letter are not split off.
func attachedUnit(w string) (ut, value string, ok bool) {
	i := 0
	for i < len(w) && !isDigit(w[i]) {
		i++
	}
	if i < 2 || i == len(w) {
		return "", "", false
	}
	ut, ok = unitDesignators[w[:i]]
	if !ok || valuelessUnits[ut] {
		return "", "", false
	}
	return ut, unitValue(w[i:]), true
}

// addUnit records a unit; a second designation (BLDG 4, then APT 210) is
// kept with the first rather than replacing it, so that another building
// with the same apartment number cannot compare equal.
func (p *Parsed) addUnit(ut, value string) {
	if p.Unit == "" {
		p.UnitType, p.Unit = ut, value
		return
	}
	if p.Unit == value {
		return // "APT 4B #4B": the same unit twice
	}
	p.Unit += " " + ut + " " + value
}

// unitAgreement compares two units: the values of every designation,
// ignoring the designators themselves (APT 4 = #4 = UNIT 4) and leading
// zeros. One side giving only part of the other's, where the part left
// out is a building or a floor (APT 210 against BLDG 4 APT 210), is a
// unit missing, not a conflict, as a unit on one side only; two
// apartments against one (APT 4B APT 5C against APT 4B) differ.
type unitAgreement int

const (
	unitsAbsent unitAgreement = iota
	unitsSame
	unitsPartial
	unitsDiffer
)

// outerUnits are the designations that contain a unit rather than name
// one; a side may leave them out.
var outerUnits = map[string]bool{"BLDG": true, "FL": true}

func compareUnits(at, a, bt, b string) unitAgreement {
	if a == "" || b == "" {
		return unitsAbsent
	}
	if strings.IndexByte(a, ' ') < 0 && strings.IndexByte(b, ' ') < 0 {
		if strings.TrimLeft(a, "0") == strings.TrimLeft(b, "0") && !unitKindsDiffer(at, bt) {
			return unitsSame
		}
		return unitsDiffer
	}
	aExtra, aOuter := unitsBeyond(at, a, b)
	bExtra, bOuter := unitsBeyond(bt, b, a)
	switch {
	case !aExtra && !bExtra:
		return unitsSame
	case !aExtra && bOuter || !bExtra && aOuter:
		return unitsPartial
	}
	return unitsDiffer
}

// unitKindsDiffer reports designators of different kinds: a building or
// floor (BLDG 2, FL 2, 2ND FL) against a unit on it (APT 2, STE 2), or a
// penthouse against an ordinary unit (PH 1, APT 1). The same value then
// names another thing. "#" stands for any designator, and apartment,
// suite, unit, room, lot or space names the unit alike (APT 4 = UNIT 4).
func unitKindsDiffer(at, bt string) bool {
	ka, kb := unitKind(at), unitKind(bt)
	return ka != "" && kb != "" && ka != kb
}

func unitKind(t string) string {
	switch {
	case t == "#" || t == "":
		return ""
	case outerUnits[t]:
		return "outer"
	case t == "PH":
		return "PH"
	}
	return "unit"
}

// unitsBeyond reports whether unit a (first designator at) has values
// that unit b lacks, and whether all of those are outer designations.
func unitsBeyond(at, a, b string) (extra, allOuter bool) {
	allOuter = true
	ut := at
	for _, w := range strings.Fields(a) {
		if d, isDesignator := unitDesignators[w]; isDesignator {
			ut = d
			continue
		}
		if !hasUnitValue(b, w) {
			extra = true
			allOuter = allOuter && outerUnits[ut]
		}
	}
	return extra, allOuter
}

// hasUnitValue reports whether the unit string u has the value v.
func hasUnitValue(u, v string) bool {
	for _, w := range strings.Fields(u) {
		if _, isDesignator := unitDesignators[w]; !isDesignator && strings.TrimLeft(v, "0") == strings.TrimLeft(w, "0") {
			return true
		}
	}
	return false
}

// unitLike reports words that may hold a unit the parser could not place:
// a number, a lone letter (APT 4 B) or a unit designator.
func unitLike(s string) bool {
	if s == "" {
		return false
	}
	for _, w := range strings.Fields(s) {
		if _, ok := unitDesignators[w]; ok || hasDigit(w) || len(w) == 1 {
			return true
		}
	}
	return false
}

// loneLetter reports a one-letter word (a unit letter: APT 4 B, ST A).
func loneLetter(w string) bool { return len(w) == 1 && isUpper(w[0]) }

// lastOfSegment reports whether toks[i] ends its segment (or the input).
func lastOfSegment(toks []token, i int) bool {
	return i+1 == len(toks) || toks[i+1].seg != toks[i].seg
}

// unitKey is the unit as Compare sees it: the values, or for a designator
// that stands without one (UPPR, LOWR, REAR, BSMT) the designator itself,
// so that the upper and the lower flat of a house differ.
func (p *Parsed) unitKey() string {
	if p.Unit == "" && valuelessUnits[p.UnitType] {
		return p.UnitType
	}
	return p.Unit
}
