package address

import "strings"

// Addresses outside the United States. Canada shares the US order (city,
// province, postal code) with its own postal code (A9A 9A9) and
// provinces. Elsewhere (FRANCE, GERMANY, UNITED KINGDOM ... named at the
// end) the postal code sits before the city ("75002 PARIS") or after it
// ("LONDON SW1A 2AA") and there is no US state: reading such a string as
// a US one put the postal code in the street or the city.

// foreign reports a country outside North America.
func foreign(country string) bool {
	return country != "" && country != "US" && country != "CA"
}

// canadianPostal recognizes a Canadian postal code at the end of toks,
// "M5X 1A9" or "M5X1A9", and returns it without the space and the tokens
// it used.
func canadianPostal(toks []token) (zip string, n int) {
	if len(toks) >= 2 {
		a, b := toks[len(toks)-2].s, toks[len(toks)-1].s
		if len(a) == 3 && len(b) == 3 && canadianShape(a+b) && toks[len(toks)-2].seg == toks[len(toks)-1].seg {
			return a + b, 2
		}
	}
	if len(toks) >= 1 {
		if w := toks[len(toks)-1].s; len(w) == 6 && canadianShape(w) {
			return w, 1
		}
	}
	return "", 0
}

// canadianShape reports letter-digit-letter-digit-letter-digit.
func canadianShape(s string) bool {
	if len(s) != 6 {
		return false
	}
	for i := 0; i < 6; i++ {
		if i%2 == 0 && !isUpper(s[i]) || i%2 == 1 && !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// takeProvince removes a Canadian province (code or name) from the end.
func (p *Parsed) takeProvince(toks []token) []token {
	for n := min(4, len(toks)-1); n >= 1; n-- {
		if code, ok := provinces[span(toks[len(toks)-n:])]; ok {
			p.State = code
			return trimHashes(toks[:len(toks)-n])
		}
	}
	return toks
}

// Postal code lengths outside North America that are all digits (4:
// AT BE CH DK NO ... 5: DE ES FR IT ... 6: IN SG).
const (
	minForeignPostalDigits = 4
	maxForeignPostalDigits = 6
)

// takeForeignTail reads the postal code and city of an address outside
// North America whose country was named at the end. It returns the line
// tokens and, when a separator set the city apart, the city's tokens.
func (p *Parsed) takeForeignTail(toks []token) (rest, cityToks []token) {
	j, n := foreignPostal(toks)
	if n == 0 {
		return p.takeSegmentCity(toks)
	}
	p.ZIP = strings.ReplaceAll(span(toks[j:j+n]), " ", "")
	seg := toks[j].seg
	first := j
	for first > 0 && toks[first-1].seg == seg {
		first--
	}
	end := j + n
	for end < len(toks) && toks[end].seg == seg {
		end++
	}
	switch {
	case end > j+n && seg == toks[0].seg: // no separators: ... 75002 PARIS
		p.City = cityName(toks[j+n : end])
		return toks[:j], nil
	case end > j+n: // ..., 75002 PARIS
		p.City = cityName(toks[j+n : end])
		return toks[:first], toks[j+n : end]
	case first < j && seg > toks[0].seg: // ..., LONDON SW1A 2AA
		p.City = cityName(toks[first:j])
		return toks[:first], toks[first:j]
	case first < j: // no separators: the city ends the line
		return toks[:j], nil
	}
	// The postal code alone in its segment: the city is the segment
	// before it, when that is not the line.
	return p.takeSegmentCity(toks[:first])
}

// foreignPostal finds the last postal code of toks after its first word:
// 4 to 6 digits, or a UK postcode (SW1A 2AA).
func foreignPostal(toks []token) (at, n int) {
	for j := len(toks) - 1; j >= 1; j-- {
		w := toks[j].s
		if allDigits(w) && len(w) >= minForeignPostalDigits && len(w) <= maxForeignPostalDigits {
			return j, 1
		}
		if j+1 < len(toks) && toks[j+1].seg == toks[j].seg && ukOutward(w) && ukInward(toks[j+1].s) {
			return j, 2
		}
		if len(w) >= 5 && len(w) <= 7 && ukOutward(w[:len(w)-3]) && ukInward(w[len(w)-3:]) {
			return j, 1 // SW1A2AA
		}
	}
	return 0, 0
}

// ukOutward: the first half of a UK postcode, 1-2 letters then a digit,
// then an optional letter or digit (SW1A, M1, EC2V, B33).
func ukOutward(s string) bool {
	i := 0
	for i < len(s) && isUpper(s[i]) {
		i++
	}
	if i < 1 || i > 2 || i == len(s) || !isDigit(s[i]) || len(s) > i+2 {
		return false
	}
	return true
}

// ukInward: the second half, a digit and two letters (2AA).
func ukInward(s string) bool {
	return len(s) == 3 && isDigit(s[0]) && isUpper(s[1]) && isUpper(s[2])
}

// numberAfterStreet moves a house number written after the street name,
// as in most of Europe (HAUPTSTRASSE 5), into Number.
func (p *Parsed) numberAfterStreet(country string) {
	if p.Number != "" || !foreign(country) {
		return
	}
	if i := strings.LastIndexByte(p.Street, ' '); i > 0 && numberLike(p.Street[i+1:]) {
		p.Number, p.Street = p.Street[i+1:], p.Street[:i]
	}
}
