package address

import (
	"strings"

	"github.com/ownercheck/ownercheck/internal/textfold"
)

// Facts are the part-by-part findings, as flags the policy can test
// (`address.house_number_match`) and the verdict reports. A part that is
// missing on either side is neither a match nor a conflict.
type Facts struct {
	Comparable          bool `json:"comparable" expr:"comparable"`
	HouseNumberMatch    bool `json:"house_number_match" expr:"house_number_match"`
	HouseNumberConflict bool `json:"house_number_conflict" expr:"house_number_conflict"`
	StreetMatch         bool `json:"street_match" expr:"street_match"`
	StreetConflict      bool `json:"street_conflict" expr:"street_conflict"`
	UnitMatch           bool `json:"unit_match" expr:"unit_match"`
	UnitMissing         bool `json:"unit_missing" expr:"unit_missing"`
	UnitConflict        bool `json:"unit_conflict" expr:"unit_conflict"`
	// UnitUnplaced: one side has a unit (or unplaced unit-like words of
	// its own) and the other has words the parser could not place that
	// may hold one; the line cannot match on it.
	UnitUnplaced       bool `json:"unit_unplaced" expr:"unit_unplaced"`
	POBoxMatch         bool `json:"po_box_match" expr:"po_box_match"`
	POBoxConflict      bool `json:"po_box_conflict" expr:"po_box_conflict"`
	CityMatch          bool `json:"city_match" expr:"city_match"`
	CityConflict       bool `json:"city_conflict" expr:"city_conflict"`
	StateMatch         bool `json:"state_match" expr:"state_match"`
	StateConflict      bool `json:"state_conflict" expr:"state_conflict"`
	PostalCodeMatch    bool `json:"postal_code_match" expr:"postal_code_match"`
	PostalCodeConflict bool `json:"postal_code_conflict" expr:"postal_code_conflict"`
	LineMatch          bool `json:"line_match" expr:"line_match"`
	// StreetNear: the street names (or suffixes) are one word apart and
	// that word is another real word, not a typo: a plural (OAK / OAKS,
	// CT / CTS), another Pub 28 street word (MILL / HILL), another common
	// street name (GRAND / GRANT), or a road qualifier on one side only
	// (MAIN ST EXT / MAIN ST, HWY 61 BYP / HWY 61). Towns name
	// distinct streets that way as often as a clerk mistypes one, so it
	// is neither a match nor a conflict, and the line does not match.
	StreetNear bool `json:"street_near" expr:"street_near"`
	// CityAlternate: the city names differ but the ZIPs agree. One ZIP is
	// one delivery area the USPS accepts several names for (BROOKLYN or
	// NEW YORK for 11215, HOLLYWOOD or LOS ANGELES for 90028), so it is
	// not a conflict. Unverified: there is no ZIP-to-city table here.
	CityAlternate bool `json:"city_alternate" expr:"city_alternate"`
}

// Result is an address comparison. Reasons explain it in words without
// quoting either address (they end up in logs and analyst output).
type Result struct {
	Score   int      `json:"score"`
	Facts   Facts    `json:"facts"`
	Reasons []string `json:"reasons,omitempty"`
}

