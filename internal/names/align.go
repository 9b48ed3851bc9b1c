package names

import "strings"

// alignment is one alignment of identity a with owner words bw, built up
// by the alignment rules.
type alignment struct {
	a            person
	aw, bw       []string // identity and owner words, given name first
	bBare        string   // the owner's family name without particles
	bTruncatable bool     // the bank may have cut bw short
	swapped      bool     // bw is an owner order other than the one written

	aFam, bFam      int  // the family names' positions
	famHow          int  // how the family names matched
	famInitial      bool // the owner's last word is the family name's initial
	particleMissing bool // VAN BEETHOVEN / BEETHOVEN
	givenHow        int  // how the given names matched

	aMid, bMid  []string // the middle words left on either side
	midConflict bool
	midMissing  bool
	midCost     int

	s personScore
}

// alignPeople aligns identity a with owner words bw. The rules run in
// order; each either refines the alignment or settles it (returns true),
// which ends the run. Each rule has its own table test (align_test.go).
func (c *Comparer) alignPeople(a person, bw []string, bBare string, bTruncatable, swapped bool) personScore {
	al := alignment{a: a, aw: a.words, bw: bw, bBare: bBare, bTruncatable: bTruncatable, swapped: swapped}
	var aBuf, bBuf [6]string
	al.aMid, al.bMid = aBuf[:0], bBuf[:0]
	_ = c.ruleNothing(&al) ||
		c.ruleSpacing(&al) ||
		c.ruleOneWord(&al) ||
		c.ruleCutBeforeFamily(&al) ||
		c.ruleFamilyLast(&al) ||
		c.ruleFamilyInIdentity(&al) ||
		c.ruleMiddleNotFamily(&al) ||
		c.ruleFamilyInOwner(&al) ||
		c.ruleRestSpacing(&al) ||
		c.ruleParticleDropped(&al) ||
		c.ruleGiven(&al) ||
		c.ruleFamilyInitialOnly(&al) ||
		c.ruleFamilyTwoTypos(&al) ||
		c.ruleMiddles(&al) ||
		c.ruleOtherPerson(&al) ||
		c.ruleOtherFamily(&al) ||
		c.ruleOtherGiven(&al) ||
		c.ruleSamePerson(&al)
	return al.s
}

// ruleNothing: an empty side matches nothing.
func (c *Comparer) ruleNothing(al *alignment) bool {
	return len(al.aw) == 0 || len(al.bw) == 0
}

// ruleSpacing: only the spacing differs (ANNE MARIE / ANNEMARIE, ABDUL
// RAHMAN / ABDULRAHMAN).
func (c *Comparer) ruleSpacing(al *alignment) bool {
	if len(al.aw) == len(al.bw) || !joinedEqual(al.aw, al.bw) {
		return false
	}
	al.s = personScore{score: scoreSameButSpacing, facts: Facts{Spelling: true}, pairs: pairsOf(Pair{A: strings.Join(al.aw, " "), B: strings.Join(al.bw, " "), How: "spacing"})}
	return true
}

// ruleOneWord: a one-word name on either side (see alignSingle).
func (c *Comparer) ruleOneWord(al *alignment) bool {
	if len(al.aw) != 1 && len(al.bw) != 1 {
		return false
	}
	al.s = c.alignSingle(al.aw, al.bw, al.bTruncatable)
	return true
}

// ruleCutBeforeFamily: a fixed-width field cut the name before the family
// name (CHRISTOPHER ALEX for CHRISTOPHER ALEXANDER MONTGOMERY).
func (c *Comparer) ruleCutBeforeFamily(al *alignment) bool {
	if !al.bTruncatable || len(al.bw) >= len(al.aw) || !cutWords(al.aw, al.bw) {
		return false
	}
	al.s.score = scoreCutBeforeFamily
	al.s.facts.Truncated, al.s.facts.FirstOrLastNameOnly = true, true
	al.s.pairs = pairsOf(Pair{A: strings.Join(al.aw, " "), B: strings.Join(al.bw, " "), How: "truncated"})
	return true
}

