// Package address parses the unstructured raw_address banks return and the
// structured address a user submits into one USPS Publication 28 form, and
// compares the two part by part.
//
// Parsing works on upper-cased ASCII words (tokenize). The end of the
// string anchors it: country, ZIP or ZIP+4, state (code or name), then the
// city, which is the last comma/newline segment when there is one and
// otherwise the words between the street (its suffix, a unit, a highway
// number) and the state. Streets without a suffix and without separators
// ("3020 N BROADWAY CHICAGO IL") stay ambiguous after parsing; Compare
// resolves them with the other side's street.
//
// Score scale of Compare (0..100):
//
//	100     identical after normalization (spelling, Pub 28 abbreviations,
//	        ordinals, state names, ZIP vs ZIP+4)
//	90..98  same house number and street, with soft differences: the unit
//	        on one side only (93), a suffix or directional on one side
//	        only, one typo in the street name
//	85      same line (or PO box) but the ZIP or the city disagrees while
//	        the other agrees (agreeing ZIPs with another city name are the
//	        same place: a borough or neighbourhood name, 100)
//	70      same house number, the street one real word apart (a plural,
//	        another street word: ROCK HILL / ROCK HILLS, MILL / HILL)
//	65      same house number and street, different unit
//	50      same street, another house number, same place
//	40      same line in another ZIP and city (a common street elsewhere)
//	25..35  only the ZIP (30) or only the city (25) agrees; a different PO
//	        box in the same place (30)
//	5..15   another place: other state (5), other ZIP and street (5), a
//	        street elsewhere in the same state (10), same street name in
//	        another ZIP and city (10)
//	0       nothing comparable on both sides
//
// The policy decides on Facts; the score orders owners and is reported.
package address

import (
	"strconv"
	"strings"

	"github.com/ownercheck/ownercheck/internal/identity"
)

// Parsed is an address in normalized parts. Empty strings are absent parts.
type Parsed struct {
	Number   string `json:"number,omitempty"`
	PreDir   string `json:"pre_dir,omitempty"`
	Street   string `json:"street,omitempty"`
	Suffix   string `json:"suffix,omitempty"`
	PostDir  string `json:"post_dir,omitempty"`
	UnitType string `json:"unit_type,omitempty"`
	Unit     string `json:"unit,omitempty"`
	POBox    string `json:"po_box,omitempty"`
	City     string `json:"city,omitempty"`
	State    string `json:"state,omitempty"`
	ZIP      string `json:"zip,omitempty"`
	ZIP4     string `json:"zip4,omitempty"`
	Country  string `json:"country,omitempty"`
	// Unplaced holds words of the line the parser could place nowhere
	// (not street, unit, box or city); Compare does not let them pass
	// silently when the other side has a unit. String omits them.
	Unplaced string `json:"unplaced,omitempty"`
}

// IsZero reports an address with no part at all.
func (p Parsed) IsZero() bool { return p == Parsed{} }

// Parse parses a raw one-string address: commas, newlines or neither; ZIP
// or ZIP+4; state as code or name; Canadian and other foreign addresses
// named as such. It never fails: words of the line it cannot place are
// kept in Unplaced (a lone "APT" or "#" without a value is dropped).
func Parse(raw string) Parsed { return parse(raw, nil) }

// ParseNear parses a raw address knowing the place the other side names
// (its City, State and ZIP; other parts are ignored). The place only
// chooses among readings the string itself supports, and never adds a
// word the string lacks: "4100 BROADWAY ST LOUIS MO" near SAINT LOUIS
// reads BROADWAY in the city of SAINT LOUIS rather than BROADWAY ST in
// LOUIS; "12 BROADWAY FORT WORTH TX" near FORT WORTH ends the street
// before FORT; "… HARTFORD CT" near CT takes CT for the state.
func ParseNear(raw string, near Parsed) Parsed { return parse(raw, &near) }

func parse(raw string, near *Parsed) Parsed {
	var arr [32]token
	toks := skipNameLine(skipCareOf(tokenize(arr[:0], raw)))
	var p Parsed
	if len(toks) > 0 && placeholderAddresses[span(toks)] {
		return p
	}
	toks, cityToks := p.takeTail(toks, near)
	if near != nil && near.City != "" && cityToks == nil && p.City == "" {
		p.parseLineNear(toks, near.City)
	} else {
		p.parseLine(toks, true)
	}
	if p.lineEmpty() && len(cityToks) > 0 {
		// "X, SPRINGFIELD IL" where X yields nothing: the segment taken for
		// the city is read as the line, as it would be without X.
		p = Parsed{State: p.State, ZIP: p.ZIP, ZIP4: p.ZIP4, Country: p.Country}
		p.parseLine(cityToks, true)
	}
	if p.State == "" && p.City == "" && p.Street != "" && p.Number == "" && p.PreDir == "" && p.Suffix == "" && p.PostDir == "" && p.UnitType == "" && p.POBox == "" {
		if code, ok := stateOf(p.Street, true); ok {
			p.State, p.Street = code, "" // "SC, 0": printed alone, a state
		}
	}
	if country := p.Country; country != "" || near == nil {
		p.numberAfterStreet(country)
	} else {
		p.numberAfterStreet(near.Country)
	}
	if p.State == "" && p.City != "" {
		// "0 MAIN WY": the words left for the city are a state that the
		// tail could not trust without a ZIP; String would print it
		// where a state is trusted.
		if code, ok := stateOf(p.City, true); ok {
			p.State, p.City = code, ""
		}
	}
	p.frenchStreet()
	return p
}

