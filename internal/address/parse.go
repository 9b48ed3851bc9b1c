// Package address parses the unstructured raw_address banks return and the
// structured address a user submits into one USPS Publication 28 form, and
// compares the two part by part.
//
// Score scale (0..100): 100 identical after normalization; 90-95 the same
// line with the unit missing on one side or ZIP+4 vs ZIP; 80 a PO box or a
// street line that agrees while the city or ZIP differs; 65 same line with a
// different unit; 50 another house number on the same street; 30 only the
// ZIP or city agree; 0-10 another place (other state, or other ZIP and
// street).
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
}

// Parse parses a raw one-string address: commas, newlines or neither; ZIP
// or ZIP+4; state as code or name.
func Parse(raw string) Parsed {
	toks := tokenize(raw)
	var p Parsed
	toks = p.takeTail(toks)
	p.parseLine(toks, true)
	return p
}

// FromIdentity normalizes a structured address the same way.
func FromIdentity(a identity.Address) Parsed {
	var p Parsed
	p.parseLine(tokenize(a.Line1+"\n"+a.Line2), false)
	if city := tokenize(a.City); len(city) > 0 {
		p.City = cityName(city)
	}
	if st := tokenize(a.State); len(st) > 0 {
		joined := joinTokens(st)
		if c, ok := stateOf(joined, true); ok {
			p.State = c
		} else {
			p.State = joined
		}
	}
	if z := strings.TrimSpace(a.PostalCode); z != "" {
		if zip, zip4, ok := parseZIP(strings.ToUpper(z)); ok {
			p.ZIP, p.ZIP4 = zip, zip4
		} else {
			p.ZIP = strings.ToUpper(strings.Join(strings.Fields(z), ""))
		}
	}
	if c := strings.TrimSpace(a.Country); c != "" {
		if code, ok := countryNames[joinTokens(tokenize(c))]; ok {
			p.Country = code
		} else if len(c) == 2 {
			p.Country = strings.ToUpper(c)
		}
	}
	return p
}

func joinTokens(toks []token) string {
	var b strings.Builder
	for i, t := range toks {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t.s)
	}
	return b.String()
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

// takeTail removes country, ZIP, state and city from the end and returns
// the tokens of the street line.
func (p *Parsed) takeTail(toks []token) []token {
	// Country (up to 5 words: UNITED STATES OF AMERICA).
	for n := min(5, len(toks)-1); n >= 1; n-- {
		if code, ok := countryNames[joinTokens(toks[len(toks)-n:])]; ok && len(toks)-n >= 2 {
			p.Country = code
			toks = toks[:len(toks)-n]
			break
		}
	}
	if len(toks) > 1 {
		if zip, zip4, ok := parseZIP(toks[len(toks)-1].s); ok {
			p.ZIP, p.ZIP4 = zip, zip4
			toks = toks[:len(toks)-1]
		}
	}
	// State: a name of up to 4 words or a code.
	for n := min(4, len(toks)-1); n >= 1; n-- {
		tail := toks[len(toks)-n:]
		s := joinTokens(tail)
		code, ok := stateOf(s, p.ZIP != "" || (n == 1 && alone(toks, len(toks)-1)))
		if !ok {
			continue
		}
		if n == 1 && ambiguousStateCodes[s] && p.ZIP == "" && !alone(toks, len(toks)-1) {
			continue
		}
		// A state must not swallow the whole remaining line.
		if len(toks)-n < 1 {
			continue
		}
		p.State = code
		toks = toks[:len(toks)-n]
		break
	}
	// City: the last segment when the address has separators and the line
	// is in its own segment; otherwise found after the street in parseLine.
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
				toks = toks[:i]
			}
		}
	}
	return toks
}

// alone reports whether toks[i] is the only token of its segment.
func alone(toks []token, i int) bool {
	seg := toks[i].seg
	return (i == 0 || toks[i-1].seg != seg) && (i == len(toks)-1 || toks[i+1].seg != seg)
}

func isUnitStart(seg []token) bool {
	_, ok := unitDesignators[seg[0].s]
	return ok
}

func isPOBox(seg []token) bool {
	_, n := poBox(seg, 0)
	return n > 0
}

