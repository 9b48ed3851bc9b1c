package names

import (
	"strings"

	"github.com/ownercheck/ownercheck/internal/textfold"
)

// Compare compares the identity's name (and DBA, for a company) with one
// owner name string. kind is "individual" or "company".
func (c *Comparer) Compare(kind, name, dba, ownerName string) Result {
	return c.Prepare(kind, name, dba).Compare(ownerName)
}

// Prepared is an identity's name normalized once, to compare with each
// owner of an account.
type Prepared struct {
	c       *Comparer
	company bool
	name    []string
	dba     []string
	person  person
	joined  string
}

// Prepare normalizes the identity's name (and DBA) for Compare.
func (c *Comparer) Prepare(kind, name, dba string) *Prepared {
	p := &Prepared{c: c, company: kind == "company", name: tokens(name)}
	if dba != "" {
		p.dba = tokens(dba)
	}
	p.person = c.parsePerson(p.name)
	p.joined = strings.Join(p.name, " ")
	return p
}

// Compare compares the prepared name with one owner name string.
func (p *Prepared) Compare(ownerName string) Result {
	owner := tokens(ownerName)
	r := Result{Detail: Detail{Identity: p.joined, Owner: strings.Join(owner, " ")}}
	if p.company {
		p.c.compareCompanyIdentity(&r, p.name, p.dba, owner)
	} else {
		p.c.comparePersonIdentity(&r, p.person, owner)
	}
	r.Facts.Exact = r.Score == 100
	return r
}

// ---- splitting owner strings -------------------------------------------------

// splitDBA splits "NAME DBA TRADE NAME" into its parts.
func (c *Comparer) splitDBA(toks []string) (parts [][]string) {
	start := 0
	for i := 0; i < len(toks); i++ {
		if n := matchPhrase(c.dba, toks, i); n > 0 && i > 0 {
			parts = appendPart(parts, toks[start:i])
			i += n - 1
			start = i + 1
		}
	}
	return appendPart(parts, toks[start:])
}

func appendPart(parts [][]string, p []string) [][]string {
	for len(p) > 0 && p[0] == "," {
		p = p[1:]
	}
	for len(p) > 0 && p[len(p)-1] == "," {
		p = p[:len(p)-1]
	}
	if len(p) == 0 {
		return parts
	}
	return append(parts, p)
}

// splitPeople splits a person owner string on joint separators and role
// words, and gives a lone given name the family name of its neighbour
// ("MARK & LISA HENDERSON" -> MARK HENDERSON, LISA HENDERSON).
func (c *Comparer) splitPeople(toks []string) (parts [][]string, joint, role bool) {
	start := 0
	for i := 0; i < len(toks); i++ {
		n := 0
		if toks[i] == "&" {
			n, joint = 1, true
		} else if m := matchPhrase(c.joint, toks, i); m > 0 {
			n, joint = m, true
		} else if m := matchPhrase(c.roles, toks, i); m > 0 {
			n, role = m, true
		}
		if n > 0 {
			parts = appendPart(parts, toks[start:i])
			i += n - 1
			start = i + 1
		}
	}
	parts = appendPart(parts, toks[start:])
	// "PAUL REYES JANE REYES": two people with no separator.
	var split [][]string
	for _, p := range parts {
		if len(p) >= 4 && !contains(p, ",") {
			last := p[len(p)-1]
			if k := indexOf(p[1:len(p)-2], last); k >= 0 {
				split = append(split, p[:k+2], p[k+2:])
				joint = true
				continue
			}
		}
		split = append(split, p)
	}
	parts = split
	if len(parts) > 1 {
		for i, p := range parts {
			if len(p) != 1 {
				continue
			}
			if fam := familyName(neighbour(parts, i)); fam != nil {
				parts[i] = append(append([]string{p[0]}, fam...), []string{}...)
			}
		}
	}
	return parts, joint, role
}

// neighbour is the nearest part with more than one word.
func neighbour(parts [][]string, i int) []string {
	for d := 1; d < len(parts); d++ {
		for _, j := range []int{i + d, i - d} {
			if j >= 0 && j < len(parts) && len(parts[j]) > 1 {
				return parts[j]
			}
		}
	}
	return nil
}

