package names

import "strings"

type person struct {
	words  []string // given name first, family name last
	suffix string
	comma  bool   // written LAST, FIRST
	bare   string // the family name without its particles (BEETHOVEN of VAN BEETHOVEN)
}

// parsePerson reads a person's name; words go to buf when it is large enough.
func (c *Comparer) parsePerson(toks []string, buf []string) person {
	var p person
	words := buf[:0]
	if cap(buf) < len(toks) {
		words = make([]string, 0, len(toks))
	}
	comma := -1
	for _, t := range toks {
		switch {
		case t == ",":
			if comma < 0 {
				comma = len(words)
			}
		case t == "&" || t == "(":
		case (c.titles[t] || t == "THE") && len(toks) > 1:
		case c.suffix[t] != "" && len(words) > 0:
			p.suffix = c.suffix[t]
		case t[0] >= '0' && t[0] <= '9' && len(toks) > 1:
			// an account or file number in the name field
		default:
			words = append(words, t)
		}
	}
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
	return p
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
		if !c.looksBusiness(part) {
			if c.bestPerson(r, a, part, last, dbaSplit && len(parts) > 1, peopleBuf[:0], wordBuf[:0], &best, &bestCand) {
				r.Facts.JointOwner = r.Facts.JointOwner || len(parts) > 1 && !dbaSplit
			}
			continue
		}
		r.Facts.BusinessNameDetected = true
		// The identity's own trade name (an individual with a DBA).
		for _, t := range trade {
			cs := c.compareCompanies(c.parseCompany(t), c.parseCompany(part), cutAt(last, owner))
			if cs.score >= 85 && cs.score > best.score {
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
				if !c.looksBusiness(p) && c.bestPerson(r, a, p, false, false, peopleBuf[:0], wordBuf[:0], &best, &bestCand) {
					r.Facts.RoleWord = true
				}
			}
		}
		for _, seg := range c.splitSegments(part, segBuf[:0]) {
			if !c.looksBusiness(seg) && c.bestPerson(r, a, seg, false, false, peopleBuf[:0], wordBuf[:0], &best, &bestCand) {
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

func (c *Comparer) comparePeople(a, b person, bTruncatable bool) personScore {
	best := c.alignPeople(a, b.words, b.bare, bTruncatable, false)
	if n := len(b.words); n >= 2 && best.score < scoreNoOtherOrder {
		// Other orders: LAST FIRST [MIDDLE] without a comma; LAST MIDDLE
		// FIRST (NGUYEN THI LAN); and the identity itself written family
		// name first (KIM MIN JUN / MIN JUN KIM).
		var buf [8]string
		sw := buf[:0]
		if n > len(buf) {
			sw = make([]string, 0, n)
		}
		for alt := 0; alt < 3; alt++ {
			sw = sw[:0]
			switch {
			case alt == 0:
				if b.comma {
					continue
				}
				sw = append(append(sw, b.words[1:]...), b.words[0])
			case n < 3:
				continue
			case alt == 1:
				sw = append(append(append(sw, b.words[n-1]), b.words[1:n-1]...), b.words[0])
			default:
				sw = append(append(sw, b.words[n-1]), b.words[:n-1]...)
			}
			r := c.alignPeople(a, sw, "", false, true)
			r.score -= costOrderSwapped
			if r.facts.Typo {
				// a swapped order and a typo together are two deviations (ADAM WEST / WEST ADAMS)
				r.score -= costSwapAndTypo
			}
			if r.score > best.score {
				r.facts.OrderSwapped = true
				best = r
			}
		}
		best.score = max(best.score, 0)
	}
	if a.suffix != "" && b.suffix != "" && a.suffix != b.suffix {
		best.facts.SuffixConflict = true
	} else if (a.suffix == "") != (b.suffix == "") && best.score > 0 {
		// Not a conflict, but not identical either (father and son).
		best.facts.SuffixMissing = true
		best.score -= costSuffixMissed
	}
	return best
}
