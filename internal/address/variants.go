package address

import (
	"strings"

	"github.com/ownercheck/ownercheck/internal/textfold"
)

// otherWord reports street names one word apart where the two words are
// different real words rather than a typo of one: a plural (OLD OAK /
// OLD OAKS, ROCK HILL / ROCK HILLS or HLS) or two Pub 28 C1 words one
// edit apart (MILL / HILL, LAKE / LANE, FORD / FORT), or two common
// street names one edit apart (MAIN / MAINE, GRAND / GRANT). A one-edit
// typo that makes no such word (MAPLE / MAPEL, MAIN / MIAN) is not one.
func otherWord(a, b string) bool {
	if a == b || hasDigit(a) || hasDigit(b) {
		return false
	}
	var dx, dy string
	for a != "" || b != "" {
		var x, y string
		x, a = nextWord(a)
		y, b = nextWord(b)
		if x == y {
			continue
		}
		if dx != "" || x == "" || y == "" {
			return false // a second word differs, or the word counts do
		}
		dx, dy = x, y
	}
	return dx != "" && distinctWords(dx, dy)
}

// nextWord splits s into its first word and the rest, without allocating.
func nextWord(s string) (word, rest string) {
	s = strings.TrimLeft(s, " ")
	if i := strings.IndexByte(s, ' '); i >= 0 {
		return s[:i], s[i:]
	}
	return s, ""
}

// minPluralBase is the shortest word whose S-plural counts as another
// word: shorter ones (AS, NS) are initials or directionals, not nouns.
const minPluralBase = 3

// distinctWords reports a word and its plural, or spellings of two
// different Pub 28 street words that are a plural pair (HILL / HLS) or one
// edit apart (MILL / HILL).
func distinctWords(x, y string) bool {
	if pluralPair(x, y) && min(len(x), len(y)) >= minPluralBase {
		return true
	}
	if commonStreetNames[x] && commonStreetNames[y] && textfold.OneEdit(x, y) {
		return true // MAIN / MAINE, GRAND / GRANT
	}
	sx, sy := suffixes[x], suffixes[y]
	if sx == "" || sy == "" || sx == sy {
		return false
	}
	return pluralPair(sx, sy) || textfold.OneEdit(x, y)
}

// pluralPair reports y == x+"S" or x == y+"S" (HL / HLS, OAK / OAKS).
func pluralPair(x, y string) bool {
	if len(x) > len(y) {
		x, y = y, x
	}
	return len(y) == len(x)+1 && y[len(x)] == 'S' && strings.HasPrefix(y, x)
}

// sameCityIn compares the two sides' cities as named in their states
// (cityIn). A side without a state is read in the other side's.
func sameCityIn(a, b Parsed) bool {
	sa, sb := a.State, b.State
	if sa == "" {
		sa = sb
	}
	if sb == "" {
		sb = sa
	}
	return sameCity(cityIn(a.City, sa), cityIn(b.City, sb))
}

// cityIn is the city as compared in its state: the state typed into the
// city field too dropped (WASHINGTON DC in DC, NEW YORK NY in NY), then a
// known alias of the state read as the city it names (NYC in NY).
func cityIn(city, state string) string {
	if state == "" {
		return city
	}
	city = trimState(city, state)
	if name := cityAliases[state][city]; name != "" {
		return name
	}
	return city
}

// trimState drops a trailing code or name of state from city when words
// remain: a city of its own state's name (NEW YORK in NY) is kept.
func trimState(city, state string) string {
	if rest, ok := cityPrefix(city, state); ok {
		return rest
	}
	for _, name := range stateSpellings[state] {
		if rest, ok := cityPrefix(city, name); ok {
			return rest
		}
	}
	return city
}

// stateSpellings lists the names of each state code (stateNames turned
// around).
var stateSpellings = func() map[string][]string {
	m := make(map[string][]string, len(stateCodes))
	for name, code := range stateNames {
		m[code] = append(m[code], name)
	}
	return m
}()