// familyName is the surname of a multi-word person part: before a comma
// ("DESAI , RAJ"), else the last word.
func familyName(p []string) []string {
	if p == nil {
		return nil
	}
	if k := indexOf(p, ","); k > 0 {
		return p[:k]
	}
	return p[len(p)-1:]
}

func contains(toks []string, s string) bool { return indexOf(toks, s) >= 0 }

func indexOf(toks []string, s string) int {
	for i, t := range toks {
		if t == s {
			return i
		}
	}
	return -1
}

// looksBusiness reports whether a name is a business: a legal form or a
// business word. Generic words are not enough (JOHN WEST, MARY BEST).
func (c *Comparer) looksBusiness(toks []string) bool {
	for i, t := range toks {
		if i > 0 {
			if _, ok := c.legal[t]; ok {
				return true
			}
		}
		if matchLegalMulti(c, toks, i) > 0 || c.business[t] {
			return true
		}
	}
	return false
}

func matchLegalMulti(c *Comparer, toks []string, i int) int {
	for _, p := range c.legalMulti[toks[i]] {
		words := p[:len(p)-1]
		if len(words) <= len(toks)-i && equalTokens(words, toks[i:i+len(words)]) {
			return len(words)
		}
	}
	return 0
}

// ---- token matching ----------------------------------------------------------

// how two words relate, best first.
const (
	howNone = iota
	howExact
	howNickname
	howAbbrev
	howTypo
	howTruncated
	howInitial
)

var howNames = [...]string{"missing", "exact", "nickname", "abbreviation", "typo", "truncated", "initial"}

// match compares word a (identity) with b (owner). given: a and b are given
// names (nicknames apply; two different known given names are never a typo).
// lastOfOwner: b ends the owner string, so the bank may have cut it short.
func (c *Comparer) match(a, b string, given, lastOfOwner bool) int {
	if a == b || squash(a) == squash(b) {
		return howExact
	}
	if given && c.nickname(a, b) {
		return howNickname
	}
	if len(a) == 1 || len(b) == 1 {
		if a[0] == b[0] {
			return howInitial
		}
		return howNone
	}
	if lastOfOwner && len(b) >= 2 && len(b) < len(a) && strings.HasPrefix(a, b) {
		return howTruncated
	}
	if len(a) >= 4 && len(b) >= 4 && !(given && c.given[a] && c.given[b]) && textfold.OneEdit(a, b) {
		return howTypo
	}
	return howNone
}

// ---- people -----------------------------------------------------------------

type person struct {
	words  []string // given name first, family name last
	suffix string
	comma  bool // written LAST, FIRST
}

func (c *Comparer) parsePerson(toks []string) person {
	var p person
	words := make([]string, 0, len(toks))
	comma := -1
	for _, t := range toks {
		switch {
		case t == ",":
			if comma < 0 {
				comma = len(words)
			}
		case t == "&":
		case c.titles[t] && len(toks) > 1:
		case c.suffix[t] != "" && len(words) > 0:
			p.suffix = c.suffix[t]
		default:
			words = append(words, t)
		}
	}
	if comma > 0 && comma < len(words) {
		words = append(append([]string{}, words[comma:]...), words[:comma]...)
		p.comma = true
	}
	// Particles join the next word, except in first position (VAN MORRISON).
	merged := words[:0:0]
	for i := 0; i < len(words); i++ {
		if i > 0 && i < len(words)-1 && c.particles[words[i]] {
			j := i
			joined := ""
			for j < len(words)-1 && c.particles[words[j]] {
				joined += words[j]
				j++
			}
			merged = append(merged, joined+words[j])
			i = j
			continue
		}
		merged = append(merged, words[i])
	}
	p.words = merged
	return p
}

// personScore is an alignment of identity a with owner b.
type personScore struct {
	score int
	facts Facts
	pairs []Pair
}