// poBox recognizes PO BOX n, P O BOX n, POST OFFICE BOX n, POB n, BOX n at i.
func poBox(toks []token, i int) (number string, n int) {
	words := func(ws ...string) bool {
		if i+len(ws) >= len(toks) {
			return false
		}
		for k, w := range ws {
			if toks[i+k].s != w {
				return false
			}
		}
		return true
	}
	for _, form := range [][]string{{"POST", "OFFICE", "BOX"}, {"P", "O", "BOX"}, {"PO", "BOX"}, {"POBOX"}, {"POB"}, {"BOX"}, {"PO"}} {
		if words(form...) {
			return toks[i+len(form)].s, len(form) + 1
		}
	}
	return "", 0
}

// parseLine parses number, street, unit (and, when findCity, the city that
// follows the street in a string without separators).
func (p *Parsed) parseLine(toks []token, findCity bool) {
	i := 0
	if num, n := poBox(toks, 0); n > 0 {
		p.POBox = strings.TrimLeft(num, "#")
		i = n
		p.takeUnitAndCity(toks[i:], findCity)
		return
	}
	if i < len(toks) && startsWithDigit(toks[i].s) {
		p.Number = toks[i].s
		if allDigits(p.Number) {
			p.Number = strings.TrimLeft(p.Number, "0")
			if p.Number == "" {
				p.Number = "0"
			}
		}
		i++
		// 123 1/2 MAIN ST
		if i < len(toks) && strings.Contains(toks[i].s, "/") {
			p.Number += " " + toks[i].s
			i++
		}
	}
	rest := toks[i:]
	if len(rest) == 0 {
		return
	}
	// Pre-directional: a directional followed by more street words.
	if d, ok := directionals[rest[0].s]; ok && len(rest) > 1 && !endsStreet(rest, 1) {
		p.PreDir = d
		rest = rest[1:]
	}
	// Numbered routes: HWY 61, COUNTY ROAD 12.
	for _, rk := range routeKinds {
		n := len(rk.words)
		if n < len(rest) && matchWords(rest, rk.words) && startsWithDigit(rest[n].s) {
			p.Street = rk.canon + " " + rest[n].s
			rest = rest[n+1:]
			if len(rest) > 0 {
				if d, ok := directionals[rest[0].s]; ok && (len(rest) == 1 || rest[1].seg != rest[0].seg || isUnitStart(rest[1:])) {
					p.PostDir = d
					rest = rest[1:]
				}
			}
			p.takeUnitAndCity(rest, findCity)
			return
		}
	}
	// Street name up to the suffix; the suffix is the last suffix word
	// before a unit, a segment break, or (without separators) the city.
	end := -1
	for k := 1; k < len(rest); k++ {
		if rest[k].seg != rest[0].seg {
			break
		}
		if _, ok := suffixes[rest[k].s]; ok {
			if endsStreet(rest, k+1) || strongSuffixes[suffixes[rest[k].s]] {
				end = k
				if strongSuffixes[suffixes[rest[k].s]] {
					break
				}
			}
		}
		if isUnitStart(rest[k:]) {
			break
		}
	}
	var name []token
	if end > 0 {
		name = rest[:end]
		p.Suffix = suffixes[rest[end].s]
		rest = rest[end+1:]
	} else {
		// No suffix: the name runs to a unit or the end of the segment.
		k := 0
		for k < len(rest) && rest[k].seg == rest[0].seg && !(k > 0 && isUnitStart(rest[k:])) {
			k++
		}
		name = rest[:k]
		rest = rest[k:]
		// W LOOP S: a trailing directional is the post-directional.
		if len(name) > 1 {
			if d, ok := directionals[name[len(name)-1].s]; ok {
				p.PostDir = d
				name = name[:len(name)-1]
			}
		}
	}
	p.Street = streetName(name)
	if p.Number == "" && allDigits(p.Street) {
		// "#00": a lone number is a house number, however it was marked.
		p.Number = strings.TrimLeft(p.Street, "0")
		if p.Number == "" {
			p.Number = "0"
		}
		p.Street = ""
	}
	if len(rest) > 0 && p.PostDir == "" {
		if d, ok := directionals[rest[0].s]; ok && (len(rest) == 1 || rest[1].seg != rest[0].seg || isUnitStart(rest[1:]) || !findCity) {
			p.PostDir = d
			rest = rest[1:]
		}
	}
	p.takeUnitAndCity(rest, findCity)
}

func matchWords(toks []token, words []string) bool {
	for k, w := range words {
		if toks[k].s != w {
			return false
		}
	}
	return true
}

// endsStreet reports whether position k is past the street: the end, a new
// segment, a unit, or a directional then one of those.
func endsStreet(toks []token, k int) bool {
	if k >= len(toks) || toks[k].seg != toks[k-1].seg {
		return true
	}
	if isUnitStart(toks[k:]) {
		return true
	}
	return false
}