// FromIdentity normalizes a structured address the same way: line1 and
// line2 as a street line, city, state and postal code on their own. A
// structured address whose whole text was put in line1 is parsed as raw.
func FromIdentity(a identity.Address) Parsed {
	if a.City == "" && a.State == "" && a.PostalCode == "" {
		p := Parse(a.Line1 + "\n" + a.Line2)
		if p.Country == "" {
			p.Country = countryCode(a.Country)
			p.frenchStreet()
		}
		return p
	}
	var arr [24]token
	var p Parsed
	p.parseLine(tokenize(arr[:0], a.Line1+"\n"+a.Line2), false)
	p.Country = countryCode(a.Country)
	p.numberAfterStreet(p.Country)
	if city := tokenize(arr[:0], a.City); len(city) > 0 {
		p.City = cityName(city)
	}
	if st := tokenize(arr[:0], a.State); len(st) > 0 {
		joined := span(st)
		if p.Country == "CA" {
			if c, ok := provinces[joined]; ok {
				p.State = c
			}
		} else if c, ok := stateOf(joined, true); ok {
			p.State = c
		}
		if p.State == "" {
			p.State = joined
		}
	}
	if z := tokenize(arr[:0], a.PostalCode); len(z) > 0 {
		if zip, zip4, ok := parseZIP(z[0].s); ok && len(z) == 1 {
			p.ZIP, p.ZIP4 = zip, zip4
		} else if len(z) == 2 && len(z[0].s) == 5 && allDigits(z[0].s) && len(z[1].s) == 4 && allDigits(z[1].s) {
			p.ZIP, p.ZIP4 = z[0].s, z[1].s
		} else {
			p.ZIP = strings.ReplaceAll(span(z), " ", "")
		}
		p.restoreLeadingZero()
	}
	p.frenchStreet()
	return p
}

// restoreLeadingZero puts back the 0 a spreadsheet or a number field took
// from a ZIP of a state whose ZIPs begin with 0 (2134 or 2134-4307 for MA),
// as zeroLostZIP does for a raw address.
func (p *Parsed) restoreLeadingZero() {
	if !zeroZIPStates[p.State] {
		return
	}
	switch z := p.ZIP; {
	case len(z) == 4 && allDigits(z):
		p.ZIP = "0" + z
	case len(z) == 9 && z[4] == '-' && allDigits(z[:4]) && allDigits(z[5:]):
		p.ZIP, p.ZIP4 = "0"+z[:4], z[5:]
	}
}

// skipCareOf drops a leading care-of or attention line ("C/O JANE DOE,
// 123 MAIN ST", "ATTN ACCOUNTS 123 MAIN ST"): up to the next segment or
// the first number, whichever comes first.
func skipCareOf(toks []token) []token {
	n := 0
	switch {
	case len(toks) > 2 && toks[0].s == "C" && toks[1].s == "O" && toks[1].seg == toks[0].seg:
		n = 2
	case len(toks) > 1 && (toks[0].s == "ATTN" || toks[0].s == "ATTENTION"):
		n = 1
	default:
		return toks
	}
	for n < len(toks) && toks[n].seg == toks[0].seg && !startsWithDigit(toks[n].s) {
		n++
	}
	if n == len(toks) {
		return toks
	}
	return toks[n:]
}

// placeholderAddresses are what a bank's form holds when it has no
// address: read as a street, "N/A" conflicted with every street.
var placeholderAddresses = map[string]bool{
	"N A": true, "NA": true, "NONE": true, "UNKNOWN": true, "NULL": true, "TBD": true,
	"NOT PROVIDED": true, "NOT AVAILABLE": true, "NO ADDRESS": true, "ADDRESS UNKNOWN": true,
	"ADDRESS ON FILE": true, "NO ADDRESS ON FILE": true, "UNAVAILABLE": true,
}

// skipNameLine drops a leading line that names the addressee or the
// building rather than a place ("JANE DOE\n123 MAIN ST\n...", "HARBOR
// TOWER, 9 PIER RD ..."), as banks print a mailing label: a first segment
// without a digit, followed by a segment that starts with a house number.
// A unit line (APT B) is kept: dropping it would hide a unit; so is a
// line whose number is spelt (ONE MAIN ST, 4TH FL).
func skipNameLine(toks []token) []token {
	if len(toks) == 0 || numberWords[toks[0].s] != "" {
		return toks
	}
	n := 0
	for n < len(toks) && toks[n].seg == toks[0].seg {
		if hasDigit(toks[n].s) || toks[n].s == "#" {
			return toks
		}
		n++
	}
	if n+1 >= len(toks) || !startsWithDigit(toks[n].s) || unitLike(span(toks[:n])) {
		return toks
	}
	if _, isUnit := unitDesignators[toks[n+1].s]; isUnit && lastOfSegment(toks, n+1) {
		return toks // "4TH FL": the second line is a unit
	}
	return toks[n:]
}

// countryCode maps a country field (code or name) to ISO 3166-1 alpha-2.
func countryCode(c string) string {
	var arr [8]token
	toks := tokenize(arr[:0], c)
	if len(toks) == 0 {
		return ""
	}
	s := span(toks)
	if code, ok := countryNames[s]; ok {
		return code
	}
	if len(s) == 2 {
		return s
	}
	return ""
}

// parseZIP accepts 12345, 12345-6789 and 123456789.
func parseZIP(s string) (zip, zip4 string, ok bool) {
	switch {
	case len(s) == 5 && allDigits(s):
		return s, "", true
	case len(s) == 10 && s[5] == '-' && allDigits(s[:5]) && allDigits(s[6:]):
		return s[:5], s[6:], true
	case len(s) == 9 && allDigits(s):
		return s[:5], s[5:], true
	}
	return "", "", false
}

// afterDesignator reports whether toks[i] follows a unit designator that
// takes a value (APT, #) in the same segment: it is that unit's value.
func afterDesignator(toks []token, i int) bool {
	if i == 0 || toks[i-1].seg != toks[i].seg {
		return false
	}
	ut, ok := unitDesignators[toks[i-1].s]
	return ok && !valuelessUnits[ut] && !stateCodes[toks[i-1].s] // FL 33040 is Florida
}

// hasWord reports a token that does not start with a digit.
func hasWord(toks []token) bool {
	for _, t := range toks {
		if !startsWithDigit(t.s) && t.s != "#" {
			return true
		}
	}
	return false
}

