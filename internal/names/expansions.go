package names

import (
	"fmt"
	"strings"
)

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
	c.biz.expansions, c.biz.phraseEnds = map[string][]phrase{}, map[string]bool{}
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
			c.biz.phraseEnds[exp[len(exp)-1]] = true
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

// contraction is what contractExpansions did to two names.
type contraction struct {
	n int // abbreviations matched with the words they stand for
	// implied: of those, matched without their last word, an organization
	// word the name implies (LINCOLN HIGH for LINCOLN HS: the SCHOOL).
	implied int
}

// contractExpansions rewrites, in each name, the words that spell out an
// abbreviation the other name carries as that abbreviation: LINCOLN HIGH
// SCHOOL BOOSTER CLUB reads LINCOLN HS BOOSTER CLUB beside LINCOLN HS
// BOOSTER CLUB. Only the spelled-out words the other side abbreviates are
// touched, so initials (MS CONSULTING) stay initials. The abbreviation may
// be written in letters apart (LINCOLN H S BOOSTER CLUB, a bank that turned
// the dots of H.S. into spaces).
func (c *Comparer) contractExpansions(a, b company) (_, _ company, k contraction) {
	if len(c.biz.expansions) == 0 {
		return a, b, k
	}
	a.words, b.words = c.joinLetters(a.words, b.words), c.joinLetters(b.words, a.words)
	b.words = c.contract(a.words, b.words, &k)
	a.words = c.contract(b.words, a.words, &k)
	return a, b, k
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
// other replaced by it, counting them in k; words itself is never modified
// (the caller's parse is compared with several owner strings).
func (c *Comparer) contract(other, words []string, k *contraction) []string {
	out := words
	for _, abbr := range other {
		for _, exp := range c.biz.expansions[abbr] {
			i, n := c.indexSpelledOut(out, exp), len(exp)
			if i < 0 && c.impliedLast(exp) {
				i, n = c.indexSpelledOut(out, exp[:len(exp)-1]), len(exp)-1
			}
			if i < 0 {
				continue
			}
			k.n++
			if n < len(exp) {
				k.implied++
			}
			next := make([]string, 0, len(out)-n+1)
			out = append(append(append(next, out[:i]...), abbr), out[i+n:]...)
			break
		}
	}
	return out
}

// impliedLast reports a phrase whose last word, an organization word, a
// name may leave implied (LINCOLN HIGH, MAPLE GROVE HOMEOWNERS, NAVY
// FEDERAL CREDIT): when a word before it is neither generic nor itself the
// last word of a phrase (SCHOOL DISTRICT without DISTRICT is SCHOOL, a
// school, not its district).
func (c *Comparer) impliedLast(exp phrase) bool {
	if !c.biz.org[exp[len(exp)-1]] {
		return false
	}
	for _, w := range exp[:len(exp)-1] {
		if !c.generic[w] && !c.biz.phraseEnds[w] {
			return true
		}
	}
	return false
}

// joinLetters returns words with a run of single letters that spells an
// abbreviation of several words joined into it (H S -> HS), when other
// carries that abbreviation or spells it out; else words itself.
func (c *Comparer) joinLetters(words, other []string) []string {
	for i := 0; i+1 < len(words); i++ {
		j := i
		for j < len(words) && len(words[j]) == 1 && j-i < maxLetterCode+1 {
			j++
		}
		if j-i < 2 {
			continue
		}
		abbr := strings.Join(words[i:j], "")
		if !c.abbreviatedIn(abbr, other) {
			i = j - 1
			continue
		}
		out := make([]string, 0, len(words)-(j-i)+1)
		return append(append(append(out, words[:i]...), abbr), words[j:]...)
	}
	return words
}

// abbreviatedIn reports other carrying abbr, an abbreviation of several
// words, or spelling out one of its phrases.
func (c *Comparer) abbreviatedIn(abbr string, other []string) bool {
	exps := c.biz.expansions[abbr]
	if exps == nil {
		return false
	}
	if contains(other, abbr) {
		return true
	}
	for _, exp := range exps {
		if c.indexSpelledOut(other, exp) >= 0 {
			return true
		}
	}
	return false
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