func (c *Comparer) comparePeople(a, b person, bTruncatable bool) personScore {
	best := c.alignPeople(a, b.words, bTruncatable, false)
	if !b.comma && len(b.words) >= 2 {
		// LAST FIRST [MIDDLE] without a comma.
		sw := make([]string, 0, len(b.words))
		sw = append(sw, b.words[1:]...)
		sw = append(sw, b.words[0])
		if alt := c.alignPeople(a, sw, false, true); alt.score > best.score {
			alt.facts.OrderSwapped = true
			alt.score = max(alt.score-2, 0)
			best = alt
		}
	}
	if a.suffix != "" && b.suffix != "" && a.suffix != b.suffix {
		best.facts.SuffixConflict = true
	}
	return best
}

func (c *Comparer) alignPeople(a person, bw []string, bTruncatable, swapped bool) personScore {
	var s personScore
	aw := a.words
	if len(aw) == 0 || len(bw) == 0 {
		return s
	}
	if len(aw) == 1 || len(bw) == 1 {
		return c.alignSingle(aw, bw, bTruncatable)
	}
	last := len(bw) - 1
	// Family names: identity's last vs owner's last, else a compound part
	// (JOHNSON-REYES vs JOHNSON) or the joined words (VANDER BERG).
	aFam, bFam := len(aw)-1, last
	famHow := c.match(aw[aFam], bw[bFam], false, bTruncatable)
	if famHow == howNone || famHow == howInitial {
		famHow = howNone
		for i := 1; i < len(aw) && famHow == howNone; i++ {
			if h := c.match(aw[i], bw[last], false, bTruncatable); h == howExact || h == howTypo {
				aFam, famHow = i, h
			}
		}
		for j := 1; j < last && famHow == howNone; j++ {
			if h := c.match(aw[len(aw)-1], bw[j], false, false); h == howExact || h == howTypo {
				bFam, famHow = j, h
			}
		}
		if famHow == howNone && strings.Join(aw[1:], "") == strings.Join(bw[1:], "") {
			return personScore{score: 99, pairs: []Pair{{A: strings.Join(aw[1:], " "), B: strings.Join(bw[1:], " "), How: "exact"}}}
		}
	}
	givenHow := c.match(aw[0], bw[0], true, false)
	s.pairs = append(s.pairs, Pair{A: aw[0], B: bw[0], How: howNames[givenHow]}, Pair{A: aw[aFam], B: bw[bFam], How: howNames[famHow]})

	// Middle words left on either side.
	var aMid, bMid []string
	for i := 1; i < len(aw); i++ {
		if i != aFam {
			aMid = append(aMid, aw[i])
		}
	}
	for j := 1; j < len(bw); j++ {
		if j != bFam {
			bMid = append(bMid, bw[j])
		}
	}
	midConflict, midMissing := false, len(aMid) != len(bMid)
	for _, m := range bMid {
		found := false
		for _, am := range aMid {
			if h := c.match(am, m, true, false); h != howNone {
				found = true
				s.pairs = append(s.pairs, Pair{A: am, B: m, How: howNames[h]})
				break
			}
		}
		if !found && len(aMid) > 0 {
			midConflict = true
			s.pairs = append(s.pairs, Pair{B: m, How: "conflict"})
		}
	}

	switch {
	case givenHow == howNone && famHow == howNone:
		s.score = 10
		s.facts.FirstNameMismatch, s.facts.SurnameMismatch = true, true
		return s
	case famHow == howNone:
		s.score = 35
		s.facts.SurnameMismatch = true
		return s
	case givenHow == howNone:
		// Maybe the owner goes by the middle name (J ROBERT SMITH).
		for _, am := range aMid {
			if swapped || !c.given[am] {
				break
			}
			if h := c.match(am, bw[0], true, false); h == howExact || h == howNickname {
				s.score = 70
				s.facts.FirstOrLastNameOnly = true
				return s
			}
		}
		s.score = 30
		s.facts.FirstNameMismatch = true
		return s
	}
	s.score = 100
	switch givenHow {
	case howNickname:
		s.score -= 8
		s.facts.NicknameMatch = true
	case howTypo:
		s.score -= 12
		s.facts.Typo = true
	case howInitial:
		s.score = min(s.score, 72)
		s.facts.InitialMatch = true
	}
	switch famHow {
	case howTypo:
		s.score -= 12
		s.facts.Typo = true
	case howTruncated:
		s.facts.Truncated = true
		kept, full := len(bw[bFam]), len(aw[aFam])
		if kept >= 4 && kept*2 >= full {
			s.score -= 8
		} else {
			s.score = min(s.score, 70)
		}
	}
	if midConflict {
		s.score -= 15
		s.facts.MiddleNameConflict = true
	} else if midMissing {
		s.score -= 3
		s.facts.MiddleNameMissing = true
	}
	return s
}