func zipShaped(s string) bool {
	_, _, ok := parseZIP(s)
	return ok
}

// stateOf maps a state code or name to the USPS code; old (AP style)
// abbreviations only when trustOld, where a state is expected.
func stateOf(s string, trustOld bool) (string, bool) {
	if stateCodes[s] {
		return s, true
	}
	if c, ok := stateNames[s]; ok {
		return c, true
	}
	if trustOld {
		if c, ok := oldStateAbbrevs[s]; ok {
			return c, true
		}
	}
	return "", false
}

// takeTail removes country, ZIP, state and (when separators set it apart)
// city from the end and returns the remaining tokens.
func (p *Parsed) takeTail(toks []token, near *Parsed) (rest, cityToks []token) {
	// Country (up to 5 words: UNITED STATES OF AMERICA), not the end of a
	// state name (NEW MEXICO).
	for n := min(5, len(toks)-1); n >= 1; n-- {
		code, ok := countryNames[span(toks[len(toks)-n:])]
		if !ok {
			continue
		}
		if before := trimHashes(toks[:len(toks)-n]); len(before) < 2 && (len(before) == 0 || before[len(before)-1].seg == toks[len(toks)-n].seg) {
			continue // "100 AMERICA": a street, unless set apart by a comma
		}
		if _, isState := stateNames[span(toks[len(toks)-n-1:])]; isState {
			continue
		}
		p.Country = code
		toks = trimHashes(toks[:len(toks)-n])
		break
	}
	if foreign(p.Country) || p.Country == "" && near != nil && foreign(near.Country) {
		return p.takeForeignTail(toks) // (the identity's country chooses the reading, it is not copied)
	}
	if zip, n := canadianPostal(toks); n > 0 {
		p.ZIP, p.Country = zip, "CA"
		toks = trimHashes(toks[:len(toks)-n])
	}
	if p.Country == "CA" {
		toks = p.takeProvince(toks)
	} else {
		toks = p.takeZIPAndState(toks, near)
	}
	return p.takeSegmentCity(toks)
}

// takeZIPAndState removes a US ZIP (or ZIP+4) and state from the end.
func (p *Parsed) takeZIPAndState(toks []token, near *Parsed) []token {
	if len(toks) > 0 && !afterDesignator(toks, len(toks)-1) {
		// (after APT or #, five digits are the unit)
		last := toks[len(toks)-1].s
		if zip, zip4, ok := parseZIP(last); ok {
			p.ZIP, p.ZIP4 = zip, zip4
			toks = trimHashes(toks[:len(toks)-1])
		} else if len(toks) > 2 && len(last) == 4 && allDigits(last) && len(toks[len(toks)-2].s) == 5 && allDigits(toks[len(toks)-2].s) {
			p.ZIP, p.ZIP4 = toks[len(toks)-2].s, last // "62704 1234"
			toks = trimHashes(toks[:len(toks)-2])
		} else if zip, zip4, ok := zeroLostZIP(toks); ok {
			p.ZIP, p.ZIP4 = zip, zip4
			toks = trimHashes(toks[:len(toks)-1])
		}
	}
	// State: a name of up to 4 words or a code (alone, it is the state:
	// "TEXAS" is not a street).
	for n := min(4, len(toks)); n >= 1; n-- {
		s := span(toks[len(toks)-n:])
		lone := n == 1 && alone(toks, len(toks)-1)
		code, ok := stateOf(s, p.ZIP != "" || lone)
		if !ok {
			continue
		}
		if n == 1 && afterDesignator(toks, len(toks)-1) {
			continue // "# IA" is a unit
		}
		if p.ZIP == "" && !lone && !hasWord(toks[:len(toks)-n]) {
			continue // "12 AA": a street named like a state
		}
		if n == 1 && p.ZIP == "" && !lone && !(near != nil && near.State == code) {
			if ambiguousStateCodes[s] {
				continue
			}
			// "3RD FL" is a floor, not Florida.
			if len(toks) > 1 && s == "FL" && startsWithDigit(toks[len(toks)-2].s) {
				continue
			}
		}
		p.State = code
		toks = trimHashes(toks[:len(toks)-n])
		break
	}
	return toks
}

// takeSegmentCity takes the city when it is the last segment and the
// street line is in an earlier one; otherwise parseLine finds it after
// the street.
func (p *Parsed) takeSegmentCity(toks []token) (rest, cityToks []token) {
	if len(toks) > 0 {
		lastSeg := toks[len(toks)-1].seg
		if lastSeg > toks[0].seg {
			i := len(toks) - 1
			for i > 0 && toks[i-1].seg == lastSeg {
				i--
			}
			seg := toks[i:]
			if !startsWithDigit(seg[0].s) && !isUnitStart(seg) && !isPOBox(seg) {
				p.City = cityName(seg)
				return toks[:i], seg
			}
		}
	}
	return toks, nil
}

// maxCityWords bounds the city names ParseNear looks for at the end of the
// line (SAINT SIMONS ISLAND, RANCHO SANTA MARGARITA, LA CANADA FLINTRIDGE).
const maxCityWords = 4

// parseLineNear parses toks (the string before its state and ZIP, with no
// separator before the city) as parseLine does, unless that reading
// disagrees with city and toks end with words spelling it: then those
// words are the city and the words before them the line.
func (p *Parsed) parseLineNear(toks []token, city string) {
	def := *p
	def.parseLine(toks, true)
	if def.City != "" && sameCity(def.City, city) {
		*p = def
		return
	}
	for n := 1; n <= maxCityWords && n < len(toks); n++ {
		words := toks[len(toks)-n:]
		if words[0].seg != toks[len(toks)-1].seg || hasDigitToken(words) {
			break
		}
		if name := cityName(words); sameCity(name, city) {
			q := *p
			q.City = name
			q.parseLine(toks[:len(toks)-n], true)
			if !q.lineEmpty() {
				*p = q
				return
			}
			break
		}
	}
	*p = def
}

