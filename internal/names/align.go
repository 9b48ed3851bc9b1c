package names

import "strings"

// alignment is one alignment of identity a with owner words bw, built up
// by the alignment rules.
//
// The identity's and owner's words (aw, bw, given name first) are passed
// to each rule rather than kept here: stored behind the pointer, they
// would escape to the heap, and alignments are tried by the dozen.
type alignment struct {
	bTruncatable bool    // the bank may have cut bw short
	reading      reading // the order bw was read in from the owner's words
	// bareFamily: one family name is the other without its particles
	// (VAN BEETHOVEN / BEETHOVEN).
	bareFamily bool

	aFam, bFam      int  // the family names' positions
	famHow          int  // how the family names matched
	famInitial      bool // the owner's last word is the family name's initial
	particleMissing bool // VAN BEETHOVEN / BEETHOVEN
	givenHow        int  // how the given names matched

	aMidBuf, bMidBuf [maxMiddles]string // the middle words left on either side
	nAMid, nBMid     int
	midConflict      bool
	midMissing       bool
	midCost          int
	givenSkipped     bool // see ruleGivenNameSkipped

	s personScore
}

// alignPeople aligns identity a with owner words bw. The rules run in
// order; each either refines the alignment or settles it (returns true),
// which ends the run. Each rule has its own table test (align_test.go).
func (c *Comparer) alignPeople(a person, bw []string, bBare string, bTruncatable bool, r reading) personScore {
	aw := a.words
	al := newAlignment(a, bw, bBare, bTruncatable, r)
	_ = c.ruleNothing(&al, aw, bw) ||
		c.ruleSpacing(&al, aw, bw) ||
		c.ruleOneWord(&al, aw, bw) ||
		c.ruleCutBeforeFamily(&al, aw, bw) ||
		c.ruleFamilyLast(&al, aw, bw) ||
		c.ruleFamilyInIdentity(&al, aw, bw) ||
		c.ruleMiddleNotFamily(&al, aw, bw) ||
		c.ruleFamilyInOwner(&al, aw, bw) ||
		c.ruleRestSpacing(&al, aw, bw) ||
		c.ruleParticleDropped(&al, aw, bw) ||
		c.ruleGiven(&al, aw, bw) ||
		c.ruleFamilyInitialOnly(&al, aw, bw) ||
		c.ruleSlip(&al, aw, bw) ||
		c.ruleMiddles(&al, aw, bw) ||
		c.ruleOtherPerson(&al, aw, bw) ||
		c.ruleOtherFamily(&al, aw, bw) ||
		c.ruleOtherGiven(&al, aw, bw) ||
		c.ruleGivenNameSkipped(&al, aw, bw) ||
		c.ruleSamePerson(&al, aw, bw)
	return al.s
}

func newAlignment(a person, bw []string, bBare string, bTruncatable bool, r reading) alignment {
	al := alignment{bTruncatable: bTruncatable, reading: r}
	if aw := a.words; len(aw) > 0 && len(bw) > 0 {
		al.bareFamily = (a.bare != "" && (a.bare == bw[len(bw)-1] || a.bare == bBare)) || (bBare != "" && bBare == aw[len(aw)-1])
	}
	return al
}

// ruleNothing: an empty side matches nothing.
func (c *Comparer) ruleNothing(al *alignment, aw, bw []string) bool {
	return len(aw) == 0 || len(bw) == 0
}

// ruleSpacing: only the spacing differs (ANNE MARIE / ANNEMARIE, ABDUL
// RAHMAN / ABDULRAHMAN).
func (c *Comparer) ruleSpacing(al *alignment, aw, bw []string) bool {
	if len(aw) == len(bw) || !joinedEqual(aw, bw) {
		return false
	}
	al.s = personScore{score: scoreSameButSpacing, facts: Facts{Spelling: true}, pairs: pairsOf(Pair{A: strings.Join(aw, " "), B: strings.Join(bw, " "), How: "spacing"})}
	return true
}

// ruleOneWord: a one-word name on either side (see alignSingle).
func (c *Comparer) ruleOneWord(al *alignment, aw, bw []string) bool {
	if len(aw) != 1 && len(bw) != 1 {
		return false
	}
	al.s = c.alignSingle(aw, bw, al.bTruncatable)
	return true
}