// ruleFamilyLast: the family names are the last words. A bare initial is
// noted (famInitial) but is no family name match.
func (c *Comparer) ruleFamilyLast(al *alignment) bool {
	al.aFam, al.bFam = len(al.aw)-1, len(al.bw)-1
	al.famHow = c.match(al.aw[al.aFam], al.bw[al.bFam], false, al.bTruncatable)
	al.famInitial = al.famHow == howInitial
	if al.famHow == howInitial {
		al.famHow = howNone
	}
	return false
}

// ruleFamilyInIdentity: the owner's family name is an inner word of the
// identity's: a compound family name (SARAH JOHNSON / SARAH JOHNSON-REYES).
// An initial is never a family name: ANNA M is not ANNA M PRICE.
func (c *Comparer) ruleFamilyInIdentity(al *alignment) bool {
	last := al.bw[len(al.bw)-1]
	for i := 1; i < len(al.aw) && al.famHow == howNone && len(last) > 1; i++ {
		if h := c.match(al.aw[i], last, false, al.bTruncatable); h == howExact || h == howTypo {
			al.aFam, al.famHow = i, h
		}
	}
	return false
}

// ruleMiddleNotFamily: the owner's last word is the identity's middle
// name, and the family name is missing (CHRISTOPHER ALEXANDER / CHRISTOPHER
// ALEXANDER MONTGOMERY), unlike a compound family name.
func (c *Comparer) ruleMiddleNotFamily(al *alignment) bool {
	aw, bw := al.aw, al.bw
	if al.famHow == howNone || al.aFam == len(aw)-1 || !c.given[aw[al.aFam]] || c.given[aw[len(aw)-1]] {
		return false
	}
	g := c.match(aw[0], bw[0], true, false)
	if g != howExact && g != howNickname {
		return false
	}
	al.s.score = scoreMiddleNotFamily
	al.s.facts.FirstOrLastNameOnly = true
	al.s.pairs.add(Pair{A: aw[0], B: bw[0], How: howNames[g]})
	al.s.pairs.add(Pair{A: aw[al.aFam], B: bw[len(bw)-1], How: "middle"})
	al.s.pairs.add(Pair{A: aw[len(aw)-1], How: "missing"})
	return true
}

// ruleFamilyInOwner: the identity's family name is an inner word of the
// owner's (SARAH JOHNSON REYES / SARAH JOHNSON).
func (c *Comparer) ruleFamilyInOwner(al *alignment) bool {
	fam := al.aw[len(al.aw)-1]
	for j := 1; j < len(al.bw)-1 && al.famHow == howNone; j++ {
		if h := c.match(fam, al.bw[j], false, false); (h == howExact || h == howTypo) && len(al.bw[j]) > 1 {
			al.bFam, al.famHow = j, h
		}
	}
	return false
}

// ruleRestSpacing: the given names agree and the rest differs only in
// spacing (MARY ANNE MARIE LEE / MARY ANNEMARIE LEE).
func (c *Comparer) ruleRestSpacing(al *alignment) bool {
	if al.famHow != howNone || !joinedEqual(al.aw[1:], al.bw[1:]) {
		return false
	}
	al.s = personScore{score: scoreGivenSameRestSpacing, facts: Facts{Spelling: true}, pairs: pairsOf(Pair{A: strings.Join(al.aw[1:], " "), B: strings.Join(al.bw[1:], " "), How: "spacing"})}
	return true
}

// ruleParticleDropped: a particle dropped on one side (VAN BEETHOVEN /
// BEETHOVEN, AL-SAYED / SAYED).
func (c *Comparer) ruleParticleDropped(al *alignment) bool {
	aLast, bLast := al.aw[len(al.aw)-1], al.bw[len(al.bw)-1]
	bare := al.a.bare
	if al.famHow == howNone && ((bare != "" && (bare == bLast || bare == al.bBare)) || (al.bBare != "" && al.bBare == aLast)) {
		al.aFam, al.bFam, al.famHow, al.particleMissing = len(al.aw)-1, len(al.bw)-1, howExact, true
	}
	return false
}