func hasDigitToken(toks []token) bool {
	for _, t := range toks {
		if hasDigit(t.s) {
			return true
		}
	}
	return false
}

// trimHashes drops "#" marks left last by the removal of what followed.
func trimHashes(toks []token) []token {
	for len(toks) > 0 && toks[len(toks)-1].s == "#" {
		toks = toks[:len(toks)-1]
	}
	return toks
}

// lineEmpty reports an address without any street line part.
func (p *Parsed) lineEmpty() bool {
	return p.Number == "" && p.Street == "" && p.Suffix == "" && p.POBox == "" && p.UnitType == "" && p.PreDir == "" && p.PostDir == ""
}

// alone reports whether toks[i] is the only token of its segment.
func alone(toks []token, i int) bool {
	seg := toks[i].seg
	return (i == 0 || toks[i-1].seg != seg) && (i == len(toks)-1 || toks[i+1].seg != seg)
}

// isUnitStart reports whether toks starts with a secondary unit: "#", a
// designator with a value-like word after it (APT 4B, STE A), or a
// valueless designator standing alone or before a number (REAR, PH 2).
// LOWER, FRONT, KEY ... in street names
// (OLD FRONT ST) are not units.
func isUnitStart(toks []token) bool {
	if len(toks) == 0 {
		return false
	}
	ut, ok := unitDesignators[toks[0].s]
	switch {
	case !ok:
		return false
	case len(toks) == 1:
		return valuelessUnits[ut] // "APT" with no value is no unit
	case toks[1].seg != toks[0].seg:
		return valuelessUnits[ut] || startsWithDigit(toks[1].s) // "APT\n4B"
	case ut == "#" || startsWithDigit(toks[1].s) || toks[1].s == "#" || isPOBox(toks[1:]):
		return true
	case valuelessUnits[ut]:
		return false
	}
	return unitValueLike(ut, toks[1].s)
}

func isPOBox(toks []token) bool {
	_, n := poBox(toks)
	return n > 0
}

// poBoxForms are the spellings of a post office box, longest first.
var poBoxForms = [][]string{{"POST", "OFFICE", "BOX"}, {"POST", "OFFICE", "DRAWER"}, {"P", "O", "BOX"}, {"P", "O", "DRAWER"}, {"PO", "BOX"}, {"PO", "DRAWER"}, {"POBOX"}, {"POB"}, {"BOX"}, {"DRAWER"}, {"PO"}}

// poBox recognizes PO BOX n, P O BOX n, POST OFFICE BOX n, POB n, BOX n and
// PO BOX # n at the start of toks; n counts the tokens used.
func poBox(toks []token) (number string, n int) {
	if len(toks) == 0 {
		return "", 0
	}
	switch toks[0].s[0] {
	case 'P', 'B', 'D': // every form starts so: a cheap way out for the rest
	default:
		return "", 0
	}
	for _, form := range poBoxForms {
		if len(form) >= len(toks) || !matchWords(toks, form) {
			continue
		}
		k := len(form)
		if toks[k].s == "#" && len(form) > 1 { // PO BOX # 12
			k++
			if k >= len(toks) {
				continue
			}
		}
		if !startsWithDigit(toks[k].s) {
			continue // BOX ELDER: a name, not a box
		}
		return toks[k].s, k + 1
	}
	return "", 0
}

func matchWords(toks []token, words []string) bool {
	if len(toks) < len(words) {
		return false
	}
	for k, w := range words {
		if toks[k].s != w {
			return false
		}
	}
	return true
}