// alignSingle handles a one-word name on either side.
func (c *Comparer) alignSingle(aw, bw []string, bTruncatable bool) personScore {
	var s personScore
	if len(aw) == 1 && len(bw) == 1 {
		h := c.match(aw[0], bw[0], false, bTruncatable)
		if h == howExact {
			s.score = 100
		} else if h == howTypo {
			s.score, s.facts.Typo = 88, true
		} else {
			s.score = 10
		}
		s.pairs = []Pair{{A: aw[0], B: bw[0], How: howNames[h]}}
		return s
	}
	one, many, oneIsOwner := bw[0], aw, true
	if len(aw) == 1 {
		one, many, oneIsOwner = aw[0], bw, false
	}
	for i, w := range []string{many[0], many[len(many)-1]} {
		var h int
		if oneIsOwner {
			h = c.match(w, one, i == 0, bTruncatable)
		} else {
			h = c.match(one, w, i == 0, false)
		}
		if h == howExact || h == howNickname || h == howTypo {
			s.score = 62
			s.facts.FirstOrLastNameOnly = true
			s.pairs = []Pair{{A: w, B: one, How: howNames[h]}}
			return s
		}
	}
	s.score = 10
	return s
}

func (c *Comparer) comparePersonIdentity(r *Result, a person, owner []string) {
	parts := c.splitDBA(owner)
	best := personScore{score: -1}
	bestCand := ""
	anyPerson := false
	for pi, part := range parts {
		if c.looksBusiness(part) {
			r.Facts.BusinessNameDetected = true
			continue
		}
		anyPerson = true
		people, joint, role := c.splitPeople(part)
		r.Facts.JointOwner = r.Facts.JointOwner || joint || len(people) > 1
		r.Facts.RoleWord = r.Facts.RoleWord || role
		for k, p := range people {
			truncatable := pi == len(parts)-1 && k == len(people)-1
			ps := c.comparePeople(a, c.parsePerson(p), truncatable)
			if ps.score > best.score {
				best, bestCand = ps, strings.Join(p, " ")
				if len(parts) > 1 {
					best.facts.DBAMatch = true
				}
			}
		}
	}
	if !anyPerson {
		// Roles around a business custodian: CHARLES SCHWAB & CO INC CUST FBO ELAINE WU IRA.
		people, _, role := c.splitPeople(owner)
		if role {
			r.Facts.RoleWord = true
			for _, p := range people {
				if c.looksBusiness(p) {
					continue
				}
				if ps := c.comparePeople(a, c.parsePerson(p), false); ps.score > best.score {
					best, bestCand = ps, strings.Join(p, " ")
				}
			}
		}
	}
	if best.score < 0 {
		r.Score = 10
		r.Facts.CompanyNameForPerson = true
		return
	}
	joint, role, biz := r.Facts.JointOwner, r.Facts.RoleWord, r.Facts.BusinessNameDetected
	r.Score, r.Facts = best.score, best.facts
	r.Facts.JointOwner, r.Facts.RoleWord, r.Facts.BusinessNameDetected = joint, role, biz
	r.Detail.Candidate, r.Detail.Alignment = bestCand, best.pairs
}

// ---- companies ----------------------------------------------------------------

type company struct {
	words []string // canonical words, legal forms and THE/AND removed
	forms []string // canonical legal forms
}