// ruleGiven: how the given names match.
func (c *Comparer) ruleGiven(al *alignment) bool {
	al.givenHow = c.match(al.aw[0], al.bw[0], true, false)
	return false
}

// ruleFamilyInitialOnly: only the family name's initial (AMY C for AMY CHEN).
func (c *Comparer) ruleFamilyInitialOnly(al *alignment) bool {
	if al.famHow != howNone || !al.famInitial || (al.givenHow != howExact && al.givenHow != howNickname) {
		return false
	}
	al.s.score = scoreFamilyInitialOnly
	al.s.facts.FirstOrLastNameOnly, al.s.facts.InitialMatch = true, true
	al.s.pairs.add(Pair{A: al.aw[0], B: al.bw[0], How: howNames[al.givenHow]})
	al.s.pairs.add(Pair{A: al.aw[len(al.aw)-1], B: al.bw[len(al.bw)-1], How: "initial"})
	return true
}

// ruleFamilyTwoTypos: with the given name the same, a long family name
// within the length-aware edit budget (two edits from seven letters:
// HOLLOWAY / HOLOWAYX), or one slip at its first letter (six letters:
// KOWALSKI / COWALSKI), is a likely misspelling: never strong, not another
// person either. Short names and given names keep the one-edit rule.
func (c *Comparer) ruleFamilyTwoTypos(al *alignment) bool {
	if al.famHow != howNone || (al.givenHow != howExact && al.givenHow != howNickname) {
		return false
	}
	a, b := al.aw[len(al.aw)-1], al.bw[len(al.bw)-1]
	if withinEditBudget(a, b) {
		al.aFam, al.bFam, al.famHow = len(al.aw)-1, len(al.bw)-1, howTwoTypos
	}
	return false
}

// ruleMiddles pairs the middle words left on either side: a missing one,
// one that conflicts, and what the matching ones cost.
func (c *Comparer) ruleMiddles(al *alignment) bool {
	aw, bw := al.aw, al.bw
	al.s.pairs.add(Pair{A: aw[0], B: bw[0], How: howNames[al.givenHow]})
	al.s.pairs.add(Pair{A: aw[al.aFam], B: bw[al.bFam], How: howNames[al.famHow]})
	for i := 1; i < len(aw); i++ {
		if i != al.aFam {
			al.aMid = append(al.aMid, aw[i])
		}
	}
	for j := 1; j < len(bw); j++ {
		if j != al.bFam {
			al.bMid = append(al.bMid, bw[j])
		}
	}
	al.midMissing = len(al.aMid) != len(al.bMid)
	if (al.aFam != len(aw)-1 || al.bFam != len(bw)-1) && !al.midMissing {
		al.midCost += costCompoundOrder // GARCIA LOPEZ / LOPEZ GARCIA
	}
	for _, m := range al.bMid {
		found := false
		for _, am := range al.aMid {
			if h := c.match(am, m, true, false); h != howNone {
				found = true
				al.midCost += midCostOf[h]
				al.s.pairs.add(Pair{A: am, B: m, How: howNames[h]})
				break
			}
		}
		if !found && len(al.aMid) > 0 {
			al.midConflict = true
			al.s.pairs.add(Pair{B: m, How: "conflict"})
		}
	}
	return false
}

// ruleOtherPerson: neither the given nor the family names match.
func (c *Comparer) ruleOtherPerson(al *alignment) bool {
	if al.givenHow != howNone || al.famHow != howNone {
		return false
	}
	al.s.score = scoreOtherPerson
	al.s.facts.SurnameMismatch = true
	return true
}

