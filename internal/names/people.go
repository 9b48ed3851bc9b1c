package names

import "strings"

type person struct {
	words  []string // given name first, family name last
	suffix string
	comma  bool   // written LAST, FIRST
	bare   string // the family name without its particles (BEETHOVEN of VAN BEETHOVEN)
	// aliased: a nickname in parentheses or quotes (THOMAS (TOMMY) REED),
	// kept just past the words in their buffer (see alias).
	aliased bool
}

// alias is the nickname of an aliased person. It is read through the words
// slice, not a field of its own, so that comparing it lets no more of the
// person escape to the heap than the words already do.
func (p person) alias() string { return p.words[:len(p.words)+1][len(p.words)] }

// parsePerson reads a person's name; words go to buf when it is large enough.
func (c *Comparer) parsePerson(toks []string, buf []string) person {
	var p person
	words := buf[:0]
	if cap(buf) < len(toks) {
		words = make([]string, 0, len(toks))
	}
	words, comma, alias := c.personWords(toks, &p, words)
	if comma > 0 && comma < len(words) {
		// LAST, FIRST MIDDLE -> FIRST MIDDLE LAST, rotated in place.
		reverse(words[:comma])
		reverse(words[comma:])
		reverse(words)
		p.comma = true
	}
	// Particles join the next word, except in first position (VAN MORRISON):
	// DE LA CRUZ = DELACRUZ, ST JAMES = SAINT JAMES = SAINTJAMES.
	merged := words[:0]
	for i := 0; i < len(words); i++ {
		if i > 0 && i < len(words)-1 && c.isParticle(words[i]) {
			j := i
			joined := ""
			for j < len(words)-1 && c.isParticle(words[j]) {
				joined += c.particle(words[j])
				j++
			}
			merged = append(merged, joined+words[j])
			if j == len(words)-1 {
				p.bare = words[j]
			}
			i = j
			continue
		}
		merged = append(merged, words[i])
	}
	p.words = merged
	if alias != "" {
		// The buffer holds the name's tokens, so there is room past the
		// words (the aside's brackets were tokens too).
		p.words = append(merged, alias)[:len(merged)]
		p.aliased = true
	}
	return p
}

// swappedBetter is the better of best and a's alignment with the owner's
// words sw read in order rd, which costs a swapped order.
func (c *Comparer) swappedBetter(a person, sw []string, rd reading, best personScore) personScore {
	r := c.alignPeople(a, sw, "", false, rd)
	r.score -= costOrderSwapped
	if r.facts.Typo {
		// a swapped order and a typo together are two deviations (ADAM WEST / WEST ADAMS)
		r.score -= costSwapAndTypo
	}
	if r.score > best.score {
		r.facts.OrderSwapped = true
		return r
	}
	return best
}

// splitParticles splits a person's last word into the particles joined to
// it and its bare family name (VAN and MINH of VANMINH for NGUYEN VAN
// MINH); pre is "" when none was joined. Both are cut from last, never
// taken from the person: its strings in the other reading would move the
// callers' word buffers to the heap.
func splitParticles(last, bare string) (pre, rest string) {
	if bare == "" || len(last) <= len(bare) || last[len(last)-len(bare):] != bare {
		return "", ""
	}
	return last[:len(last)-len(bare)], last[len(last)-len(bare):]
}

func reverse(s []string) {
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
}

func (c *Comparer) isParticle(w string) bool { return c.particles[w] || c.particles[c.abbrev[w]] }

// particle is a particle's canonical spelling (ST -> SAINT).
func (c *Comparer) particle(w string) string {
	if c.particles[w] {
		if canon := c.abbrev[w]; canon != "" && c.particles[canon] {
			return canon
		}
		return w
	}
	return c.abbrev[w]
}

func (p person) firstWord() string {
	if len(p.words) == 0 {
		return ""
	}
	return p.words[0]
}

// personScore is an alignment of identity a with owner b.
type personScore struct {
	score int
	facts Facts
	pairs pairList
}

// pairList holds a few aligned pairs without allocating: alignments are
// tried by the dozen and only the best one is kept.
type pairList struct {
	buf [6]Pair
	n   int
}

func (l *pairList) add(p Pair) {
	if l.n < len(l.buf) {
		l.buf[l.n] = p
		l.n++
	}
}

func (l *pairList) list() []Pair {
	if l.n == 0 {
		return nil
	}
	return append([]Pair(nil), l.buf[:l.n]...)
}

func pairsOf(p Pair) pairList {
	l := pairList{n: 1}
	l.buf[0] = p
	return l
}