func (c *Comparer) parseCompany(toks []string) company {
	var co company
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t == "," || t == "&" || t == "AND" || t == "THE" {
			continue
		}
		if i > 0 {
			if n := matchLegalMulti(c, toks, i); n > 0 {
				p := c.legalMulti[t]
				for _, ph := range p {
					if len(ph)-1 == n {
						co.forms = append(co.forms, ph[len(ph)-1])
						break
					}
				}
				i += n - 1
				continue
			}
			if f, ok := c.legal[t]; ok {
				co.forms = append(co.forms, f)
				continue
			}
		}
		if canon, ok := c.abbrev[t]; ok {
			t = canon
		}
		co.words = append(co.words, t)
	}
	return co
}

type companyScore struct {
	score int
	facts Facts
	pairs []Pair
}

func (c *Comparer) compareCompanies(a, b company, bTruncatable bool) companyScore {
	var s companyScore
	if len(a.words) == 0 || len(b.words) == 0 {
		return s
	}
	if strings.Join(a.words, "") == strings.Join(b.words, "") {
		s.score = 100
		s.pairs = []Pair{{A: strings.Join(a.words, " "), B: strings.Join(b.words, " "), How: "exact"}}
	} else {
		used := make([]bool, len(b.words))
		matchedA := make([]bool, len(a.words))
		distinctive, typos, truncated, lastMatched := 0, 0, false, -1
		for i, w := range a.words {
			for j, v := range b.words {
				if used[j] {
					continue
				}
				h := c.match(w, v, false, bTruncatable && j == len(b.words)-1)
				if h == howInitial || h == howNone {
					continue
				}
				if h == howTypo && (c.generic[w] || c.generic[v] || len(w) < 5) {
					continue
				}
				used[j], matchedA[i] = true, true
				lastMatched = i
				s.pairs = append(s.pairs, Pair{A: w, B: v, How: howNames[h]})
				if !c.generic[w] {
					distinctive++
				}
				switch h {
				case howTypo:
					typos++
				case howTruncated:
					truncated = true
				}
				break
			}
		}
		unmatchedB := 0
		for j := range used {
			if !used[j] {
				unmatchedB++
				s.pairs = append(s.pairs, Pair{B: b.words[j], How: "missing"})
			}
		}
		unmatchedA := 0
		tailOnly := true
		for i := range matchedA {
			if !matchedA[i] {
				unmatchedA++
				s.pairs = append(s.pairs, Pair{A: a.words[i], How: "missing"})
				if i < lastMatched {
					tailOnly = false
				}
			}
		}
		// The bank cut the name: the owner's words are the identity's first
		// words, the last one possibly cut, and the string is long.
		cut := bTruncatable && unmatchedB == 0 && unmatchedA > 0 && tailOnly && len(b.words) >= 2 &&
			len(strings.Join(b.words, " ")) >= 18 && (truncated || unmatchedA > 0) && len(b.forms) == 0
		switch {
		case unmatchedA == 0 && unmatchedB == 0:
			s.score = 100 - 8*typos
			if truncated {
				s.score -= 6
				s.facts.Truncated = true
			}
			s.facts.Typo = typos > 0
		case cut && distinctive > 0:
			s.score = 92 - 8*typos
			s.facts.Truncated, s.facts.Typo = true, typos > 0
		case distinctive == 0:
			s.score = min(15+5*(len(s.pairs)-unmatchedA-unmatchedB), 40)
			s.facts.GenericOnly = len(s.pairs)-unmatchedA-unmatchedB > 0
			s.facts.DistinctiveMismatch = true
			return s
		default:
			s.score = 45
			s.facts.DistinctiveMismatch = true
			return s
		}
	}
	if len(a.forms) > 0 && len(b.forms) > 0 && a.forms[len(a.forms)-1] != b.forms[len(b.forms)-1] {
		s.score -= 12
		s.facts.LegalFormMismatch = true
	}
	return s
}

