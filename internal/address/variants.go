package address

import (
	"strings"

	"github.com/ownercheck/ownercheck/internal/textfold"
)

// otherWord reports street names one word apart where the two words are
// different real words rather than a typo of one: a plural (OLD OAK /
// OLD OAKS, ROCK HILL / ROCK HILLS) or two Pub 28 C1 words one edit apart
// (MILL / HILL, LAKE / LANE, FORD / FORT). A one-edit typo that makes no
// such word (MAPLE / MAPEL, MAIN / MIAN) is not one.
func otherWord(a, b string) bool {
	if a == b || len(a)-len(b) > 1 || len(b)-len(a) > 1 || hasDigit(a) || hasDigit(b) {
		return false
	}
	wa, wb := strings.Fields(a), strings.Fields(b)
	if len(wa) != len(wb) {
		return false
	}
	diff := -1
	for i := range wa {
		if wa[i] != wb[i] {
			if diff >= 0 {
				return false
			}
			diff = i
		}
	}
	return diff >= 0 && distinctWords(wa[diff], wb[diff])
}

// minPluralBase is the shortest word whose S-plural counts as another
// word: shorter ones (AS, NS) are initials or directionals, not nouns.
const minPluralBase = 3

// distinctWords reports a word and its plural, or spellings of two
// different Pub 28 street words one edit apart.
func distinctWords(x, y string) bool {
	if pluralPair(x, y) && min(len(x), len(y)) >= minPluralBase {
		return true
	}
	sx, sy := suffixes[x], suffixes[y]
	return sx != "" && sy != "" && sx != sy && textfold.OneEdit(x, y)
}

// pluralPair reports y == x+"S" or x == y+"S" (HL / HLS, OAK / OAKS).
func pluralPair(x, y string) bool {
	if len(x) > len(y) {
		x, y = y, x
	}
	return len(y) == len(x)+1 && y[len(x)] == 'S' && strings.HasPrefix(y, x)
}

// sameCityIn compares the two sides' cities, reading a known alias of
// the city's state (NYC in NY) as the city it names. A side without a
// state is read in the other side's.
func sameCityIn(a, b Parsed) bool {
	sa, sb := a.State, b.State
	if sa == "" {
		sa = sb
	}
	if sb == "" {
		sb = sa
	}
	return sameCity(cityAlias(a.City, sa), cityAlias(b.City, sb))
}

// cityAlias is the city an alias of the state names, or city itself.
func cityAlias(city, state string) string {
	if name := cityAliases[state][city]; name != "" {
		return name
	}
	return city
}
