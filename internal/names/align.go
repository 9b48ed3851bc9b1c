package names

import "strings"

func (c *Comparer) alignPeople(a person, bw []string, bBare string, bTruncatable, swapped bool) personScore {
	var s personScore
	aw := a.words
	if len(aw) == 0 || len(bw) == 0 {
		return s
	}
	if len(aw) != len(bw) && joinedEqual(aw, bw) {
		// Only the spacing differs: ANNE MARIE / ANNEMARIE, ABDUL RAHMAN / ABDULRAHMAN.
		return personScore{score: scoreSameButSpacing, facts: Facts{Spelling: true}, pairs: pairsOf(Pair{A: strings.Join(aw, " "), B: strings.Join(bw, " "), How: "spacing"})}
	}
	if len(aw) == 1 || len(bw) == 1 {
		return c.alignSingle(aw, bw, bTruncatable)
	}
	last := len(bw) - 1
	if bTruncatable && len(bw) < len(aw) && cutWords(aw, bw) {
		// A fixed-width field cut the name before the family name
		// (CHRISTOPHER ALEX for CHRISTOPHER ALEXANDER MONTGOMERY).
		s.score = scoreCutBeforeFamily
		s.facts.Truncated, s.facts.FirstOrLastNameOnly = true, true
		s.pairs = pairsOf(Pair{A: strings.Join(aw, " "), B: strings.Join(bw, " "), How: "truncated"})
		return s
	}
	// Family names: identity's last vs owner's last, else a compound part
	// (JOHNSON-REYES vs JOHNSON) or the joined words (VANDER BERG).
	aFam, bFam := len(aw)-1, last
	particleMissing := false
	famHow := c.match(aw[aFam], bw[bFam], false, bTruncatable)
	famInitial := famHow == howInitial
	if famHow == howNone || famHow == howInitial {
		famHow = howNone
		for i := 1; i < len(aw) && famHow == howNone; i++ {
			// An initial is never a family name: ANNA M is not ANNA M PRICE.
			if h := c.match(aw[i], bw[last], false, bTruncatable); (h == howExact || h == howTypo) && len(bw[last]) > 1 {
				aFam, famHow = i, h
			}
		}
		if famHow != howNone && aFam < len(aw)-1 && c.given[aw[aFam]] && !c.given[aw[len(aw)-1]] {
			// The owner's last word is the identity's middle name, and the
			// family name is missing (CHRISTOPHER ALEXANDER / CHRISTOPHER
			// ALEXANDER MONTGOMERY), unlike a compound family name
			// (SARAH JOHNSON / SARAH JOHNSON-REYES).
			if g := c.match(aw[0], bw[0], true, false); g == howExact || g == howNickname {
				s.score = scoreMiddleNotFamily
				s.facts.FirstOrLastNameOnly = true
				s.pairs.add(Pair{A: aw[0], B: bw[0], How: howNames[g]})
				s.pairs.add(Pair{A: aw[aFam], B: bw[last], How: "middle"})
				s.pairs.add(Pair{A: aw[len(aw)-1], How: "missing"})
				return s
			}
		}
		for j := 1; j < last && famHow == howNone; j++ {
			if h := c.match(aw[len(aw)-1], bw[j], false, false); (h == howExact || h == howTypo) && len(bw[j]) > 1 {
				bFam, famHow = j, h
			}
		}
		if famHow == howNone && joinedEqual(aw[1:], bw[1:]) {
			return personScore{score: scoreGivenSameRestSpacing, facts: Facts{Spelling: true}, pairs: pairsOf(Pair{A: strings.Join(aw[1:], " "), B: strings.Join(bw[1:], " "), How: "spacing"})}
		}
		// A particle dropped on one side: VAN BEETHOVEN / BEETHOVEN, AL-SAYED / SAYED.
		if famHow == howNone && ((a.bare != "" && (a.bare == bw[last] || a.bare == bBare)) || (bBare != "" && bBare == aw[len(aw)-1])) {
			aFam, bFam, famHow, particleMissing = len(aw)-1, last, howExact, true
		}
	}
	givenHow := c.match(aw[0], bw[0], true, false)
	if famHow == howNone && famInitial && (givenHow == howExact || givenHow == howNickname) {
		// Only the family name's initial: AMY C for AMY CHEN.
		s.score = scoreFamilyInitialOnly
		s.facts.FirstOrLastNameOnly, s.facts.InitialMatch = true, true
		s.pairs.add(Pair{A: aw[0], B: bw[0], How: howNames[givenHow]})
		s.pairs.add(Pair{A: aw[len(aw)-1], B: bw[last], How: "initial"})
		return s
	}
	s.pairs.add(Pair{A: aw[0], B: bw[0], How: howNames[givenHow]})
	s.pairs.add(Pair{A: aw[aFam], B: bw[bFam], How: howNames[famHow]})

	// Middle words left on either side.
	var aBuf, bBuf [6]string
	aMid, bMid := aBuf[:0], bBuf[:0]
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
	midCost := 0 // a middle initial for the full name is close, not identical
	if (aFam != len(aw)-1 || bFam != last) && !midMissing {
		midCost += costCompoundOrder // compound family name in another order: GARCIA LOPEZ / LOPEZ GARCIA
	}
	for _, m := range bMid {
		found := false
		for _, am := range aMid {
			if h := c.match(am, m, true, false); h != howNone {
				found = true
				midCost += midCostOf[h]
				s.pairs.add(Pair{A: am, B: m, How: howNames[h]})
				break
			}
		}
		if !found && len(aMid) > 0 {
			midConflict = true
			s.pairs.add(Pair{B: m, How: "conflict"})
		}
	}

	switch {
	case givenHow == howNone && famHow == howNone:
		s.score = scoreOtherPerson
		s.facts.SurnameMismatch = true // and the given names too: another person
		return s
	case famHow == howNone:
		s.score = scoreOtherFamily
		s.facts.SurnameMismatch = true
		return s
	case givenHow == howNone:
		// Maybe the owner goes by the middle name (J ROBERT SMITH).
		for _, am := range aMid {
			if swapped || !c.given[am] {
				break
			}
			if h := c.match(am, bw[0], true, false); h == howExact || h == howNickname {
				s.score = scoreGoesByMiddle
				s.facts.FirstOrLastNameOnly = true
				return s
			}
		}
		s.score = scoreOtherGiven
		s.facts.FirstNameMismatch = true
		return s
	}
	s.score = scoreIdentical
	switch givenHow {
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
	switch famHow {
	case howTypo:
		s.score -= costTypo
		s.facts.Typo = true
	case howTruncated:
		s.facts.Truncated = true
		kept, full := len(bw[bFam]), len(aw[aFam])
		if kept >= minKeptLetters && kept*2 >= full {
			s.score -= costTruncatedFamily
		} else {
			s.score = min(s.score, capHeavyCut)
		}
	}
	s.score -= midCost
	s.facts.Spelling = midCost > 0
	if particleMissing {
		s.facts.Spelling = true
		s.score -= costParticle
		s.pairs.buf[1].How = "particle"
	}
	if midConflict {
		// JOHN R and JOHN T TOLKIEN may be father and son: not strong.
		s.score -= costMiddleConflict
		s.facts.MiddleNameConflict = true
	} else if midMissing {
		s.score -= costMiddleMissing
		s.facts.MiddleNameMissing = true
	}
	return s
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