// ruleOtherFamily: the family names differ.
func (c *Comparer) ruleOtherFamily(al *alignment) bool {
	if al.famHow != howNone {
		return false
	}
	al.s.score = scoreOtherFamily
	al.s.facts.SurnameMismatch = true
	return true
}

// ruleOtherGiven: the family names agree, the given names do not, unless
// the owner goes by the identity's middle name (J ROBERT SMITH).
func (c *Comparer) ruleOtherGiven(al *alignment) bool {
	if al.givenHow != howNone {
		return false
	}
	for _, am := range al.aMid {
		if al.swapped || !c.given[am] {
			break
		}
		if h := c.match(am, al.bw[0], true, false); h == howExact || h == howNickname {
			al.s.score = scoreGoesByMiddle
			al.s.facts.FirstOrLastNameOnly = true
			return true
		}
	}
	al.s.score = scoreOtherGiven
	al.s.facts.FirstNameMismatch = true
	return true
}

// ruleSamePerson scores names that agree, less what each difference costs.
func (c *Comparer) ruleSamePerson(al *alignment) bool {
	s := &al.s
	s.score = scoreIdentical
	switch al.givenHow {
	case howNickname:
		s.score -= costNickname
		s.facts.NicknameMatch = true
	case howTypo:
		s.score -= costTypo
		s.facts.Typo = true
	case howInitial:
		s.score = min(s.score, capInitial)
		s.facts.InitialMatch = true
	case howTruncated:
		s.score -= costTruncatedGiven
		s.facts.Truncated = true
	}
	switch al.famHow {
	case howTypo:
		s.score -= costTypo
		s.facts.Typo = true
	case howTwoTypos:
		s.score = min(s.score, capFamilyTwoTypos)
		s.facts.Typo = true
	case howTruncated:
		s.facts.Truncated = true
		kept, full := len(al.bw[al.bFam]), len(al.aw[al.aFam])
		if kept >= minKeptLetters && kept*2 >= full {
			s.score -= costTruncatedFamily
		} else {
			s.score = min(s.score, capHeavyCut)
		}
	}
	s.score -= al.midCost
	s.facts.Spelling = al.midCost > 0
	if al.particleMissing {
		s.facts.Spelling = true
		s.score -= costParticle
		s.pairs.buf[1].How = "particle"
	}
	if al.midConflict {
		// JOHN R and JOHN T TOLKIEN may be father and son: not strong.
		s.score -= costMiddleConflict
		s.facts.MiddleNameConflict = true
	} else if al.midMissing {
		s.score -= costMiddleMissing
		s.facts.MiddleNameMissing = true
	}
	return true
}

// cutWords reports owner words bw that are the identity's first words, the
// last one possibly cut short: the bank's field ended inside the name.
func cutWords(aw, bw []string) bool {
	n := len(bw) - 1
	for i := 0; i < n; i++ {
		if aw[i] != bw[i] {
			return false
		}
	}
	return len(bw[n]) >= 2 && len(bw[n]) < len(aw[n]) && strings.HasPrefix(aw[n], bw[n])
}

// alignSingle handles a one-word name on either side.
func (c *Comparer) alignSingle(aw, bw []string, bTruncatable bool) personScore {
	var s personScore
	if len(aw) == 1 && len(bw) == 1 {
		h := c.match(aw[0], bw[0], false, bTruncatable)
		if h == howExact {
			s.score = scoreIdentical
		} else if h == howTypo {
			s.score, s.facts.Typo = scoreSingleTypo, true
		} else {
			s.score = scoreOtherPerson
		}
		s.pairs = pairsOf(Pair{A: aw[0], B: bw[0], How: howNames[h]})
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
			s.score = scoreOneNameOnly
			s.facts.FirstOrLastNameOnly = true
			s.pairs = pairsOf(Pair{A: w, B: one, How: howNames[h]})
			return s
		}
	}
	s.score = scoreOtherPerson
	return s
}