// Compare compares the identity's address with an owner's, part by part,
// and scores the agreement on the scale in the package comment.
func Compare(id, owner Parsed) Result {
	var r Result
	owner = reconcile(id, owner)
	f := &r.Facts

	if id.Number != "" && owner.Number != "" {
		f.HouseNumberMatch = strings.TrimLeft(id.Number, "0") == strings.TrimLeft(owner.Number, "0")
		f.HouseNumberConflict = !f.HouseNumberMatch
	}
	if id.Street != "" && owner.Street != "" {
		fit := compareStreets(id, owner)
		if fit == streetSame && roadQualifier(id) != roadQualifier(owner) {
			fit = streetNear // MAIN ST EXT / MAIN ST, HWY 61 BYP / HWY 61
		}
		f.StreetMatch = fit == streetSame
		f.StreetNear = fit == streetNear
		f.StreetConflict = fit == streetOther
	}
	idUnit, ownerUnit := id.unitKey(), owner.unitKey()
	switch compareUnits(id.UnitType, idUnit, owner.UnitType, ownerUnit) {
	case unitsSame:
		f.UnitMatch = true
	case unitsPartial:
		f.UnitMissing = true
	case unitsDiffer:
		f.UnitConflict = true
	default:
		f.UnitMissing = (idUnit != "") != (ownerUnit != "")
	}
	idLoose, ownerLoose := unitLike(id.Unplaced), unitLike(owner.Unplaced)
	f.UnitUnplaced = idLoose && (ownerUnit != "" || ownerLoose && id.Unplaced != owner.Unplaced) || ownerLoose && idUnit != ""
	if id.POBox != "" && owner.POBox != "" {
		f.POBoxMatch = strings.TrimLeft(id.POBox, "0") == strings.TrimLeft(owner.POBox, "0") && boxRoute(id) == boxRoute(owner)
		f.POBoxConflict = !f.POBoxMatch
	}
	// Paris, France is not Paris, Texas: in another country neither the
	// city nor the postal code can agree.
	abroad := countriesDiffer(id, owner)
	if id.State != "" && owner.State != "" {
		f.StateMatch = id.State == owner.State
		f.StateConflict = !f.StateMatch
	}
	if id.ZIP != "" && owner.ZIP != "" {
		f.PostalCodeMatch = !abroad && id.ZIP == owner.ZIP
		f.PostalCodeConflict = !f.PostalCodeMatch
	}
	if id.City != "" && owner.City != "" {
		f.CityMatch = !abroad && sameCityIn(id, owner)
		f.CityAlternate = !f.CityMatch && f.PostalCodeMatch && !f.StateConflict && !directionalTwins(id.City, owner.City)
		f.CityConflict = !f.CityMatch && !f.CityAlternate
	}
	f.LineMatch = f.HouseNumberMatch && f.StreetMatch && !f.UnitConflict && !f.UnitUnplaced
	f.Comparable = f.HouseNumberMatch || f.HouseNumberConflict || f.StreetMatch || f.StreetConflict || f.StreetNear ||
		f.POBoxMatch || f.POBoxConflict || f.PostalCodeMatch || f.PostalCodeConflict || f.StateMatch || f.StateConflict ||
		f.CityMatch || f.CityConflict
	r.Score = score(f, id, owner)
	r.Reasons = Reasons(*f)
	return r
}

// place grades the agreement of ZIP and city: placeSame (nothing
// disagrees, or the ZIP agrees and only the city name differs, as with
// BROOKLYN vs NEW YORK), placeNear (one agrees, the other not),
// placeOther (they disagree and nothing agrees).
type place int

const (
	placeSame place = iota
	placeNear
	placeOther
)

func placeOf(f *Facts) place {
	switch {
	case !f.PostalCodeConflict && (!f.CityConflict || f.PostalCodeMatch):
		return placeSame
	case f.PostalCodeConflict && f.CityMatch:
		return placeNear // other ZIP, same city
	}
	return placeOther
}

func score(f *Facts, id, owner Parsed) int {
	if !f.Comparable {
		return 0
	}
	if f.StateConflict {
		return 5
	}
	pl := placeOf(f)
	switch {
	case f.LineMatch:
		switch pl {
		case placeOther:
			return 40
		case placeNear:
			return 85
		}
		s := 100
		if f.UnitMissing {
			s -= 7
		}
		if id.Street != owner.Street {
			s -= 3 // one typo
		}
		if id.Suffix != owner.Suffix || id.PreDir != owner.PreDir || id.PostDir != owner.PostDir {
			s -= 2 // a suffix or directional on one side only
		}
		return s
	case f.POBoxMatch:
		switch pl {
		case placeOther:
			return 40
		case placeNear:
			return 85
		}
		return 100
	case f.HouseNumberMatch && f.StreetMatch && (f.UnitConflict || f.UnitUnplaced):
		if pl == placeOther {
			return 30
		}
		return 65
	case f.HouseNumberMatch && f.StreetNear:
		if pl == placeOther {
			return 30
		}
		return nearStreetScore
	case f.StreetMatch && f.HouseNumberConflict:
		if pl == placeOther {
			return 10
		}
		return 50
	case pl == placeOther:
		if f.StateMatch {
			return 10
		}
		return 5
	case f.PostalCodeMatch:
		return 30
	case f.CityMatch:
		return 25
	case f.StateMatch:
		return 15
	}
	return 10
}