// parseLine parses PO box or house number, directionals, street and suffix,
// and units; when findCity (a raw address), the words left over are the
// city.
func (p *Parsed) parseLine(toks []token, findCity bool) {
	if findCity && p.City == "" && (p.State != "" || p.ZIP != "") && placeOnly(toks) {
		// "SPRINGFIELD IL 62704": no number, street word, box or unit.
		p.City = cityName(toks)
		return
	}
	if num, n := poBox(toks); n > 0 {
		p.POBox = num
		p.takeUnitAndCity(toks[n:], findCity)
		return
	}
	rest := toks
	if len(rest) > 2 && rest[0].s == "#" && startsWithDigit(rest[1].s) {
		rest = rest[1:] // "# 123 MAIN ST"
	}
	if len(rest) > 1 && numberWords[rest[0].s] != "" && rest[1].seg == rest[0].seg && !suffixOnly(rest[1:]) {
		p.Number = numberWords[rest[0].s] // ONE MARKET PLAZA
		rest = rest[1:]
	} else if len(rest) > 0 && startsWithDigit(rest[0].s) && !isOrdinal(rest[0].s) {
		p.Number = houseNumber(rest[0].s)
		rest = rest[1:]
		// 123 1/2 MAIN ST
		if len(rest) > 0 && strings.IndexByte(rest[0].s, '/') > 0 {
			p.Number += " " + rest[0].s
			rest = rest[1:]
		}
	}
	if len(rest) == 0 {
		return
	}
	if isUnitStart(rest) && (len(rest) > 1 && rest[1].seg == rest[0].seg || valuelessUnits[unitDesignators[rest[0].s]]) && !namedLikeUnit(p, rest) {
		p.takeUnitAndCity(rest, findCity) // "123 # 4"
		return
	}
	// Pre-directional: a directional followed by the street name (not by a
	// suffix alone: "N ST" is N Street).
	if d, ok := directionals[rest[0].s]; ok && len(rest) > 1 && rest[1].seg == rest[0].seg && !isUnitStart(rest[1:]) && !suffixOnly(rest[1:]) {
		p.PreDir = d
		rest = rest[1:]
	}
	// Numbered routes: HWY 61, COUNTY ROAD 12, US 1, RR # 3, HC61.
	if street, n := routeAt(rest); n > 0 {
		p.Street = street
		routeSeg := rest[n-1].seg
		rest = rest[n:]
		// A directional after a route number belongs to the route
		// ("HWY 290 WEST"); Compare reconciles it with a city that
		// starts with the same word.
		if len(rest) > 0 && rest[0].seg == routeSeg {
			if d, ok := directionals[rest[0].s]; ok && !(len(rest) > 1 && directionals[rest[1].s] != "") {
				p.PostDir = d
				rest = rest[1:]
			}
		}
		p.takeUnitAndCity(rest, findCity)
		return
	}
	cityFollows := findCity && p.City == ""
	end := streetEnd(rest, cityFollows, cityFollows && (p.State != "" || p.ZIP != ""))
	var name []token
	if end > 0 {
		name = rest[:end]
		p.Suffix = suffixes[rest[end].s]
		rest = rest[end+1:]
		if len(rest) > 0 && rest[0].seg == name[0].seg {
			if d, ok := directionals[rest[0].s]; ok && postDirective(rest, findCity && p.City == "") {
				p.PostDir = d
				rest = rest[1:]
			}
		}
	} else {
		// No suffix: the name runs to a unit or the end of the segment.
		k, dirEnds := 0, false
		for k < len(rest) && rest[k].seg == rest[0].seg && !(k > 0 && (isUnitStart(rest[k:]) || isPOBox(rest[k:]))) {
			// 5770 S 250 E MURRAY: an abbreviated directional after the
			// name, followed by more words, ends the street.
			if k > 0 && cityFollows && abbrevDirAt(rest, k) {
				dirEnds = true
				break
			}
			if k > 0 && p.Number != "" && bareUnitAt(rest, k) {
				break // 88 BROADWAY 210 (FORT WORTH): after a house number, a unit
			}
			k++
		}
		name = rest[:k]
		rest = rest[k:]
		if dirEnds {
			p.PostDir = directionals[rest[0].s]
			rest = rest[1:]
		} else if len(name) > 1 {
			// W LOOP S: a trailing directional is the post-directional.
			if d, ok := directionals[name[len(name)-1].s]; ok {
				p.PostDir = d
				name = name[:len(name)-1]
			}
		}
	}
	if p.Suffix == "" && p.PreDir == "" && p.PostDir == "" && (boxWordsOnly(name) || len(name) == 1 && unitDesignators[name[0].s] != "") {
		name = nil // "PO BOX" or "APT" with no number is noise
	}
	p.Street = streetName(name)
	if p.Number == "" && p.Street != "" && allDigits(p.Street) && p.PreDir == "" && p.Suffix == "" && p.PostDir == "" {
		// "#00": a lone number is a house number, however it was marked.
		p.Number = houseNumber(p.Street)
		p.Street = ""
	}
	p.takeUnitAndCity(rest, findCity)
}

// routeAt reads a numbered route at the start of toks ("HWY 61", "COUNTY
// ROAD 12", "RR # 3", "HC61") and returns its canonical spelling and the
// tokens used, 0 when toks does not start with one.
func routeAt(toks []token) (street string, n int) {
	if len(toks) == 0 {
		return "", 0
	}
	for _, rk := range routeKinds {
		n := len(rk.words)
		if !matchWords(toks, rk.words) {
			continue
		}
		k := n
		if k+1 < len(toks) && toks[k].s == "#" {
			k++ // RR # 3
		}
		if k < len(toks) && startsWithDigit(toks[k].s) && toks[k].seg == toks[0].seg {
			if k == n && span(toks[:n]) == rk.canon {
				return span(toks[:n+1]), n + 1
			}
			return rk.canon + " " + toks[k].s, k + 1
		}
	}
	// A route kind written against its number: RR3, HC61, HWY61.
	w := toks[0].s
	i := 0
	for i < len(w) && !isDigit(w[i]) {
		i++
	}
	if i >= 2 && i < len(w) && allDigits(w[i:]) {
		for _, rk := range routeKinds {
			if len(rk.words) == 1 && rk.words[0] == w[:i] {
				return rk.canon + " " + w[i:], 1
			}
		}
	}
	return "", 0
}

// ruralRoute reports a rural route or highway contract route, which carry
// a box and may be written after it (BOX 17 RR 3).
func ruralRoute(street string) bool {
	return strings.HasPrefix(street, "RR ") || strings.HasPrefix(street, "HC ")
}

// boxWordsOnly reports words that only spell a post office box.
func boxWordsOnly(toks []token) bool {
	for _, t := range toks {
		switch t.s {
		case "PO", "P", "O", "BOX", "POB", "POBOX", "POST", "OFFICE":
		default:
			return false
		}
	}
	return len(toks) > 0
}

// numberLike reports one word that reads as a house number.
func numberLike(s string) bool {
	return startsWithDigit(s) && !isOrdinal(s) && strings.IndexByte(s, ' ') < 0
}

// isOrdinal reports a numbered street name such as 1ST or 22ND, which is
// never a house number.
func isOrdinal(s string) bool {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	if i == 0 || len(s)-i != 2 {
		return false
	}
	switch s[i:] {
	case "ST", "ND", "RD", "TH":
		return true
	}
	return false
}

// houseNumber normalizes a house number: "12-B" as "12B" (a dash between
// digits stays: Queens "12-34"). Leading zeros stay (0123 would read as a
// ZIP code once printed without them); Compare ignores them.
func houseNumber(s string) string {
	if i := strings.IndexByte(s, '-'); i > 0 && i+1 < len(s) && !isDigit(s[i+1]) && isDigit(s[i-1]) && strings.Count(s, "-") == 1 {
		if t := s[:i] + s[i+1:]; !isOrdinal(t) {
			return t
		}
	}
	return s
}

// namedLikeUnit reports a street named with a unit word, right after the
// house number and ended by its suffix (9 PIER RD, 40 LOT RD, 12 SLIP
// RD): the word is the street's name, not a unit with the value RD.
func namedLikeUnit(p *Parsed, rest []token) bool {
	return p.Number != "" && rest[0].s != "#" && len(rest) > 1 && rest[1].seg == rest[0].seg && suffixOnly(rest[1:])
}