// takeUnitAndCity reads units (APT 4B, #4B, STE 200, 4B in its own segment)
// and then, when findCity and no city is known yet, the city words.
func (p *Parsed) takeUnitAndCity(rest []token, findCity bool) {
	for len(rest) > 0 {
		t := rest[0].s
		if ut, ok := unitDesignators[t]; ok {
			if len(rest) > 1 && (rest[1].s == "#") {
				rest = append([]token{rest[0]}, rest[2:]...)
			}
			if len(rest) > 1 && (startsWithDigit(rest[1].s) || len(rest[1].s) <= 2) && !(findCity && p.City == "" && len(rest) == 2 && !startsWithDigit(rest[1].s)) {
				p.UnitType, p.Unit = ut, rest[1].s
				rest = rest[2:]
				continue
			}
			if valuelessUnits[ut] && ut != "#" {
				p.UnitType = ut
				rest = rest[1:]
				continue
			}
		}
		if p.Unit == "" && startsWithDigit(t) && p.Number != "" && (findCity || len(rest) == 1) && (len(rest) == 1 || rest[1].seg != rest[0].seg || findCity) {
			// "123 MAIN ST, 4B, ..." or line2 "4B"
			if len(t) <= 6 {
				p.UnitType, p.Unit = "#", t
				rest = rest[1:]
				continue
			}
		}
		break
	}
	if len(rest) > 0 && findCity && p.City == "" {
		p.City = cityName(rest)
	} else if len(rest) > 0 && !findCity && p.Street == "" && p.POBox == "" {
		p.Street = streetName(rest)
	}
	// Units compare on value; the designator is kept for display.
	p.Unit = strings.TrimLeft(p.Unit, "#")
	if p.Unit == "" && !valuelessUnits[p.UnitType] {
		p.UnitType = ""
	}
	if p.Number == "" && p.Street == "" && p.POBox == "" && p.UnitType == "#" {
		// "#12" alone is not a unit of nothing: it is the number.
		p.Number, p.Unit, p.UnitType = p.Unit, "", ""
	}
}

// streetName normalizes street name words: ordinals as 1ST, SAINT.
func streetName(toks []token) string {
	words := make([]string, 0, len(toks))
	for i := 0; i < len(toks); i++ {
		w := toks[i].s
		if w == "#" {
			continue
		}
		if tens, ok := tensWords[w]; ok && i+1 < len(toks) {
			if o, ok := ordinalWords[toks[i+1].s]; ok && o < 10 {
				words = append(words, ordinal(tens+o))
				i++
				continue
			}
		}
		if o, ok := ordinalWords[w]; ok {
			w = ordinal(o)
		} else if exp, ok := namePrefixes[w]; ok && i == 0 && len(toks) > 1 {
			w = exp
		}
		words = append(words, w)
	}
	return strings.Join(words, " ")
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

func cityName(toks []token) string {
	words := make([]string, 0, len(toks))
	for _, t := range toks {
		w := t.s
		if w == "#" {
			continue
		}
		if exp, ok := cityWords[w]; ok {
			w = exp
		}
		words = append(words, w)
	}
	return strings.Join(words, " ")
}

// String is the normalized one-line form.
func (p Parsed) String() string {
	var parts []string
	add := func(s string) {
		if s != "" {
			parts = append(parts, s)
		}
	}
	if p.POBox != "" {
		add("PO BOX " + p.POBox)
	}
	add(p.Number)
	add(p.PreDir)
	add(p.Street)
	add(p.Suffix)
	add(p.PostDir)
	if p.Unit != "" || p.UnitType != "" {
		ut := p.UnitType
		if ut == "" {
			ut = "#"
		}
		add(ut + " " + p.Unit)
	}
	line := strings.Join(parts, " ")
	var tail []string
	if p.City != "" {
		tail = append(tail, p.City)
	}
	st := p.State
	if p.ZIP != "" {
		z := p.ZIP
		if p.ZIP4 != "" {
			z += "-" + p.ZIP4
		}
		st = strings.TrimSpace(st + " " + z)
	}
	if st != "" {
		tail = append(tail, st)
	}
	if p.Country != "" {
		tail = append(tail, countryDisplay[p.Country])
	}
	if len(tail) == 0 {
		return line
	}
	if line == "" {
		return strings.Join(tail, ", ")
	}
	return line + ", " + strings.Join(tail, ", ")
}