// reconcile repairs owner parts that a raw string without separators left
// ambiguous, using the identity's parts as the reading to test:
//   - "1550 LARIMER AVE APT 210 B DENVER": unit-like words before the
//     identity's city are not the city; they are Unplaced (and a unit on
//     the identity's side cannot pass over them).
//   - "3020 N BROADWAY CHICAGO IL": a street without suffix swallowed the
//     city; the identity's street is a prefix of it.
//   - "4500 HWY 61 N TUNICA" vs city "NORTH TUNICA" (or the other way): a
//     directional is the street's on one side, the city's on the other.
func reconcile(id, owner Parsed) Parsed {
	if owner.City == "" && id.Street != "" && len(owner.Street) > len(id.Street)+1 &&
		strings.HasPrefix(owner.Street, id.Street) && owner.Street[len(id.Street)] == ' ' {
		if rest := owner.Street[len(id.Street)+1:]; unitLike(rest) {
			owner.Unplaced = strings.TrimSpace(owner.Unplaced + " " + rest) // "BROADWAY APT B13"
		} else {
			owner.City = rest
		}
		owner.Street = id.Street
	}
	if owner.City != "" && id.City != "" && owner.City != id.City {
		if extra, ok := cityPrefix(owner.City, id.City); ok && unitLike(extra) {
			// "APT 210 B DENVER": words of the line left in the city.
			owner.City = id.City
			owner.Unplaced = strings.TrimSpace(owner.Unplaced + " " + extra)
		}
		switch {
		case id.PostDir == "" && owner.PostDir != "" && prefixedBy(id.City, directionWords[owner.PostDir], owner.City):
			owner.PostDir, owner.City = "", id.City
		case owner.PostDir == "" && id.PostDir != "" && prefixedBy(owner.City, directionWords[id.PostDir], id.City):
			owner.PostDir, owner.City = id.PostDir, id.City
		}
	}
	return owner
}

// directionalTwins reports city names that differ only in a leading
// direction word (EAST ORANGE / WEST ORANGE, NORTH BERGEN / BERGEN): they
// name neighbouring towns, not another name of one ZIP's area, so an
// agreeing ZIP does not make them alternates; one side is wrong.
func directionalTwins(a, b string) bool {
	da, ra := leadingDirection(a)
	db, rb := leadingDirection(b)
	return da != db && ra != "" && ra == rb
}

// leadingDirection splits a city name's leading direction word, spelled
// out (N or NORTH both give NORTH), from the rest.
func leadingDirection(city string) (dir, rest string) {
	w, r := nextWord(city)
	if d := directionWords[w]; d != "" {
		return d, strings.TrimSpace(r)
	}
	for _, d := range directionWords {
		if w == d {
			return d, strings.TrimSpace(r)
		}
	}
	return "", city
}

// cityPrefix returns the words of city before a trailing want.
func cityPrefix(city, want string) (string, bool) {
	if len(city) <= len(want)+1 || !strings.HasSuffix(city, want) || city[len(city)-len(want)-1] != ' ' {
		return "", false
	}
	return city[:len(city)-len(want)-1], true
}

// countriesDiffer reports two addresses known to be in different
// countries: a country given (or a US state) on each side, and not the
// same one.
func countriesDiffer(a, b Parsed) bool {
	if a.Country == b.Country {
		return false
	}
	ca, cb := countryOf(a), countryOf(b)
	return ca != "" && cb != "" && ca != cb
}

func countryOf(p Parsed) string {
	if p.Country != "" {
		return p.Country
	}
	if stateCodes[p.State] {
		return "US"
	}
	return ""
}

// prefixedBy reports whether s == word + " " + rest.
func prefixedBy(s, word, rest string) bool {
	return word != "" && len(s) == len(word)+1+len(rest) && strings.HasPrefix(s, word) && s[len(word)] == ' ' && strings.HasSuffix(s, rest)
}

// streetFit grades two streets: streetSame (same name, one typo allowed
// on longer names, numbered routes by number; directionals and suffix
// agree where both sides have them), streetNear (one word apart, that
// word another real word: otherWord), streetOther.
type streetFit int

