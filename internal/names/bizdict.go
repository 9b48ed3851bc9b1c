package names

import (
	"fmt"
	"sort"
)

// businessDict is the part of the compiled dictionaries that only company
// names use, beyond the legal forms every name path knows.
type businessDict struct {
	notes bankNotes
	// legalEnd and legalEndMulti are the legal forms that count only at the
	// end of a name (SVENSSON BYGG AB, but AB PLUMBING; OPTIK AG, but SMITH
	// AG SUPPLY): canonical form by token, multi-token forms by first token.
	legalEnd      map[string]string
	legalEndMulti map[string][]phrase
	// formSpellings: canonical legal form -> the first words of its
	// spellings (INC: INCORPORATED; LLC: LIMITED), to recognise a form the
	// bank's field cut (ACME WIDGETS INCORP).
	formSpellings map[string][]string
	org           map[string]bool // organization words (CHAPEL, PTA)
	// ambiguous: abbreviation -> the words it may stand for in a company
	// name (ST: SAINT, STREET); kept as written, matched with either.
	ambiguous map[string][]string
	// expansions: abbreviation -> the phrases of several words it stands
	// for (HS: HIGH SCHOOL), kept as written (expansions.go).
	expansions map[string][]phrase
	phraseEnds map[string]bool // the last words of those phrases (SCHOOL, UNION)
	// seriesWords come before a letter that designates a sister entity
	// (SERIES A, CLASS B): series.go.
	seriesWords map[string]bool
	// related: phrases that name another entity of a company after its
	// name (PLAN, FOUNDATION, DIP), by first word.
	related map[string][]phrase
	// vocab: every word the dictionaries know as a word (business,
	// generic, organization and given names, abbreviations spelled out),
	// for telling another word from a typo (realWordTypo).
	vocab map[string]bool
}

// wordSet indexes a names.yaml list of single words (under key).
func wordSet(list []string, key string, bad func(path, format string, args ...any)) map[string]bool {
	m := map[string]bool{}
	for i, w := range list {
		if word := singleWord(bad, fmt.Sprintf("$.%s[%d]", key, i), w); word != "" {
			m[word] = true
		}
	}
	return m
}

// compileBusiness compiles the company-only dictionaries of d into c.
func (c *Comparer) compileBusiness(d Dict, bad func(path, format string, args ...any)) {
	c.biz = businessDict{
		notes:         compileBankNotes(d.BankNotes, bad),
		legalEnd:      map[string]string{},
		legalEndMulti: map[string][]phrase{},
	}
	c.biz.ambiguous = map[string][]string{}
	for _, abbr := range sortedKeys(d.AmbiguousAbbreviations) {
		base := "$.ambiguous_abbreviations." + abbr
		a := singleWord(bad, base, abbr)
		if a == "" {
			continue
		}
		for i, w := range d.AmbiguousAbbreviations[abbr] {
			if word := singleWord(bad, fmt.Sprintf("%s[%d]", base, i), w); word != "" {
				c.biz.ambiguous[a] = append(c.biz.ambiguous[a], word)
			}
		}
	}
	c.biz.org = wordSet(d.OrganizationWords, "organization_words", bad)
	for _, canon := range sortedKeys(d.TrailingLegalForms) {
		base := "$.trailing_legal_forms." + canon
		ct := singleWord(bad, base, canon)
		if ct == "" {
			continue
		}
		for i, v := range d.TrailingLegalForms[canon] {
			switch toks := tokens(v); len(toks) {
			case 0:
				bad(fmt.Sprintf("%s[%d]", base, i), "empty legal form")
			case 1:
				c.biz.legalEnd[toks[0]] = ct
			default:
				c.biz.legalEndMulti[toks[0]] = append(c.biz.legalEndMulti[toks[0]], append(phrase(toks), ct))
			}
		}
	}
	sortLongestFirst(c.biz.legalEndMulti)
	c.biz.formSpellings = map[string][]string{}
	addSpelling := func(canon, w string) {
		if !contains(c.biz.formSpellings[canon], w) {
			c.biz.formSpellings[canon] = append(c.biz.formSpellings[canon], w)
		}
	}
	for w, canon := range c.legal {
		addSpelling(canon, w)
	}
	for _, m := range []map[string][]phrase{c.legalMulti, c.biz.legalEndMulti} {
		for first, ps := range m {
			for _, p := range ps {
				addSpelling(p[len(p)-1], first)
			}
		}
	}
	c.compileExpansions(d.Abbreviations, bad)
	c.biz.seriesWords = wordSet(d.SeriesWords, "series_words", bad) // the words a letter designator follows
	c.biz.vocab = map[string]bool{}
	for _, m := range []map[string]bool{c.business, c.generic, c.biz.org, c.given} {
		for w := range m {
			c.biz.vocab[w] = true
		}
	}
	for _, w := range c.abbrev {
		c.biz.vocab[w] = true
	}
	c.biz.related = map[string][]phrase{}
	addPhrases(c.biz.related, d.RelatedEntityWords, "related_entity_words", bad)
	// A generic number word stays generic once folded (FIRST -> 1ST).
	for w := range c.generic {
		if f, ok := foldNumberWord(w); ok {
			c.generic[f] = true
		}
	}
}

// trailingForm reports the length of a trailing-only legal form that
// starts at toks[i] and ends the name, with its canonical form.
func (c *Comparer) trailingForm(toks []string, i int) (int, string) {
	if i == 0 {
		return 0, ""
	}
	if i == len(toks)-1 {
		if f, ok := c.biz.legalEnd[toks[i]]; ok {
			return 1, f
		}
	}
	for _, p := range c.biz.legalEndMulti[toks[i]] {
		words := p[:len(p)-1]
		if i+len(words) == len(toks) && equalTokens(words, toks[i:]) {
			return len(words), p[len(p)-1]
		}
	}
	return 0, ""
}

func sortLongestFirst(m map[string][]phrase) {
	for k := range m {
		sort.Slice(m[k], func(i, j int) bool { return len(m[k][i]) > len(m[k][j]) })
	}
}

// orgName reports a name of three words or more with an organization word
// (GRACE HILL CHAPEL, LINCOLN ELEMENTARY PTA): not a person's name, even
// when it starts with a given name. Two words stay ambiguous (SHIRLEY
// TEMPLE).
func (c *Comparer) orgName(toks []string) bool {
	if len(toks) < 3 {
		return false
	}
	for _, t := range toks {
		if c.biz.org[t] {
			return true
		}
	}
	return false
}