// ruleCutBeforeFamily: a fixed-width field cut the name before the family
// name (CHRISTOPHER ALEX for CHRISTOPHER ALEXANDER MONTGOMERY).
func (c *Comparer) ruleCutBeforeFamily(al *alignment, aw, bw []string) bool {
	if !al.bTruncatable || len(bw) >= len(aw) || !cutWords(aw, bw) {
		return false
	}
	al.s.score = scoreCutBeforeFamily
	al.s.facts.Truncated, al.s.facts.FirstOrLastNameOnly = true, true
	al.s.pairs = pairsOf(Pair{A: strings.Join(aw, " "), B: strings.Join(bw, " "), How: "truncated"})
	return true
}

// ruleFamilyLast: the family names are the last words. A bare initial is
// noted (famInitial) but is no family name match.
func (c *Comparer) ruleFamilyLast(al *alignment, aw, bw []string) bool {
	al.aFam, al.bFam = len(aw)-1, len(bw)-1
	al.famHow = c.match(aw[al.aFam], bw[al.bFam], false, al.bTruncatable)
	al.famInitial = al.famHow == howInitial
	if al.famHow == howInitial {
		al.famHow = howNone
	}
	return false
}

// ruleFamilyInIdentity: the owner's family name is an inner word of the
// identity's: a compound family name (SARAH JOHNSON / SARAH JOHNSON-REYES).
// An initial is never a family name: ANNA M is not ANNA M PRICE.
func (c *Comparer) ruleFamilyInIdentity(al *alignment, aw, bw []string) bool {
	last := bw[len(bw)-1]
	for i := 1; i < len(aw) && al.famHow == howNone && len(last) > 1; i++ {
		if h := c.match(aw[i], last, false, al.bTruncatable); h == howExact || h == howTypo {
			al.aFam, al.famHow = i, h
		}
	}
	return false
}