const (
	streetOther streetFit = iota
	streetSame
	streetNear
)

// nearStreetScore is the score of the same house number on a street one
// word apart (StreetNear): below a clean match with a typo (90..98) and
// above another unit (65), since it is the same address about as often
// as not.
const nearStreetScore = 70

func compareStreets(a, b Parsed) streetFit {
	fit := streetSame
	switch {
	case sameName(a.Street, b.Street) || sameRoute(a.Street, b.Street):
	case otherWord(a.Street, b.Street):
		fit = streetNear
	default:
		if fit := suffixInName(a, b); fit != streetOther {
			return fit
		}
		return suffixInName(b, a)
	}
	if a.Suffix != "" && b.Suffix != "" && a.Suffix != b.Suffix {
		if !pluralPair(a.Suffix, b.Suffix) {
			return streetOther
		}
		fit = streetNear // CT / CTS, HL / HLS
	}
	if a.PreDir != "" && b.PreDir != "" && a.PreDir != b.PreDir {
		return streetOther
	}
	if a.PostDir != "" && b.PostDir != "" && a.PostDir != b.PostDir {
		return streetOther
	}
	return fit
}

// suffixInName grades a parse that kept the suffix in a's name while b
// has it apart: "PARK PLAZA" vs "PARK" + PLZ, "LAKE SHORE" + DR vs "LAKE"
// + SHR (the bank leaving DR out) are the same street; "ROCK HILLS" vs
// "ROCK" + HL is near (a plural).
func suffixInName(a, b Parsed) streetFit {
	if a.Suffix == b.Suffix || b.Suffix == "" {
		return streetOther
	}
	switch std := trailingSuffix(a.Street, b.Street); {
	case std == b.Suffix:
		return streetSame
	case std != "" && pluralPair(std, b.Suffix):
		return streetNear
	}
	return streetOther
}

// trailingSuffix returns the standard suffix that full spells after name
// ("OAK PARK" after "OAK": PARK), or "".
func trailingSuffix(full, name string) string {
	if len(full) <= len(name)+1 || !strings.HasPrefix(full, name) || full[len(name)] != ' ' {
		return ""
	}
	return suffixes[full[len(name)+1:]]
}

// sameRoute reports the same numbered route written with different kinds
// ("US HWY 9" / "HWY 9" / "ROUTE 9"): only the generic HWY and ROUTE
// stand in for another kind.
func sameRoute(a, b string) bool {
	ka, na := splitRoute(a)
	kb, nb := splitRoute(b)
	if na == "" || na != nb {
		return false
	}
	return ka == kb || ka == "HWY" || ka == "ROUTE" || kb == "HWY" || kb == "ROUTE"
}

// splitRoute splits "US HWY 9" into ("US HWY", "9") when the name is a
// known route kind followed by a number.
func splitRoute(s string) (kind, number string) {
	i := strings.LastIndexByte(s, ' ')
	if i <= 0 || !startsWithDigit(s[i+1:]) {
		return "", ""
	}
	kind = s[:i]
	for _, rk := range routeKinds {
		if rk.canon == kind {
			return kind, s[i+1:]
		}
	}
	return "", ""
}

// sameName compares street names: equal, equal without spaces
// (OAKRIDGE / OAK RIDGE), or one typo when both are at least 4 letters and
// not numbers (MIAN / MAIN; 12TH / 13TH stay different) and the typo does
// not make another real word (ROCK HILL / ROCK HILLS: otherWord).
func sameName(a, b string) bool {
	if a == b || equalNoSpace(a, b) {
		return true
	}
	if sameWordsAbbreviated(a, b) {
		return true
	}
	if ea, eb := expandAlias(a), expandAlias(b); (ea != a || eb != b) && ea == eb {
		return true // MLK JR / MARTIN LUTHER KING
	}
	if len(a) < 4 || len(b) < 4 || hasDigit(a) || hasDigit(b) {
		return false
	}
	return textfold.OneEdit(a, b) && !otherWord(a, b)
}

// sameWordsAbbreviated reports names that differ only in Pub 28
// spellings of suffix words inside them (DEER CRK / DEER CREEK).
func sameWordsAbbreviated(a, b string) bool {
	wa, wb := strings.Fields(a), strings.Fields(b)
	if len(wa) != len(wb) {
		return false
	}
	for i := range wa {
		if wa[i] != wb[i] && (suffixes[wa[i]] == "" || suffixes[wa[i]] != suffixes[wb[i]]) {
			return false
		}
	}
	return true
}