func (c *Comparer) comparePersonIdentity(r *Result, a person, trade [][]string, owner []string) {
	var partBuf, segBuf, peopleBuf [6][]string
	var wordBuf [8]string
	parts, dbaSplit := c.splitDBA(owner, partBuf[:0])
	best := personScore{score: -1}
	var bestCand []string
	for pi, part := range parts {
		last := pi == len(parts)-1
		if !c.ownerIsBusiness(part) {
			if c.bestPerson(r, a, part, last, dbaSplit && len(parts) > 1, peopleBuf[:0], wordBuf[:0], &best, &bestCand) {
				r.Facts.JointOwner = r.Facts.JointOwner || len(parts) > 1 && !dbaSplit
			}
			continue
		}
		r.Facts.BusinessNameDetected = true
		// The identity's own trade name (an individual with a DBA).
		for _, t := range trade {
			cs := c.compareCompanies(c.parseCompany(t), c.parseCompany(part), cutAt(last, owner))
			if cs.score >= c.bands.Strong && cs.score > best.score {
				best, bestCand = personScore{score: cs.score, facts: cs.facts}, part
				best.facts.DBAMatch = true
				for _, p := range cs.pairs {
					best.pairs.add(p)
				}
			}
		}
		// A person named beside the business: FAROUK TRANSLATIONS LLC, NADIA
		// FAROUK, MEMBER; CHARLES SCHWAB & CO INC CUST FBO ELAINE WU IRA;
		// LOUISE CARR CUST FOR OWEN CARR UTMA PA (PA: a state, not a legal form).
		if c.hasRoleWord(part) {
			people, _, _ := c.splitPeople(part, segBuf[:0])
			for _, p := range people {
				if !c.ownerIsBusiness(p) && c.bestPerson(r, a, p, false, false, peopleBuf[:0], wordBuf[:0], &best, &bestCand) {
					r.Facts.RoleWord = true
				}
			}
		}
		for _, seg := range c.splitSegments(part, segBuf[:0]) {
			if !c.ownerIsBusiness(seg) && c.bestPerson(r, a, seg, false, false, peopleBuf[:0], wordBuf[:0], &best, &bestCand) {
				r.Facts.JointOwner = true
				r.Facts.RoleWord = r.Facts.RoleWord || c.hasRoleWord(part)
			}
		}
	}
	if best.score < 0 {
		r.Score = scoreOtherPerson
		r.Facts.CompanyNameForPerson = true
		return
	}
	joint, role, biz := r.Facts.JointOwner, r.Facts.RoleWord, r.Facts.BusinessNameDetected
	r.Score, r.Facts = best.score, best.facts
	r.Facts.JointOwner, r.Facts.RoleWord, r.Facts.BusinessNameDetected = joint, role, biz
	r.Detail.Candidate, r.Detail.Alignment = strings.Join(bestCand, " "), best.pairs.list()
}

// bestPerson compares identity a with each person in part (joint owners,
// role words) and keeps the best in *best. It reports whether part named
// anyone.
func (c *Comparer) bestPerson(r *Result, a person, part []string, truncatable, viaDBA bool, peopleBuf [][]string, wordBuf []string, best *personScore, bestCand *[]string) bool {
	people, joint, role := c.splitPeople(part, peopleBuf)
	r.Facts.JointOwner = r.Facts.JointOwner || joint || len(people) > 1
	r.Facts.RoleWord = r.Facts.RoleWord || role
	for k, p := range people {
		ps := c.comparePeople(a, c.parsePerson(p, wordBuf), truncatable && k == len(people)-1)
		if ps.score > best.score {
			ps.facts.DBAMatch = viaDBA
			*best, *bestCand = ps, p
		}
	}
	return len(people) > 0
}

// reading is an order in which the owner's words may be read, given name
// first after the rotation comparePeople makes.
type reading uint8

const (
	readAsWritten       reading = iota // FIRST [MIDDLE] LAST, or LAST, FIRST with a comma
	readLastFirst                      // LAST FIRST [MIDDLE] without a comma
	readLastMiddleFirst                // LAST MIDDLE FIRST (NGUYEN THI LAN)
	readGivenLast                      // the owner's last word first (MIN JUN KIM for KIM MIN JUN; GARCIA LOPEZ JUAN)
)

// familyFirst reports a reading whose family name is the owner's first
// written word.
func (r reading) familyFirst() bool { return r == readLastFirst || r == readLastMiddleFirst }