// suffixOnly reports whether toks starts with a strong suffix that ends the
// street right away ("N ST", "E AVE NW").
// ST, MT, FT ... may instead begin the name (N ST MARYS RD): those count
// only before the end of the street, a directional or a number. LOOP is
// left out: Houston's W LOOP S is the West Loop.
func suffixOnly(toks []token) bool {
	std, ok := suffixes[toks[0].s]
	if !ok || !strongSuffixes[std] || std == "LOOP" {
		return false
	}
	if namePrefixes[toks[0].s] == "" || endsStreet(toks, 1, false) {
		return true
	}
	next := toks[1].s
	return directionals[next] != "" || startsWithDigit(next)
}

// streetEnd returns the index of the suffix that ends the street name, or
// -1. A suffix ends the street when a unit, a segment break or the end
// follows, or when it is a strong one (ST, AVE, RD ...). With anchor (no
// separators, the state or ZIP known), a weak suffix followed by other
// words ends it too ("1 EMBARCADERO CTR SAN FRANCISCO CA"), unless it
// usually begins a city (LAKE FOREST, FORT WORTH).
func streetEnd(rest []token, cityFollows, anchor bool) int {
	end, weak := -1, -1
	for k := 1; k < len(rest); k++ {
		if rest[k].seg != rest[0].seg || isUnitStart(rest[k:]) || isPOBox(rest[k:]) {
			break
		}
		std, ok := suffixes[rest[k].s]
		if !ok {
			continue
		}
		if strongSuffixes[std] {
			if k+1 < len(rest) && rest[k+1].seg == rest[k].seg && strongSuffixes[suffixes[rest[k+1].s]] && namePrefixes[rest[k+1].s] == "" &&
				(!cityFollows || endsStreet(rest, k+2, true)) {
				continue // PARK PLACE DR: the last of two suffixes ends the street (not MAIN ST, TERRACE PARK)
			}
			if !cityFollows && namePrefixes[rest[k].s] != "" && !endsStreet(rest, k+1, true) && suffixLater(rest, k+1) {
				continue // city known: PORT ST LUCIE BLVD is one street
			}
			return k
		}
		if endsStreet(rest, k+1, true) || cityFollows && abbrevDirAt(rest, k+1) {
			end = k
		} else if weak < 0 && !cityStarters[rest[k].s] {
			weak = k
		}
	}
	if end < 0 && anchor {
		return weak
	}
	return end
}

// suffixLater reports a street suffix at k or after it, in the segment of
// toks[k] and before any unit.
func suffixLater(toks []token, k int) bool {
	if k >= len(toks) {
		return false
	}
	for i := k; i < len(toks) && toks[i].seg == toks[k].seg && !isUnitStart(toks[i:]); i++ {
		if _, ok := suffixes[toks[i].s]; ok {
			return true
		}
	}
	return false
}

// bareUnitAt reports a unit without designator at k after a street name
// without suffix: a number (210, 4B) or a floor (2ND FL).
func bareUnitAt(toks []token, k int) bool {
	t := toks[k].s
	if numberLike(t) {
		return true
	}
	return startsWithDigit(t) && k+1 < len(toks) && toks[k+1].seg == toks[k].seg && unitDesignators[toks[k+1].s] == "FL"
}

// abbrevDirAt reports an abbreviated directional at k followed by more
// words of its segment: without separators, the end of the street and
// the start of the city (5770 S 250 E MURRAY).
func abbrevDirAt(toks []token, k int) bool {
	return k > 0 && k+1 < len(toks) && toks[k+1].seg == toks[k].seg && toks[k].seg == toks[k-1].seg &&
		len(toks[k].s) <= 2 && directionals[toks[k].s] != ""
}

// endsStreet reports whether position k is past the street: the end, a new
// segment, a unit or a bare unit number, or (dirOK) a directional followed
// by one of those.
func endsStreet(toks []token, k int, dirOK bool) bool {
	if k >= len(toks) || toks[k].seg != toks[k-1].seg || isUnitStart(toks[k:]) || startsWithDigit(toks[k].s) && !isOrdinal(toks[k].s) {
		return true
	}
	if dirOK {
		if _, ok := directionals[toks[k].s]; ok {
			return endsStreet(toks, k+1, false)
		}
	}
	return false
}

// postDirective decides whether the directional at toks[0], after a street
// suffix, is the street's post-directional. Before a unit, a segment break
// or the end it is; before city words (no separators) only the
// abbreviations and the compound directions are, because NORTH, SOUTH,
// EAST and WEST often begin a city name (WEST PALM BEACH).
func postDirective(toks []token, cityFollows bool) bool {
	if endsStreet(toks, 1, false) || !cityFollows {
		return true
	}
	if _, ok := directionals[toks[1].s]; ok {
		return false // "N S" ... leave to the city
	}
	w := toks[0].s
	return len(w) <= 2 || len(w) > 5
}

// takeUnitAndCity reads units (APT 4B, #4B, STE 200, 4B in its own segment,
// BOX 12 after a rural route) and then, when findCity and no city is known
// yet, the city words. Words it can place nowhere are kept in Unplaced.
func (p *Parsed) takeUnitAndCity(rest []token, findCity bool) {
	for len(rest) > 0 {
		n := p.takeUnit(rest, findCity)
		if n == 0 {
			break
		}
		rest = rest[n:]
	}
	if len(rest) > 0 {
		lineEmpty := p.lineEmpty()
		switch {
		case findCity && p.Number == "" && p.Street == "" && p.POBox == "" && p.Suffix == "" && !isUnitStart(rest) && !isPOBox(rest):
			p.parseLine(rest, true) // what followed noise is the line
			return
		case findCity && p.City == "" && !startsWithDigit(rest[0].s) && (!lineEmpty || p.State != "" || p.ZIP != ""):
			p.takeCity(rest)
		case p.Street == "" && p.POBox == "" && (!findCity || lineEmpty):
			p.Street = streetName(rest)
		default:
			p.Unplaced = span(rest)
		}
	}
	if p.Number == "" && numberLike(p.Street) && p.PreDir == "" && p.Suffix == "" && p.PostDir == "" {
		p.Number, p.Street = houseNumber(p.Street), "" // a lone number is the house number
	}
	if p.Unit == "" && !valuelessUnits[p.UnitType] {
		p.UnitType = ""
	}
	if p.Number == "" && p.Street == "" && p.POBox == "" && p.UnitType == "#" && allDigits(p.Unit) && p.PreDir == "" && p.PostDir == "" && !zipShaped(p.Unit) {
		// "#12" alone is not a unit of nothing: it is the number.
		p.Number, p.Unit, p.UnitType = houseNumber(p.Unit), "", ""
	}
}