// ruleMiddleNotFamily: the owner's last word is the identity's middle
// name, and the family name is missing (CHRISTOPHER ALEXANDER / CHRISTOPHER
// ALEXANDER MONTGOMERY), unlike a compound family name.
func (c *Comparer) ruleMiddleNotFamily(al *alignment, aw, bw []string) bool {
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
// owner's (SARAH JOHNSON REYES / SARAH JOHNSON). Not in a reading whose
// family name is the owner's first written word: there the inner word is a
// given name, and the family name would go unmatched (NEW JOHN SMITH read
// as family name NEW, middle name SMITH).
func (c *Comparer) ruleFamilyInOwner(al *alignment, aw, bw []string) bool {
	fam := aw[len(aw)-1]
	for j := 1; j < len(bw)-1 && al.famHow == howNone && !al.reading.familyFirst(); j++ {
		if h := c.match(fam, bw[j], false, false); (h == howExact || h == howTypo) && len(bw[j]) > 1 {
			al.bFam, al.famHow = j, h
		}
	}
	return false
}

// ruleRestSpacing: the given names agree and the rest differs only in
// spacing (MARY ANNE MARIE LEE / MARY ANNEMARIE LEE).
func (c *Comparer) ruleRestSpacing(al *alignment, aw, bw []string) bool {
	if al.famHow != howNone || !joinedEqual(aw[1:], bw[1:]) {
		return false
	}
	al.s = personScore{score: scoreGivenSameRestSpacing, facts: Facts{Spelling: true}, pairs: pairsOf(Pair{A: strings.Join(aw[1:], " "), B: strings.Join(bw[1:], " "), How: "spacing"})}
	return true
}

// ruleParticleDropped: a particle dropped on one side (VAN BEETHOVEN /
// BEETHOVEN, AL-SAYED / SAYED).
func (c *Comparer) ruleParticleDropped(al *alignment, aw, bw []string) bool {
	if al.famHow == howNone && al.bareFamily {
		al.aFam, al.bFam, al.famHow, al.particleMissing = len(aw)-1, len(bw)-1, howExact, true
	}
	return false
}

// ruleGiven: how the given names match.
func (c *Comparer) ruleGiven(al *alignment, aw, bw []string) bool {
	al.givenHow = c.match(aw[0], bw[0], true, false)
	return false
}

// ruleFamilyInitialOnly: only the family name's initial (AMY C for AMY CHEN).
func (c *Comparer) ruleFamilyInitialOnly(al *alignment, aw, bw []string) bool {
	if al.famHow != howNone || !al.famInitial || (al.givenHow != howExact && al.givenHow != howNickname) {
		return false
	}
	al.s.score = scoreFamilyInitialOnly
	al.s.facts.FirstOrLastNameOnly, al.s.facts.InitialMatch = true, true
	al.s.pairs.add(Pair{A: aw[0], B: bw[0], How: howNames[al.givenHow]})
	al.s.pairs.add(Pair{A: aw[len(aw)-1], B: bw[len(bw)-1], How: "initial"})
	return true
}

// ruleSlip: with the other name the same, a misspelling beyond the
// one-edit typo the policy passes on is likely the same person, but never
// strong (review), and not another person either. The budget follows the
// length: two edits in a long family name (HOLLOWAY / HOLOWAYX), one at
// the first letter of a long one (KOWALSKI / COWALSKI), one edit in a
// three-letter name (LEE / LEI, JOHN / JHN). Two known given names
// (MARK / MARY) stay two people.
func (c *Comparer) ruleSlip(al *alignment, aw, bw []string) bool {
	aF, bF := aw[len(aw)-1], bw[len(bw)-1]
	switch {
	case al.famHow == howNone && (al.givenHow == howExact || al.givenHow == howNickname) && withinEditBudget(aF, bF):
		al.aFam, al.bFam, al.famHow = len(aw)-1, len(bw)-1, howSlip
	case al.famHow == howNone && al.givenHow != howNone && al.givenHow != howInitial && shortSlip(aF, bF):
		al.aFam, al.bFam, al.famHow = len(aw)-1, len(bw)-1, howSlip
	case al.givenHow == howNone && (al.famHow == howExact || al.famHow == howTypo) &&
		!(c.given[aw[0]] && c.given[bw[0]]) && shortSlip(aw[0], bw[0]):
		al.givenHow = howSlip
	}
	return false
}

// ruleMiddles pairs the middle words left on either side: a missing one,
// one that conflicts, and what the matching ones cost.
func (c *Comparer) ruleMiddles(al *alignment, aw, bw []string) bool {
	al.s.pairs.add(Pair{A: aw[0], B: bw[0], How: howNames[al.givenHow]})
	al.s.pairs.add(Pair{A: aw[al.aFam], B: bw[al.bFam], How: howNames[al.famHow]})
	aMid, bMid := al.aMidBuf[:0], al.bMidBuf[:0]
	for i := 1; i < len(aw); i++ {
		if i != al.aFam && len(aMid) < maxMiddles {
			aMid = append(aMid, aw[i])
		}
	}
	for j := 1; j < len(bw); j++ {
		if j != al.bFam && len(bMid) < maxMiddles {
			bMid = append(bMid, bw[j])
		}
	}
	al.nAMid, al.nBMid = len(aMid), len(bMid)
	if len(aw)-2 > maxMiddles || len(bw)-2 > maxMiddles {
		al.midConflict = true // more middle words than any name has: not one person's name
	}
	al.midMissing = len(aMid) != len(bMid)
	if (al.aFam != len(aw)-1 || al.bFam != len(bw)-1) && !al.midMissing {
		al.midCost += costCompoundOrder // GARCIA LOPEZ / LOPEZ GARCIA
	}
	for _, m := range bMid {
		found := false
		for _, am := range aMid {
			if h := c.match(am, m, true, false); h != howNone {
				found = true
				al.midCost += midCostOf[h]
				al.s.pairs.add(Pair{A: am, B: m, How: howNames[h]})
				break
			}
		}
		if !found && len(aMid) > 0 {
			al.midConflict = true
			al.s.pairs.add(Pair{B: m, How: "conflict"})
		}
	}
	return false
}

// ruleOtherPerson: neither the given nor the family names match.
func (c *Comparer) ruleOtherPerson(al *alignment, aw, bw []string) bool {
	if al.givenHow != howNone || al.famHow != howNone {
		return false
	}
	al.s.score = scoreOtherPerson
	al.s.facts.SurnameMismatch = true
	return true
}

// ruleOtherFamily: the family names differ.
func (c *Comparer) ruleOtherFamily(al *alignment, aw, bw []string) bool {
	if al.famHow != howNone {
		return false
	}
	al.s.score = scoreOtherFamily
	al.s.facts.SurnameMismatch = true
	return true
}

// ruleOtherGiven: the family names agree, the given names do not, unless
// one side's given name is the other's middle name (see goesByMiddle).
func (c *Comparer) ruleOtherGiven(al *alignment, aw, bw []string) bool {
	if al.givenHow != howNone {
		return false
	}
	if !c.goesByMiddle(al, aw, bw) {
		al.s.score = scoreOtherGiven
		al.s.facts.FirstNameMismatch = true
	}
	return true
}

// goesByMiddle scores a given name that is the other side's middle name:
// the identity's middle the owner's given name (J ROBERT SMITH / ROBERT
// SMITH), or the owner's middle the identity's given name. An owner's
// first given name that is a full word the identity lacks (DAVID JOHN
// SMITH, NEW JOHN SMITH / JOHN SMITH) may be the same person going by the
// middle name, or a family member at the same address with no JR/SR
// written: partial. A bare initial before it (J ROBERT SMITH / ROBERT
// SMITH) is how banks write a person known by the middle name.
func (c *Comparer) goesByMiddle(al *alignment, aw, bw []string) bool {
	// Only where the given names are read in their written order and the
	// family names are both last: not a reading's stray word.
	if al.reading != readAsWritten && al.reading != readLastFirst || al.aFam != len(aw)-1 || al.bFam != len(bw)-1 {
		return false
	}
	for _, am := range al.aMidBuf[:al.nAMid] {
		if !c.given[am] {
			break
		}
		if h := c.match(am, bw[0], true, false); h == howExact || h == howNickname {
			al.s.score = scoreGoesByMiddle
			al.s.facts.GivenNameIsMiddle = true
			return true
		}
	}
	for _, bm := range al.bMidBuf[:al.nBMid] {
		if h := c.match(aw[0], bm, true, false); h == howExact || h == howNickname {
			al.s.score = scoreGoesByMiddle
			if len(bw[0]) == 1 && al.famHow == howExact {
				al.s.score = scoreInitialThenMiddle
				if h == howNickname {
					al.s.score -= costNickname
					al.s.facts.NicknameMatch = true
				}
			}
			al.s.facts.GivenNameIsMiddle = true
			al.s.pairs.buf[0] = Pair{A: aw[0], B: bm, How: howNames[h]}
			al.s.pairs.add(Pair{B: bw[0], How: "missing"})
			return true
		}
	}
	return false
}

// ruleGivenNameSkipped: in a reading that takes the identity's given name
// from the owner's last written word (NGUYEN THI LAN, GARCIA LOPEZ JUAN),
// an owner word the identity lacks that is a known given name (DAVID in
// SMITH DAVID JOHN or SMITH JOHN DAVID for JOHN SMITH) is as likely the
// owner's given name: read LAST FIRST MIDDLE, as banks mostly write a name
// family name first, the identity's given name is the owner's middle name
// (see goesByMiddle). ruleSamePerson caps the score.
func (c *Comparer) ruleGivenNameSkipped(al *alignment, aw, bw []string) bool {
	if al.reading != readLastMiddleFirst && al.reading != readGivenLast {
		return false
	}
	for j := 1; j < len(bw) && !al.givenSkipped; j++ {
		w := bw[j]
		al.givenSkipped = j != al.bFam && len(w) > 1 && c.given[w] && !c.matchesAny(aw[1:], w)
	}
	return false
}

// matchesAny reports whether any of words matches w as a given name.
func (c *Comparer) matchesAny(words []string, w string) bool {
	for _, x := range words {
		if c.match(x, w, true, false) != howNone {
			return true
		}
	}
	return false
}

// ruleSamePerson scores names that agree, less what each difference costs.
func (c *Comparer) ruleSamePerson(al *alignment, aw, bw []string) bool {
	s := &al.s
	s.score = scoreIdentical
	switch al.givenHow {
	case howNickname:
		s.score -= costNickname
		s.facts.NicknameMatch = true
	case howNickSibling:
		s.score = min(s.score, capNickSibling)
		s.facts.NicknameMatch = true
	case howTypo:
		s.score -= costTypo
		s.facts.Typo = true
	case howInitial:
		s.score = min(s.score, capInitial)
		s.facts.InitialMatch = true
	case howSlip:
		s.score = min(s.score, capSlip)
		s.facts.Typo = true
	case howTruncated:
		s.score -= costTruncatedGiven
		s.facts.Truncated = true
	}
	switch al.famHow {
	case howTypo:
		s.score -= costTypo
		s.facts.Typo = true
	case howSlip:
		s.score = min(s.score, capSlip)
		s.facts.Typo = true
	case howTruncated:
		s.facts.Truncated = true
		kept, full := len(bw[al.bFam]), len(aw[al.aFam])
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
	if al.givenSkipped {
		s.score = min(s.score, scoreGoesByMiddle)
		s.facts.GivenNameIsMiddle = true
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