func (c *Comparer) comparePeople(a, b person, bTruncatable bool) personScore {
	best := c.alignPeople(a, b.words, b.bare, bTruncatable, readAsWritten)
	if n := len(b.words); n >= 2 && best.score < scoreNoOtherOrder {
		// Other orders: LAST FIRST [MIDDLE] without a comma; LAST MIDDLE
		// FIRST (NGUYEN THI LAN); and the identity itself written family
		// name first (KIM MIN JUN / MIN JUN KIM).
		var buf [8]string
		sw := buf[:0]
		if n > len(buf) {
			sw = make([]string, 0, n)
		}
		for rd := readLastFirst; rd <= readGivenLast; rd++ {
			sw = sw[:0]
			switch {
			case rd == readLastFirst:
				if b.comma {
					continue
				}
				sw = append(append(sw, b.words[1:]...), b.words[0])
			case n < 3:
				continue
			case rd == readLastMiddleFirst:
				sw = append(append(append(sw, b.words[n-1]), b.words[1:n-1]...), b.words[0])
			default:
				sw = append(append(sw, b.words[n-1]), b.words[:n-1]...)
			}
			best = c.swappedBetter(a, sw, rd, best)
		}
		if pre, rest := splitParticles(b.words[n-1], b.bare); pre != "" && n-1 < len(buf)-1 {
			// A particle before the last word may be a middle name in a
			// name written family name first: NGUYEN VAN MINH is MINH
			// (VAN) NGUYEN, not a family name VAN MINH.
			sw = append(append(sw[:0], rest, pre), b.words[:n-1]...)
			best = c.swappedBetter(a, sw, readLastMiddleFirst, best)
		}
		best.score = max(best.score, 0)
	}
	if b.aliased && len(b.words) > 1 && best.score < scoreIdentical {
		// The nickname the owner goes by, for the given name (TOMMY REED).
		var buf [8]string
		alt := append(append(buf[:0], b.alias()), b.words[1:]...)
		if r := c.alignPeople(a, alt, b.bare, bTruncatable, readAsWritten); r.score > best.score {
			best = r
		}
	}
	if a.suffix != "" && b.suffix != "" && a.suffix != b.suffix {
		// ROBERT KOWALSKI JR / SR: father and son, whatever the words.
		best.facts.SuffixConflict = true
		best.score = min(best.score, capSuffixConflict)
		// The canonical spellings from the dictionary, not the persons'
		// fields: those would let the persons' words escape to the heap.
		best.pairs.add(Pair{A: c.suffix[a.suffix], B: c.suffix[b.suffix], How: "conflict"})
	} else if (a.suffix == "") != (b.suffix == "") && best.score > 0 {
		// Not a conflict, but not identical either (father and son).
		best.facts.SuffixMissing = true
		best.score -= costSuffixMissed
	}
	return best
}

// ownerIsBusiness reports whether an owner string, where a person is
// expected, is a business: a legal form, a business word that is also
// generic (HOLDINGS, SERVICES: the vocabulary of company names, never a
// family name), two business words, or one where a person's name cannot
// put it (see surnamePositioned: BAKER, ANNA M is a person).
func (c *Comparer) ownerIsBusiness(toks []string) bool {
	bizWords := 0
	for i, t := range toks {
		if i > 0 {
			if _, ok := c.legal[t]; ok {
				return true
			}
		}
		if matchLegalMulti(c, toks, i) > 0 {
			return true
		}
		if c.business[t] {
			if c.generic[t] {
				return true
			}
			bizWords++
		}
	}
	return bizWords >= 2 || (bizWords == 1 && !c.surnamePositioned(toks))
}

// surnamePositioned reports a name that reads as one person's whose single
// business word stands where a family name does: many family names are
// trades (BAKER, KITCHEN, FLOWERS, GARDNER), so ANNA M KITCHEN, KITCHEN,
// ANNA M and KITCHEN ANNA are people, while GRACE BIBLE CHURCH (a middle
// word that is no given name or initial) and ANNAS KITCHEN (no given name)
// are not. A word in family-name position is never dropped as a business
// word to make a match.
func (c *Comparer) surnamePositioned(toks []string) bool {
	var buf [8]string
	p := c.parsePerson(toks, buf[:0])
	w := p.words
	if len(w) < 2 || len(w) > 4 || contains(toks, "&") {
		return false
	}
	if len(w) == 2 && !p.comma && c.business[w[0]] && c.given[w[1]] {
		return true // KITCHEN ANNA: family name first, no comma
	}
	if !c.given[w[0]] || c.business[w[0]] {
		return false
	}
	for _, m := range w[1 : len(w)-1] {
		if len(m) > 1 && !c.given[m] {
			return false
		}
	}
	return true
}