// takeCity sets the city from the words after the street line. Words up to
// the last one with a digit are not the city (US city names have none):
// "APT 210 B DENVER" leaves them Unplaced rather than in the city.
func (p *Parsed) takeCity(rest []token) {
	j := 0
	for k, t := range rest {
		if hasDigit(t.s) {
			j = k + 1
		}
	}
	if j == 0 && len(rest) > 1 && unitDesignators[rest[0].s] != "" && !valuelessUnits[unitDesignators[rest[0].s]] && namePrefixes[rest[0].s] == "" {
		j = 2 // "APT GARDEN DENVER": a designator with a value it could not take
	}
	if j > 0 {
		p.Unplaced = span(rest[:j])
	}
	if j < len(rest) {
		p.City = cityName(rest[j:])
	}
}

// takeUnit reads one unit (or box, or a post-directional set apart by a
// comma) at the start of rest and returns how many tokens it used, 0 when
// rest does not start with one.
func (p *Parsed) takeUnit(rest []token, findCity bool) int {
	t := rest[0].s
	if ut, ok := unitDesignators[t]; ok {
		return p.takeDesignated(rest, ut)
	}
	if ut, v, ok := attachedUnit(t); ok && (p.Number != "" || p.Street != "" || p.POBox != "") {
		p.addUnit(ut, v) // APT210
		return 1
	}
	if num, n := poBox(rest); n > 0 {
		if p.POBox == "" {
			p.POBox = num // RR 2 BOX 15
		}
		return n
	}
	if p.POBox != "" && p.Street == "" && p.Number == "" {
		if street, n := routeAt(rest); n > 0 && ruralRoute(street) {
			p.Street = street // BOX 17 RR 3
			return n
		}
	}
	line := p.Number != "" || p.Street != ""
	if t == "ST" && p.Suffix != "" && len(rest) > 1 && rest[1].seg == rest[0].seg && numberLike(rest[1].s) {
		p.addUnit("STE", unitValue(rest[1].s)) // "MAIN ST ST 1400": ST for suite
		return 2
	}
	if d, ok := directionals[t]; ok && p.PostDir == "" && p.Suffix != "" && p.Unit == "" && line && endsStreet(rest, 1, false) {
		p.PostDir = d // "400 K ST., NE STE. 300": the comma split the street
		return 1
	}
	if loneLetter(t) && p.Unit == "" && (p.Suffix != "" || p.PostDir != "") && lastOfSegment(rest, 0) {
		p.UnitType, p.Unit = "#", t // "123 MAIN ST A, SPRINGFIELD"
		return 1
	}
	if startsWithDigit(t) && len(rest) > 1 && rest[1].seg == rest[0].seg && unitDesignators[rest[1].s] == "FL" && line {
		u := strings.TrimRight(t, "STNDRH") // 3RD FL = FL 3
		if u == "" || !allDigits(u) {
			u = t
		}
		p.addUnit("FL", u)
		return 2
	}
	if p.Unit == "" && startsWithDigit(t) && (line || p.POBox != "") && (findCity || len(rest) == 1 || rest[1].seg != rest[0].seg) {
		if allDigits(t) && len(rest) > 1 && rest[1].seg == rest[0].seg && loneLetter(rest[1].s) && lastOfSegment(rest, 1) {
			p.UnitType, p.Unit = "#", t+rest[1].s // "123 MAIN ST 4 B, ..."
			return 2
		}
		p.UnitType, p.Unit = "#", unitValue(t) // "123 MAIN ST, 4B, ..." or line2 "4B"
		return 1
	}
	return 0
}

// takeDesignated reads a unit that starts with the designator rest[0]
// (of type ut) and returns the tokens used, 0 when none.
func (p *Parsed) takeDesignated(rest []token, ut string) int {
	k := 1
	for k < len(rest)-1 && rest[k].s == "#" {
		k++ // APT # 4
	}
	if ut == "#" && k < len(rest) && rest[k].seg == rest[0].seg && unitDesignators[rest[k].s] != "" && unitDesignators[rest[k].s] != "#" {
		return 1 // "# APT 2": the mark belongs to the designator after it
	}
	if k < len(rest) && rest[k].s != "#" && (rest[k].seg == rest[0].seg || startsWithDigit(rest[k].s)) &&
		unitValueLike(ut, rest[k].s) && !isPOBox(rest[k:]) {
		v, n := unitValue(rest[k].s), k+1
		afterLine := p.Number != "" || p.Street != "" || p.POBox != "" // not "APT A 1234 MAIN ST"
		if afterLine && len(v) == 1 && !isDigit(v[0]) && n < len(rest) && rest[n].seg == rest[k].seg && allDigits(rest[n].s) {
			v, n = v+rest[n].s, n+1 // APT B-12, APT B 12
		} else if afterLine && allDigits(v) && n < len(rest) && rest[n].seg == rest[k].seg && loneLetter(rest[n].s) && lastOfSegment(rest, n) {
			v, n = v+rest[n].s, n+1 // APT 4 B, before the city or the end
		}
		p.addUnit(ut, v)
		return n
	}
	if valuelessUnits[ut] {
		if p.Unit == "" {
			p.UnitType = ut
		}
		return 1
	}
	if len(rest) == 1 || rest[1].seg != rest[0].seg {
		return 1 // "APT," with no value: noise
	}
	return 0
}