func (c *Comparer) compareCompanyIdentity(r *Result, name, dba []string, owner []string) {
	cands := [][]string{name}
	if len(dba) > 0 {
		cands = append(cands, dba)
	}
	parts := c.splitDBA(owner)
	r.Facts.RoleWord = c.hasRoleWord(owner)
	best := companyScore{score: -1}
	bestCand := ""
	allPeople := true
	for ci, a := range cands {
		if len(a) == 0 {
			continue
		}
		aBiz := c.looksBusiness(a)
		for pi, b := range parts {
			bBiz := c.looksBusiness(b)
			if bBiz {
				r.Facts.BusinessNameDetected = true
				allPeople = false
			}
			truncatable := pi == len(parts)-1
			var s companyScore
			coScore := c.compareCompanies(c.parseCompany(a), c.parseCompany(b), truncatable)
			switch {
			case bBiz || len(b) < 2 || (!aBiz && !(c.given[a[0]] && c.given[b[0]])):
				s = coScore
				if !bBiz {
					allPeople = allPeople && len(b) >= 2 && c.given[b[0]]
				}
			case !aBiz:
				ps := c.comparePeople(c.parsePerson(a), c.parsePerson(b), truncatable)
				s = companyScore{score: ps.score, facts: ps.facts, pairs: ps.pairs}
			case coScore.score >= 85:
				s = coScore
				allPeople = false
			default:
				// A person's name for a business: linked only if the business
				// carries the person's family name (KOWALCZYK ROOFING / PAUL KOWALCZYK).
				p := c.parsePerson(b)
				s = companyScore{score: 10}
				if len(p.words) > 0 && contains(c.parseCompany(a).words, p.words[len(p.words)-1]) {
					fam := p.words[len(p.words)-1]
					s = companyScore{score: 65, facts: Facts{SurnameLink: true}, pairs: []Pair{{A: fam, B: fam, How: "exact"}}}
				}
			}
			if ci > 0 || len(parts) > 1 {
				s.facts.DBAMatch = s.score >= 85
			}
			if s.score > best.score {
				best, bestCand = s, strings.Join(b, " ")
			}
		}
	}
	role, biz := r.Facts.RoleWord, r.Facts.BusinessNameDetected
	r.Score, r.Facts = best.score, best.facts
	r.Facts.RoleWord, r.Facts.BusinessNameDetected = role, biz
	if allPeople && best.score < 60 && !best.facts.SurnameLink {
		r.Facts.PersonNameForCompany = true
	}
	if r.Score < 0 {
		r.Score = 0
	}
	r.Detail.Candidate, r.Detail.Alignment = bestCand, best.pairs
}

func (c *Comparer) hasRoleWord(toks []string) bool {
	for i := range toks {
		if matchPhrase(c.roles, toks, i) > 0 {
			return true
		}
	}
	return false
}

// Reasons explains the facts without quoting names (they are cached). It is
// separate from Compare so that only the owner that counts pays for it.
func Reasons(f Facts) []string {
	var out []string
	add := func(cond bool, s string) {
		if cond {
			out = append(out, s)
		}
	}
	add(f.Exact, "names are identical after normalization")
	add(f.NicknameMatch, "given names match as nickname and full name")
	add(f.InitialMatch, "only an initial of the given name matches")
	add(f.OrderSwapped, "name order is swapped")
	add(f.MiddleNameMissing, "a middle name is missing on one side")
	add(f.MiddleNameConflict, "middle names differ")
	add(f.Typo, "a name differs by one typo")
	add(f.Truncated, "the bank's name appears truncated")
	add(f.FirstOrLastNameOnly, "only one of the names matches")
	add(f.FirstNameMismatch, "family names agree but given names differ")
	add(f.SurnameMismatch, "family names differ")
	add(f.SuffixConflict, "generational suffixes differ (e.g. JR vs SR)")
	add(f.RoleWord, "the owner holds the account in a role (trustee, custodian, POA, estate)")
	add(f.JointOwner, "the owner string names several people")
	add(f.BusinessNameDetected, "the owner name is a business")
	add(f.PersonNameForCompany, "a person's name where a company was expected")
	add(f.CompanyNameForPerson, "a company name where a person was expected")
	add(f.SurnameLink, "the company carries the person's family name")
	add(f.DBAMatch, "matched through a trade name (DBA)")
	add(f.GenericOnly, "the company names share only generic words")
	add(f.DistinctiveMismatch, "the company names differ in a distinctive word")
	add(f.LegalFormMismatch, "legal forms differ")
	if len(out) == 0 {
		out = append(out, "names do not match")
	}
	return out
}
