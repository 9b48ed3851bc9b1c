package names

import "fmt"

// Abbreviations that stand for several words (HS: HIGH SCHOOL, PTA: PARENT
// TEACHER ASSOCIATION, CU: CREDIT UNION) are listed in names.yaml's
// abbreviations under a key of several words. A short token of two or three
// letters may also be initials (HS PLUMBING, MS CONSULTING), so such an
// abbreviation is never rewritten, as ambiguous_abbreviations are not: in a
// company name it is kept as written and stands for its words only when the
// other name spells them out (LINCOLN HS BOOSTER CLUB / LINCOLN HIGH SCHOOL
// BOOSTER CLUB). One abbreviation may stand for several phrases (MS: MIDDLE
// SCHOOL, MONTESSORI SCHOOL); people's names never use them.

// compileExpansions indexes the several-word keys of abbreviations: each
// variant (one word) -> the phrases it stands for, in company words
// (single-word abbreviations already applied, AND and THE left out as
// parseCompany leaves them out). It runs after the single-word
// abbreviations, legal forms and ambiguous abbreviations are compiled, to
// refuse a variant that already means something else.
func (c *Comparer) compileExpansions(abbrevs map[string][]string, bad func(path, format string, args ...any)) {
	c.biz.expansions = map[string][]phrase{}
	for _, key := range sortedKeys(abbrevs) {
		words := tokens(key)
		if len(words) < 2 {
			continue // a single-word abbreviation (Compile)
		}
		base := "$.abbreviations." + key
		exp := make(phrase, 0, len(words))
		for _, w := range words {
			if w == "AND" || w == "THE" || w == "&" || w == "," || w == "(" || w == quote {
				continue
			}
			exp = append(exp, c.canonical(w))
		}
		if len(exp) < 2 {
			bad(base, "%q must have two words or more besides AND and THE", key)
			continue
		}
		for i, v := range abbrevs[key] {
			path := fmt.Sprintf("%s[%d]", base, i)
			a := singleWord(bad, path, v)
			if a == "" {
				continue
			}
			if what := c.otherMeaning(a); what != "" {
				bad(path, "%q is already %s; an abbreviation of several words must mean nothing else", v, what)
				continue
			}
			c.biz.expansions[a] = append(c.biz.expansions[a], exp)
		}
	}
	sortLongestFirst(c.biz.expansions)
}

// otherMeaning names what a word already is in the dictionaries that
// rewrite or drop company words, or "".
func (c *Comparer) otherMeaning(w string) string {
	switch {
	case c.abbrev[w] != "":
		return fmt.Sprintf("an abbreviation of %q", c.abbrev[w])
	case c.legal[w] != "" || c.biz.legalEnd[w] != "":
		return "a legal form"
	case c.biz.ambiguous[w] != nil:
		return "an ambiguous abbreviation"
	}
	return ""
}

// contractExpansions rewrites, in each name, the words that spell out an
// abbreviation the other name carries as that abbreviation: LINCOLN HIGH
// SCHOOL BOOSTER CLUB reads LINCOLN HS BOOSTER CLUB beside LINCOLN HS
// BOOSTER CLUB. Only the spelled-out words the other side abbreviates are
// touched, so initials (MS CONSULTING) stay initials. contracted: some were.
func (c *Comparer) contractExpansions(a, b company) (_, _ company, contracted bool) {
	if len(c.biz.expansions) == 0 {
		return a, b, false
	}
	nb, na := len(b.words), len(a.words)
	b.words = c.contract(a.words, b.words)
	a.words = c.contract(b.words, a.words)
	return a, b, len(b.words) != nb || len(a.words) != na
}

// onlyByExpansion reports two names that agree only through abbreviations
// of several words: no other distinctive word is shared (MS CONSULTING /
// MIDDLE SCHOOL CONSULTING, where MS may be initials). Like an acronym,
// that is plausible, not established.
func (c *Comparer) onlyByExpansion(a, b []string) bool {
	for _, w := range a {
		if !c.generic[w] && c.biz.expansions[w] == nil && contains(b, w) {
			return false
		}
	}
	return true
}

// contract returns words with each run that spells out an abbreviation of
// other replaced by it; words itself is never modified (the caller's parse
// is compared with several owner strings).
func (c *Comparer) contract(other, words []string) []string {
	out := words
	for _, abbr := range other {
		for _, exp := range c.biz.expansions[abbr] {
			i := c.indexSpelledOut(out, exp)
			if i < 0 {
				continue
			}
			next := make([]string, 0, len(out)-len(exp)+1)
			next = append(append(append(next, out[:i]...), abbr), out[i+len(exp):]...)
			out = next
			break
		}
	}
	return out
}

// indexRun is where run starts in toks, or -1.
func indexRun(toks, run []string) int {
	for i := 0; i+len(run) <= len(toks); i++ {
		if equalTokens(toks[i:i+len(run)], run) {
			return i
		}
	}
	return -1
}

// indexSpelledOut is where toks spell out the phrase exp, or -1: word for
// word, or with a word in another form banks use (HOMEOWNERS ASSOC, with
// the ambiguous ASSOC; HOMEOWNER ASSOCIATION, without the S).
func (c *Comparer) indexSpelledOut(toks []string, exp phrase) int {
next:
	for i := 0; i+len(exp) <= len(toks); i++ {
		for k, e := range exp {
			if t := toks[i+k]; t != e && !c.ambiguousAbbrev(e, t) && !possessive(t, e) && !possessive(e, t) {
				continue next
			}
		}
		return i
	}
	return -1
}
