package names

import "strings"

// companyVariant reports two spellings of one company word that banks and
// filings use side by side: a possessive or plural S (JOE / JOES for JOE'S,
// FARM / FARMS), another plural of a trade word (SUPPLY / SUPPLIES), and an
// abbreviation of a generic or business word by a prefix (PAC for PACIFIC)
// or by dropping letters (PLBG for PLUMBING, BLDRS for BUILDERS, CNSTRCTN
// for CONSTRUCTION). A distinctive word is never abbreviated: ACME is not
// ACM.
func (c *Comparer) companyVariant(w, v string) bool {
	if possessive(w, v) || possessive(v, w) {
		return true
	}
	if (c.tradeWord(w) || c.tradeWord(v)) && (pluralOf(w, v) || pluralOf(v, w)) {
		return true
	}
	return c.abbreviates(v, w) || c.abbreviates(w, v)
}

// possessive reports p being w with an S added (JOES for JOE'S, FARMS),
// w of three letters or more.
func possessive(w, p string) bool {
	return len(w) >= 3 && len(p) == len(w)+1 && p[len(w)] == 'S' && strings.HasPrefix(p, w)
}

// tradeWord reports a generic or business word, whose other plural forms
// name the same trade; a distinctive word's do not (BLUE SKY, BLUE SKIES).
func (c *Comparer) tradeWord(w string) bool { return c.generic[w] || c.business[w] }

// pluralOf reports p being a plural of w, three letters or more: an S
// (FARMS), ES (CHURCHES) or Y to IES (SUPPLIES).
func pluralOf(w, p string) bool {
	if len(w) < 3 || len(p) <= len(w) {
		return false
	}
	switch rest := p[len(w):]; {
	case strings.HasPrefix(p, w):
		return rest == "S" || rest == "ES"
	case w[len(w)-1] == 'Y':
		n := len(w) - 1
		return len(p) == n+3 && p[:n] == w[:n] && p[n:] == "IES"
	}
	return false
}

// abbreviates reports short as an abbreviation of the generic or business
// word long: a prefix of three letters or more, or the same first and last
// letters with the letters between taken in order (MGMT, SVCS, PLBG) where
// short is no known word (PRODUCTS is not PRODUCTIONS).
func (c *Comparer) abbreviates(short, long string) bool {
	if len(short) < 3 || len(short) >= len(long) || !(c.generic[long] || c.business[long]) {
		return false
	}
	if strings.HasPrefix(long, short) {
		return true
	}
	if c.knownWord(short) {
		return false // PRODUCTS drops letters of PRODUCTIONS but is a word of its own
	}
	if short[0] != long[0] || short[len(short)-1] != long[len(long)-1] || len(short) > len(long)-2 {
		return false
	}
	j := 1
	for i := 1; i < len(short); i++ {
		for j < len(long) && long[j] != short[i] {
			j++
		}
		if j == len(long) {
			return false
		}
		j++
	}
	return true
}

// ambiguousAbbrev reports v abbreviating w (or w v) where the abbreviation
// stands for several words: ST is SAINT (ST LOUIS) or STREET (MAIN ST).
func (c *Comparer) ambiguousAbbrev(w, v string) bool {
	return contains(c.biz.ambiguous[v], w) || contains(c.biz.ambiguous[w], v)
}