// unitValue normalizes a unit value: "4-B" as "4B". Leading zeros stay
// (as in house numbers); Compare ignores them.
func unitValue(s string) string {
	if strings.IndexByte(s, '-') >= 0 {
		if t := strings.ReplaceAll(s, "-", ""); !allDigits(t) {
			return t // 4-B; 12-3 stays (1-23 is another unit)
		}
	}
	return s
}

// placeOnly reports whether the tokens (before a state or ZIP) can only
// be a place name: no house number, PO box, unit, street suffix or leading
// directional.
func placeOnly(toks []token) bool {
	if len(toks) == 0 || startsWithDigit(toks[0].s) || isPOBox(toks) || len(toks) > 1 && directionals[toks[0].s] != "" {
		return false
	}
	for k, t := range toks {
		if _, ok := unitDesignators[t.s]; ok {
			return false
		}
		if _, ok := suffixes[t.s]; ok && k > 0 {
			return false
		}
		if _, ok := suffixes[cityWords[t.s]]; ok && k > 0 {
			return false // SPRGS, printed as SPRINGS
		}
		if hasDigit(t.s) {
			return false
		}
	}
	return true
}

// streetName normalizes street name words: ordinals as 1ST, a leading ST or
// MT as SAINT or MOUNT. Without anything to rewrite it does not allocate.
func streetName(toks []token) string {
	clean := true
	for i, t := range toks {
		if t.s == "#" || ordinalWords[t.s] != 0 || tensWords[t.s] != 0 || (i == 0 && len(toks) > 1 && namePrefixes[t.s] != "") {
			clean = false
			break
		}
	}
	if clean {
		return span(toks)
	}
	var b strings.Builder
	b.Grow(len(span(toks)) + 8)
	word := func(w string) {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w)
	}
	for i := 0; i < len(toks); i++ {
		w := toks[i].s
		if w == "#" {
			continue
		}
		if tens, ok := tensWords[w]; ok && i+1 < len(toks) {
			if o, ok := ordinalWords[toks[i+1].s]; ok && o < 10 {
				word(ordinal(tens + o))
				i++
				continue
			}
		}
		if o, ok := ordinalWords[w]; ok {
			w = ordinal(o)
		} else if exp, ok := namePrefixes[w]; ok && i == 0 && len(toks) > 1 {
			w = exp
		}
		word(w)
	}
	return b.String()
}

func ordinal(n int) string {
	suffix := "TH"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "ST"
	case n%10 == 2:
		suffix = "ND"
	case n%10 == 3:
		suffix = "RD"
	}
	return strconv.Itoa(n) + suffix
}

// cityName normalizes city words: bank abbreviations spelled out (SPGS,
// HTS, ST, FT), a leading directional spelled out (N LAS VEGAS).
func cityName(toks []token) string {
	clean := true
	for i, t := range toks {
		if cityWords[t.s] != "" || (i == 0 && len(toks) > 1 && len(t.s) <= 2 && directionals[t.s] != "") {
			clean = false
			break
		}
	}
	if clean {
		return span(toks)
	}
	var b strings.Builder
	b.Grow(len(span(toks)) + 16)
	for i, t := range toks {
		w := t.s
		if exp, ok := cityWords[w]; ok {
			w = exp
		} else if d, ok := directionals[w]; ok && i == 0 && len(toks) > 1 && len(w) <= 2 {
			w = directionWords[d]
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w)
	}
	return b.String()
}

// String is the normalized one-line form, "LINE, CITY, ST ZIP-ZIP4,
// COUNTRY"; Parse(p.String()) == p for every p that Parse returns.
func (p Parsed) String() string {
	var b strings.Builder
	b.Grow(64)
	word := func(s string) {
		if s == "" {
			return
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s)
	}
	boxFirst := p.Number == "" && p.Street == ""
	if p.POBox != "" && boxFirst {
		word("PO BOX")
		word(p.POBox)
	}
	word(p.Number)
	word(p.PreDir)
	word(p.Street)
	word(p.Suffix)
	word(p.PostDir)
	if p.Unit != "" || p.UnitType != "" {
		ut := p.UnitType
		if ut == "" {
			ut = "#"
		}
		word(ut)
		word(p.Unit)
	}
	if p.POBox != "" && !boxFirst {
		b.WriteString(", PO BOX ") // RR 2, PO BOX 15
		b.WriteString(p.POBox)
	}
	part := func(s string) {
		if s == "" {
			return
		}
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		b.WriteString(s)
	}
	part(p.City)
	if p.State != "" && p.ZIP != "" {
		part(p.State)
		b.WriteByte(' ')
		b.WriteString(p.ZIP)
	} else {
		part(p.State)
		part(p.ZIP)
	}
	if p.ZIP4 != "" {
		b.WriteByte('-')
		b.WriteString(p.ZIP4)
	}
	if p.Country != "" {
		if name, ok := countryDisplay[p.Country]; ok {
			part(name)
		} else {
			part(p.Country)
		}
	}
	return b.String()
}

// zeroLostZIP reads a ZIP that lost its leading zero (MA 2139, MA
// 2139-4307) after a state whose ZIP codes begin with 0.
func zeroLostZIP(toks []token) (zip, zip4 string, ok bool) {
	if len(toks) < 3 {
		return "", "", false
	}
	last := toks[len(toks)-1].s
	switch {
	case len(last) == 4 && allDigits(last):
	case len(last) == 9 && last[4] == '-' && allDigits(last[:4]) && allDigits(last[5:]):
		zip4 = last[5:]
	default:
		return "", "", false
	}
	for n := 1; n <= 2; n++ {
		if code, isState := stateOf(span(toks[len(toks)-1-n:len(toks)-1]), true); isState && zeroZIPStates[code] {
			return "0" + last[:4], zip4, true
		}
	}
	return "", "", false
}