// sameCity compares city names: equal, equal without spaces, or one typo
// on names of five letters or more.
func sameCity(a, b string) bool {
	if a == b || equalNoSpace(a, b) {
		return true
	}
	return len(a) >= 5 && len(b) >= 5 && textfold.OneEdit(a, b)
}

// equalNoSpace compares two strings ignoring spaces, without allocating.
func equalNoSpace(a, b string) bool {
	i, j := 0, 0
	for {
		for i < len(a) && a[i] == ' ' {
			i++
		}
		for j < len(b) && b[j] == ' ' {
			j++
		}
		if i == len(a) || j == len(b) {
			return i == len(a) && j == len(b)
		}
		if a[i] != b[j] {
			return false
		}
		i++
		j++
	}
}

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			return true
		}
	}
	return false
}

// Reasons explains the facts in words, without quoting the addresses.
func Reasons(f Facts) []string {
	out := make([]string, 0, 6)
	add := func(cond bool, s string) {
		if cond {
			out = append(out, s)
		}
	}
	add(!f.Comparable, "the addresses have no part in common to compare")
	add(f.LineMatch, "house number and street agree")
	add(f.HouseNumberConflict, "house numbers differ")
	add(f.HouseNumberMatch && f.StreetConflict, "same house number on another street")
	add(f.StreetConflict && !f.HouseNumberMatch, "streets differ")
	add(f.StreetNear, "the street names differ in one word that names another real street (a plural, another street word or common street name, or an extension or bypass on one side): as often another street as a typo")
	add(f.UnitMissing, "a unit is given on one side only (not a conflict)")
	add(f.UnitConflict, "units differ")
	add(f.UnitUnplaced, "one side has a unit and the other has words that could not be read, which may be another unit")
	add(f.POBoxMatch, "PO boxes agree")
	add(f.POBoxConflict, "PO boxes differ")
	add(f.CityConflict, "cities differ")
	add(f.CityAlternate, "the city names differ but the ZIP codes agree (a borough or neighbourhood name of the ZIP's area; not a conflict)")
	add(f.StateConflict, "states differ")
	add(f.PostalCodeMatch, "ZIP codes agree")
	add(f.PostalCodeConflict, "ZIP codes differ")
	return out
}

// roadQualifiers are the words that make another road of a named one: an
// extension continues a street past where it was renamed, a bypass, an
// alternate or a business route runs beside the route of its number. So
// MAIN ST EXT is not MAIN ST, nor HWY 61 BYP HWY 61, though the same
// house number may stand on each.
var roadQualifiers = map[string]string{
	"EXT": "EXT", "BYP": "BYP", "ALT": "ALT", "ALTERNATE": "ALT", "BUS": "BUS", "BUSINESS": "BUS",
}

// roadQualifier returns the qualifier of p's street wherever the parser
// left it: the suffix (MAIN EXT), a word of the city read without
// separators (MAIN ST EXT SPRINGFIELD), or an unplaced word.
func roadQualifier(p Parsed) string {
	if q := roadQualifiers[suffixes[p.Suffix]]; q != "" {
		return q
	}
	for _, s := range [...]string{p.Unplaced, p.City} {
		for w, rest := nextWord(s); w != ""; w, rest = nextWord(rest) {
			if q := roadQualifiers[w]; q != "" {
				return q
			}
			if q := roadQualifiers[suffixes[w]]; q != "" {
				return q
			}
		}
	}
	return ""
}

// boxRoute is what a box number belongs to besides a post office: a rural
// route or highway contract route (RR 2 BOX 45, HC 1 BOX 45), a military
// postal unit (PSC 473 BOX 12, UNIT 2050 BOX 4190). Box 45 on a route is
// not PO BOX 45, nor box 45 of another unit.
func boxRoute(p Parsed) string {
	switch {
	case p.Number == "" && p.Street != "":
		return p.Street
	case p.Number == "" && p.Street == "" && p.UnitType == "UNIT":
		return "UNIT " + p.Unit
	}
	return ""
}
