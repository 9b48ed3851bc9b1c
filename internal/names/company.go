package names

import "strings"

// looksBusiness reports whether a name is a business: a legal form or a
// business word. Generic words are not enough (JOHN WEST, MARY BEST).
// Where a person is expected, ownerIsBusiness asks for more context.
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

type company struct {
	words []string // canonical words, legal forms and THE/AND removed, numbers folded
	forms []string // canonical legal forms
	// formWord is the first legal form as written (INCORPORATED), which a
	// bank that cut the string may have kept the start of (ACME INCORP).
	formWord string
}

func (c *Comparer) parseCompany(toks []string) company {
	var co company
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t == "," || t == "&" || t == "(" || t == "AND" || t == "THE" || c.foreignAnd(toks, i) {
			continue
		}
		if i == 0 && c.titles[t] && len(toks) > 2 && c.given[toks[1]] {
			continue // DR JOHN SMITH DDS PC; DR PEPPER keeps its DR
		}
		if i > 0 {
			n, form := c.legalFormAt(toks, i)
			if n > 0 {
				if co.formWord == "" {
					co.formWord = t
				}
				co.forms = append(co.forms, form)
				i += n - 1
				continue
			}
		}
		if canon, ok := c.abbrev[t]; ok && c.biz.ambiguous[t] == nil {
			t = canon
		}
		co.words = append(co.words, t)
	}
	co.words = foldNumbers(co.words)
	return co
}

// foreignAnd reports toks[i] being AND in another language between two
// words of a company name (DUPONT ET FILS, ROSSI E FIGLI, GARCIA Y
// HERMANOS, MEYER UND SOHN), not an initial after a given name (JOHN E
// SMITH CONSULTING).
func (c *Comparer) foreignAnd(toks []string, i int) bool {
	switch toks[i] {
	case "ET", "UND", "Y", "E":
		return i > 0 && i < len(toks)-1 && !c.given[toks[i-1]]
	}
	return false
}

// legalFormAt reports the legal form starting at toks[i] (i > 0): its
// length in tokens and canonical form. Forms that are also words or
// initials (AB, AG, SA) count only at the end of the name.
func (c *Comparer) legalFormAt(toks []string, i int) (int, string) {
	if n := matchLegalMulti(c, toks, i); n > 0 {
		for _, ph := range c.legalMulti[toks[i]] {
			if len(ph)-1 == n {
				return n, ph[len(ph)-1]
			}
		}
	}
	if f, ok := c.legal[toks[i]]; ok {
		return 1, f
	}
	return c.trailingForm(toks, i)
}

type companyScore struct {
	score int
	facts Facts
	pairs []Pair
}

// companyWord matches identity word w with owner word v. Generic words may
// also be abbreviated (companyVariant); typos count only in longer words
// (DENTL, RIVERSDIE), never in short ones (EAST/WEST). series: w or v is a
// designator of a sister entity (seriesAt).
func (c *Comparer) companyWord(w, v string, series, truncatable bool) int {
	if w != v && series {
		// ACME HOLDINGS II is not ACME HOLDINGS III, but is ACME HOLDINGS 2
		if n := seriesValue(w); n > 0 && n == seriesValue(v) {
			return howExact
		}
		return howNone
	}
	if c.ambiguousAbbrev(w, v) {
		return howExact // ST for SAINT or STREET, as any abbreviation
	}
	h := c.match(w, v, false, truncatable)
	if (h == howTypo || h == howNone) && c.companyVariant(w, v) {
		return howAbbrev
	}
	switch h {
	case howInitial:
		return howNone
	case howTypo:
		if len(w) < 5 || ((c.generic[w] || c.generic[v]) && len(w) < 6) {
			return howNone
		}
		return c.realWordTypo(w, v)
	}
	return h
}

// realWordTypo judges a one-edit difference between company words that
// the dictionaries know: two known words are two words, never a typo
// (PAINTING / PRINTING, MARYS / MARKS); one letter put for another in a
// known word (LODGE / LEDGE, STORE / STONE) or in a short one (MULLER /
// MILLER, LOPEZ / LOPES, GLASS / GRASS) is as often another word as a
// slip of the keys: misspelt, for review. A letter dropped, added or two
// swapped (DENTL, RIVERSDIE) stays a typo, as does one put for another in
// a long unknown word (COPPERLIME).
func (c *Comparer) realWordTypo(w, v string) int {
	wk, vk := c.knownWord(w), c.knownWord(v)
	switch {
	case wk && vk:
		return howNone
	case (wk || vk || len(w) < minSubstitutionTypo) && substitution(w, v), genderedSurname(w, v) || genderedSurname(v, w):
		return howSlip
	}
	return howTypo
}

// genderedSurname reports f being the feminine form of the family name m
// (KOWALSKI / KOWALSKA, NOVAK / NOVAKOVA, IVANOV / IVANOVA): a wife or
// daughter as often as a typo.
func genderedSurname(m, f string) bool {
	switch {
	case len(m) == len(f) && len(m) > 3 && m[:len(m)-1] == f[:len(f)-1]:
		return strings.HasSuffix(m, "KI") && strings.HasSuffix(f, "KA")
	case len(f) == len(m)+1 && f[:len(m)] == m && f[len(m)] == 'A':
		return strings.HasSuffix(m, "OV") || strings.HasSuffix(m, "EV") || strings.HasSuffix(m, "IN")
	}
	return false
}

// knownWord reports a word of the company or given-name dictionaries,
// possessive or plural S aside (MARYS: MARY).
func (c *Comparer) knownWord(w string) bool {
	if c.biz.vocab[w] {
		return true
	}
	s := strings.TrimSuffix(w, "S")
	return len(s) < len(w) && len(s) >= 3 && c.biz.vocab[s]
}

// substitution reports two words of one length that differ in exactly
// one letter.
func substitution(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	n := 0
	for i := 0; i < len(a); i++ {
		if a[i] != b[i] {
			n++
		}
	}
	return n == 1
}

// compareCompanies compares identity a with owner b. cutAt is the length
// of the whole owner string when b ends it (the bank may have cut it
// there), else 0.
func (c *Comparer) compareCompanies(a, b company, cutAt int) companyScore {
	var s companyScore
	// A legal form after the last word shows the string was not cut.
	bTruncatable := cutAt > 0 && len(b.forms) == 0
	if len(a.words) == 0 || len(b.words) == 0 {
		return s
	}
	aWords, bWords := a.words, b.words // as written, for the alignment shown
	a, b, k := c.contractExpansions(a, b)
	if joinedEqual(a.words, b.words) {
		s.score = scoreIdentical - costCompanyAbbrev*k.implied
		s.facts.Spelling = k.implied > 0
		s.pairs = []Pair{{A: strings.Join(aWords, " "), B: strings.Join(bWords, " "), How: "exact"}}
		if k.n > 0 {
			s.pairs[0].How = "abbreviation"
		}
		if k.n > 0 && c.onlyByExpansion(a.words, b.words) {
			// MS CONSULTING / MIDDLE SCHOOL CONSULTING: as an acronym.
			s.score, s.facts.Acronym, s.facts.Spelling, s.pairs[0].How = scoreAcronym, true, false, "acronym"
			return s
		}
	} else if acr, ok := c.acronym(a.words, b.words); ok {
		// IBM / INTERNATIONAL BUSINESS MACHINES: plausible, not established.
		s.score = scoreAcronym
		s.facts.Acronym = true
		s.pairs = []Pair{acr}
		return s
	} else if done := c.scoreCompanyWords(&s, a, b, bTruncatable, cutAt); done {
		return s
	}
	if len(a.forms) > 0 && len(b.forms) > 0 && a.forms[len(a.forms)-1] != b.forms[len(b.forms)-1] {
		s.score -= costLegalFormOther
		s.facts.LegalFormMismatch = true
	}
	return s
}

// wordAlignment is how the words of two company names paired up.
type wordAlignment struct {
	usedB, matchedA             []bool
	distinctive, typos, abbrevs int
	slips                       int // a letter put for another in a known word: realWordTypo
	truncated, reordered        bool
	// swapped: two neighbouring proper words change places (LAKE FOREST /
	// FOREST LAKE): another name, not another order of one (properSwap).
	swapped bool
	// shortCut: the cut fragment is a single letter after too few words
	// to tell a cut from another name (SUNRISE B): review at most.
	shortCut    bool
	lastMatched int // the identity's last matched word, or -1
}

// alignCompanyWords pairs each identity word with the first unused owner
// word that matches it, appending the pairs to s.pairs. The buffers keep
// a dozen words off the heap.
func (c *Comparer) alignCompanyWords(s *companyScore, a, b company, bTruncatable bool, usedBuf, matchedBuf []bool) wordAlignment {
	al := wordAlignment{usedB: usedBuf[:0], matchedA: matchedBuf[:0], lastMatched: -1}
	if len(b.words) > cap(usedBuf) || len(a.words) > cap(matchedBuf) {
		al.usedB, al.matchedA = make([]bool, 0, len(b.words)), make([]bool, 0, len(a.words))
	}
	al.usedB, al.matchedA = al.usedB[:len(b.words)], al.matchedA[:len(a.words)]
	prevI, prevJ := -1, -1
	for i, w := range a.words {
		for j, v := range b.words {
			if al.usedB[j] {
				continue
			}
			h := c.companyWord(w, v, c.seriesAt(a.words, i) || c.seriesAt(b.words, j), bTruncatable && j == len(b.words)-1)
			if h == howNone {
				continue
			}
			al.usedB[j], al.matchedA[i] = true, true
			al.lastMatched = i
			al.reordered = al.reordered || j < prevJ
			al.swapped = al.swapped || (prevI == i-1 && prevJ == j+1 && len(a.words) > 2 && c.properSwap(a.words[i-1], w))
			prevI, prevJ = i, j
			s.pairs = append(s.pairs, Pair{A: w, B: v, How: howNames[h]})
			if !c.generic[w] {
				al.distinctive++
			}
			switch h {
			case howTypo:
				al.typos++
			case howAbbrev:
				al.abbrevs++
			case howSlip:
				al.slips++
			case howTruncated:
				al.truncated = true
			}
			break
		}
	}
	if bTruncatable && !al.reordered {
		c.alignFragment(s, &al, a, b)
	}
	return al
}

// alignFragment reads an unmatched last owner word as a bank's cut when it
// is the start of the identity's next word or legal form, after the words
// before it agreed in order: ACME WIDGETS I (INC), LINDQVIST OPTIK A (AG),
// ROSE GARDEN H (HOMES). A single letter counts here (after fewer than
// minWordsBeforeLetter agreeing words, for review only); elsewhere an
// initial never matches a company word.
func (c *Comparer) alignFragment(s *companyScore, al *wordAlignment, a, b company) {
	last := len(b.words) - 1
	if last < 1 || al.usedB[last] || al.distinctive == 0 {
		return
	}
	for j := 0; j < last; j++ {
		if !al.usedB[j] {
			return
		}
	}
	frag, next := b.words[last], al.lastMatched+1
	switch {
	case next < len(a.words):
		if w := a.words[next]; len(frag) < len(w) && strings.HasPrefix(w, frag) {
			al.matchedA[next], al.lastMatched = true, next
			s.pairs = append(s.pairs, Pair{A: w, B: frag, How: howNames[howTruncated]})
		} else {
			return
		}
	case len(a.forms) > 0 && c.cutOfForm(a.forms[0], frag):
		s.pairs = append(s.pairs, Pair{A: a.formWord, B: frag, How: howNames[howTruncated]})
	default:
		return
	}
	al.usedB[last], al.truncated = true, true
	al.shortCut = len(frag) == 1 && last < minWordsBeforeLetter
}

// cutOfForm reports frag being the start of a spelling of legal form
// canon (INCORPO for INC, LIMI for LLC: LIMITED LIABILITY COMPANY).
func (c *Comparer) cutOfForm(canon, frag string) bool {
	if isCut(canon, frag) {
		return true
	}
	for _, w := range c.biz.formSpellings[canon] {
		if isCut(w, frag) {
			return true
		}
	}
	return false
}

// isCut reports frag being a shorter start of w.
func isCut(w, frag string) bool { return len(frag) < len(w) && strings.HasPrefix(w, frag) }

// scoreCompanyWords scores two company names that are not the same letters,
// word by word. done: s is final (no legal-form deduction).
func (c *Comparer) scoreCompanyWords(s *companyScore, a, b company, bTruncatable bool, cutAt int) (done bool) {
	var usedBuf, matchedBuf [16]bool
	al := c.alignCompanyWords(s, a, b, bTruncatable, usedBuf[:], matchedBuf[:])
	unmatchedB, genericMissing, seriesMissing, otherMissing := 0, false, false, false
	for j, used := range al.usedB {
		if !used {
			unmatchedB++
			genericMissing = genericMissing || c.generic[b.words[j]]
			seriesMissing = seriesMissing || c.seriesAt(b.words, j)
			otherMissing = otherMissing || !c.seriesAt(b.words, j)
			s.pairs = append(s.pairs, Pair{B: b.words[j], How: "missing"})
		}
	}
	unmatchedA, tailOnly := 0, true
	for i, matched := range al.matchedA {
		if !matched {
			unmatchedA++
			genericMissing = genericMissing || c.generic[a.words[i]]
			seriesMissing = seriesMissing || c.seriesAt(a.words, i)
			otherMissing = otherMissing || !c.seriesAt(a.words, i)
			s.pairs = append(s.pairs, Pair{A: a.words[i], How: "missing"})
			if i < al.lastMatched {
				tailOnly = false
			}
		}
	}
	if unmatchedA+unmatchedB > 0 && al.distinctive > 0 && onlyOf(s.pairs) {
		// BANK OZARKS / BANK OF THE OZARKS: OF is all that differs.
		unmatchedA, unmatchedB = 0, 0
		al.abbrevs++
	}
	// The bank cut the name: the owner's words are the identity's first
	// words, the last one possibly cut, and the string is long or ends in
	// a cut word (ROSE GARDEN H, DAVID ORTEGA LANDSC).
	cut := bTruncatable && unmatchedB == 0 && unmatchedA > 0 && tailOnly && len(b.words) >= 2 &&
		(cutAt >= minCutLength || al.truncated)
	s.facts.SeriesMismatch = seriesMissing
	switch {
	case unmatchedA == 0 && unmatchedB == 0:
		s.score = scoreIdentical - costCompanyTypo*al.typos - costCompanyAbbrev*al.abbrevs
		s.facts.Spelling = al.abbrevs > 0
		if al.reordered {
			// JOHN SMITH LAW OFFICE / LAW OFFICE OF JOHN SMITH: the same
			// words in another order
			s.score -= costCompanyReorder
			s.facts.Spelling = true
		}
		if al.swapped {
			// LAKE FOREST BANK / FOREST LAKE BANK: the same words, not the
			// same name
			s.score = min(s.score, capProperSwap)
		}
		if al.truncated {
			s.score -= costCompanyTruncated
			s.facts.Truncated = true
		}
		s.facts.Typo = al.typos > 0
	case cut && al.distinctive > 0 && seriesMissing:
		// NORTHGATE CAPITAL FUND for NORTHGATE CAPITAL FUND II: the cut
		// may have taken the number that tells sister entities apart.
		s.score = scoreSeriesCut
		s.facts.Truncated = true
	case cut && al.distinctive > 0:
		s.score = scoreCompanyCut - costCompanyTypo*al.typos
		s.facts.Truncated, s.facts.Typo = true, al.typos > 0
	case al.distinctive == 0:
		shared := len(s.pairs) - unmatchedA - unmatchedB
		s.score = min(scoreGenericBase+scoreGenericPerWord*shared, capGenericOnly)
		s.facts.GenericOnly = shared > 0
		s.facts.DistinctiveMismatch = true
		return true
	case (unmatchedA == 0 || unmatchedB == 0) && !genericMissing && !seriesMissing:
		// One side lacks a descriptive word and the rest agrees
		// (SWEET CRUMB LLC / SWEET CRUMB BAKERY LLC): plausible, not
		// established. A missing generic word (ACME LOGISTICS / ACME
		// CORP, UNITED AIRLINES HOLDINGS) or series number (ACME HOLDINGS
		// II) is another legal entity.
		s.score = scoreWordMissing - costCompanyTypo*al.typos
		s.facts.WordMissing, s.facts.Typo = true, al.typos > 0
	case seriesMissing && !otherMissing && al.distinctive > 0:
		// ACME FUND II / ACME FUND III, SERIES A / SERIES B: the same name
		// but for the designator: a sister entity, not another name.
		s.score = scoreSisterEntity
		return true
	default:
		s.score = scoreDistinctiveOther
		s.facts.DistinctiveMismatch = true
		return true
	}
	if al.shortCut {
		s.score = min(s.score, scoreShortCut)
	}
	if al.slips > 0 {
		s.score = min(s.score, capCompanySlip)
		s.facts.Typo = true
	}
	return false
}

// properSwap reports two words that, swapped, make another name: proper
// words no dictionary knows as a company, organization or given name
// (LAKE FOREST / FOREST LAKE, ROCK RIVER / RIVER ROCK). A given name
// swapped with a family name is one person's name in another order (SMITH
// JOHN CONSULTING); a trade word swapped is another order of one name.
// The caller asks it only of names of three words or more: two words
// alone may be a person's name written LAST FIRST (SATO HANA).
func (c *Comparer) properSwap(a, b string) bool {
	for _, w := range [2]string{a, b} {
		if c.generic[w] || c.business[w] || c.biz.org[w] || c.given[w] || isSeries(w) {
			return false
		}
	}
	return true
}

// isSeries reports a number or roman numeral that tells sibling entities
// apart (ACME HOLDINGS II, FUND I, LUNA CAFE 2): missing on one side or
// different, it makes another company. After a company name a roman
// numeral is a series, never a generational suffix.
func isSeries(w string) bool {
	if romanValue(w) > 0 {
		return true
	}
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return len(w) > 0
}

// onlyOf reports that every word left unpaired is OF.
func onlyOf(pairs []Pair) bool {
	for _, p := range pairs {
		if p.How == "missing" && p.A+p.B != "OF" {
			return false
		}
	}
	return true
}

// seriesValue is the number a series word stands for (II and 2 are 2),
// or 0.
func seriesValue(w string) int {
	if n := romanValue(w); n > 0 {
		return n
	}
	n := 0
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' || n > 1e6 {
			return 0
		}
		n = n*10 + int(w[i]-'0')
	}
	return n
}

// romanValue reads the roman numerals isSeries knows (I to XII), else 0.
func romanValue(w string) int {
	for i, r := range romanNumerals {
		if w == r {
			return i + 1
		}
	}
	return 0
}

var romanNumerals = [...]string{"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"}

func joinedLen(words []string) int {
	n := len(words) - 1
	for _, w := range words {
		n += len(w)
	}
	return n
}

// acronym reports one side being a single word made of the initials of the
// other side's words (OF left out): IBM / INTERNATIONAL BUSINESS MACHINES.
func (c *Comparer) acronym(a, b []string) (Pair, bool) {
	one, many := a, b
	if len(a) > 1 {
		one, many = b, a
	}
	if len(one) != 1 || len(many) < 2 || len(one[0]) < 2 {
		return Pair{}, false
	}
	w, k := one[0], 0
	for _, m := range many {
		if m == "OF" {
			continue
		}
		if k >= len(w) || m[0] != w[k] {
			return Pair{}, false
		}
		k++
	}
	if k != len(w) {
		return Pair{}, false
	}
	if len(a) == 1 {
		return Pair{A: w, B: strings.Join(many, " "), How: "acronym"}, true
	}
	return Pair{A: strings.Join(many, " "), B: w, How: "acronym"}, true
}

// splitSegments splits an owner string that holds more than a business
// name, appending the segments to segs when there are several: after a
// legal form followed by more words (ACME LLC AND JOHN DOE, ACME INC ATTN
// ACCOUNTS PAYABLE), at commas, and at member words (NADIA FAROUK SOLE MBR
// FAROUK TRANSLATIONS LLC). Separators, role and member words that open a
// segment are dropped.
func (c *Comparer) splitSegments(toks []string, segs [][]string) [][]string {
	n0, lastNext := len(segs), len(toks)
	start := c.skipSeparators(toks, 0)
	for i := start + 1; i < len(toks); i++ {
		end, next := -1, -1
		switch {
		case toks[i] == ",":
			if c.relatedEntity(toks[i+1:]) || c.designatesSeries(toks[i+1:]) {
				continue // ACME INC, 401K PLAN; ACME LLC, SERIES A
			}
			end, next = i, i+1
		case matchPhrase(c.members, toks, i) > 0:
			end, next = i, i
		default:
			n := matchLegalMulti(c, toks, i)
			if n == 0 {
				if _, ok := c.legal[toks[i]]; ok {
					n = 1
				}
			}
			if n == 0 {
				continue
			}
			if i+n < len(toks) && (c.innerAndCo(toks, i) || c.continuesName(toks[i+n:]) || c.relatedEntity(toks[i+n:]) || c.designatesSeries(toks[i+n:])) {
				// BAXTER & CO HOLDINGS INC, ACME CO HOLDINGS, ACME LLC II:
				// the form is inside the name, and the words after it must
				// still be compared.
				i += n - 1
				continue
			}
			end = i + n
			// Several forms in a row (SMITH & CO INC) stay together.
			for end < len(toks) {
				if _, ok := c.legal[toks[end]]; !ok {
					break
				}
				end++
			}
			next = end
		}
		segs = appendPart(segs, toks[start:end])
		start, lastNext = c.skipSeparators(toks, next), next
		i = start
	}
	if start < len(toks) {
		segs = appendPart(segs, toks[start:])
	}
	if len(segs)-n0 == 1 && lastNext < len(toks) && c.roleAt(toks, lastNext) > 0 {
		// ACME LLC CHAPTER 11, ACME LLC TRUSTEE: a role after the name,
		// nothing else; the name without it is compared (the role is
		// flagged apart), so the role's own words are no series or word.
		return segs
	}
	if len(segs)-n0 < 2 {
		return segs[:n0]
	}
	return segs
}

// relatedEntity reports the words after a legal form or comma naming
// another entity of the company rather than a second owner: its benefit
// plan or foundation (ACME INC 401K PLAN, ACME INC, CHARITABLE
// FOUNDATION, ACME LLC DIP; insolvency roles such as RECEIVER are role
// words, which split and flag the string themselves). The owner string
// is then compared whole, so the extra words keep it from passing. A
// second owner set apart by a joint, role or member word (ACME LLC AND
// JOHN DOE FOUNDATION) or carrying its own legal form (ACME LLC, BETA
// FOUNDATION INC) is split off as before.
func (c *Comparer) relatedEntity(rest []string) bool {
	if len(rest) == 0 || matchPhrase(c.joint, rest, 0) > 0 || c.roleAt(rest, 0) > 0 || matchPhrase(c.members, rest, 0) > 0 {
		return false
	}
	related := false
	for i := range rest {
		if n, _ := c.legalFormAt(rest, i); i > 0 && n > 0 {
			return false
		}
		related = related || matchPhrase(c.biz.related, rest, i) > 0
	}
	return related
}

// innerAndCo reports "& CO" / "AND COMPANY" at toks[i]: a firm's name
// (BAXTER & CO), not the end of one.
func (c *Comparer) innerAndCo(toks []string, i int) bool {
	return c.legal[toks[i]] == "CO" && (toks[i-1] == "&" || toks[i-1] == "AND")
}

// continuesName reports words after a legal form that can only be more of
// the same name: generic words, series numbers, single letters and legal
// forms, with at least one generic word or number (HOLDINGS, II, GROUP INC,
// SERIES A); not a person, a place or a note.
func (c *Comparer) continuesName(rest []string) bool {
	more := false
	for i, t := range rest {
		switch {
		case c.generic[c.canonical(t)] || isSeries(t):
			more = true
		case t == "&" || t == "AND" || t == "," || len(t) == 1:
			// SERIES A
		default:
			if _, ok := c.legal[t]; !ok && matchLegalMulti(c, rest, i) == 0 {
				return false
			}
		}
	}
	return more
}

// skipSeparators skips the commas, &, joint separators, role and member
// words that open a segment at i.
func (c *Comparer) skipSeparators(toks []string, i int) int {
	for i < len(toks) {
		if t := toks[i]; t == "," || t == "&" || t == "(" {
			i++
		} else if m := matchPhrase(c.joint, toks, i); m > 0 {
			i += m
		} else if m := c.roleAt(toks, i); m > 0 {
			i += m
		} else if m := matchPhrase(c.members, toks, i); m > 0 {
			i += m
		} else {
			break
		}
	}
	return i
}

// surnameLink is the partial match of a person whose family name fam the
// company carries.
func surnameLink(fam string) companyScore {
	return companyScore{score: scoreSurnameLink, facts: Facts{SurnameLink: true}, pairs: []Pair{{A: fam, B: fam, How: "exact"}}}
}

// surnameOnlyLink reports an owner that reads FIRST [MIDDLE] LAST where
// only LAST, a distinctive word, appears in the company's name.
func (c *Comparer) surnameOnlyLink(company []string, owner []string) bool {
	if len(owner) < 2 || len(owner) > 3 {
		return false
	}
	last := owner[len(owner)-1]
	return len(last) >= 3 && !c.generic[last] && contains(company, last) && !contains(company, owner[0])
}

// compareCompanyIdentity compares the company identity's names with one
// owner string; afterNote: a leading bank note was taken off it
// (stripLeadingNote).
func (c *Comparer) compareCompanyIdentity(r *Result, cands [][]string, owner []string, afterNote bool) {
	c.compareCompanyOwner(r, cands, owner)
	if r.Score >= c.bands.Strong || r.Facts.DBAHolderMismatch {
		return // the holder the DBA names is no person to drop as a note or co-owner
	}
	if n := c.leadingPerson(owner); afterNote && n > 0 {
		// ATTN TOM REYES GRACE HILL CHAPEL: the note names the person it
		// is for, then the company, with no separator.
		alt := Result{Detail: r.Detail}
		c.compareCompanyOwner(&alt, cands, owner[n:])
		if alt.Score >= c.bands.Strong {
			*r = alt
			return
		}
	}
	// SMITH PLUMBING JOHN SMITH: the company, then a person with no
	// separator, as after a legal form or AND (ACME LLC AND JOHN DOE).
	if n := c.trailingPerson(owner); n > 0 {
		alt := Result{Detail: r.Detail}
		c.compareCompanyOwner(&alt, cands, owner[:len(owner)-n])
		if alt.Score >= c.bands.Strong {
			alt.Facts.JointOwner = true
			*r = alt
		}
	}
}

// trailingPerson is the length of a person's name (a known given name and
// one or two more words, none a company word) ending a longer owner
// string, or 0.
func (c *Comparer) trailingPerson(owner []string) int {
	for n := 2; n <= 3 && n+2 <= len(owner); n++ {
		if c.personRun(owner[len(owner)-n:]) {
			return n
		}
	}
	return 0
}

// leadingPerson is the length of a person's name starting a longer owner
// string (TOM REYES GRACE HILL CHAPEL), as trailingPerson, or 0.
func (c *Comparer) leadingPerson(owner []string) int {
	for n := 2; n <= 3 && n+2 <= len(owner); n++ {
		if c.personRun(owner[:n]) {
			return n
		}
	}
	return 0
}

// personRun reports words that read as one person's name only: a known
// given name first, letters only, no company word.
func (c *Comparer) personRun(run []string) bool {
	return c.given[run[0]] && !c.hasCompanyWord(run) && !c.looksBusiness(run) && allLetters(run)
}

func allLetters(toks []string) bool {
	for _, t := range toks {
		for i := 0; i < len(t); i++ {
			if t[i] < 'A' || t[i] > 'Z' {
				return false
			}
		}
	}
	return true
}

// compareCompanyOwner compares the company identity's names with one owner
// string.
func (c *Comparer) compareCompanyOwner(r *Result, cands [][]string, owner []string) {
	var partBuf [8][]string
	var wa, wb [8]string
	// GRACE HILL CHAPEL C/O TOM REYES, ACME WIDGETS OPERATING ACCT: the
	// name is what comes before the bank's note.
	owner = c.stripNote(owner, cands)
	owner = uninvert(owner, cands)
	parts, _ := c.splitDBA(owner, partBuf[:0])
	nDBA := len(parts) // parts beyond these are segments of one of them
	for _, p := range parts[:nDBA:nDBA] {
		parts = c.splitSegments(p, parts)
	}
	r.Facts.RoleWord = c.hasRoleWord(owner, cands...)
	best := companyScore{score: -1}
	bestCand, legalBest, bestViaDBA := "", -1, false // bestViaDBA: the best match is the identity's DBA
	allPeople, joint := true, false
	for ci, a := range cands {
		if len(a) == 0 {
			continue
		}
		ca := c.parseCompany(a)
		// The identity is a company; its name may still be a person's
		// (a sole proprietor: MARCUS WEBB).
		aBiz := c.looksBusiness(a) || !c.personLike(a, wa[:0]) || c.orgName(a)
		for pi, b := range parts {
			bBiz := c.looksBusiness(b) || c.orgName(b)
			if bBiz {
				r.Facts.BusinessNameDetected = true
				allPeople = false
			}
			// Only the end of the owner string can be cut by the bank, and
			// only a name that starts it or a trade name: a segment after
			// a comma (SMITH, JANE, LAW OFFICES OF) is not a cut name.
			truncatable := &b[len(b)-1] == &owner[len(owner)-1] && pi < nDBA
			var s companyScore
			coScore := c.compareCompanies(ca, c.parseCompany(b), cutAt(truncatable, owner))
			personLike := c.personLike(b, wa[:0])
			if pi >= nDBA && !bBiz && personLike {
				joint = true // ACME LLC AND JOHN DOE
			}
			switch {
			case bBiz || len(b) < 2 || (!aBiz && !(c.given[a[0]] && c.given[b[0]])):
				s = coScore
				if !bBiz {
					allPeople = allPeople && personLike
				}
			case !aBiz && c.seriesAfterCompanyName(a, b):
				// MARCUS HALE CONSTRUCTION IV: a company's numeral, not a
				// generation of a person.
				s = coScore
				allPeople = false
			case !aBiz:
				ps := c.comparePeople(c.parsePerson(a, wa[:0]), c.parsePerson(b, wb[:0]), truncatable)
				s = companyScore{score: ps.score, facts: ps.facts, pairs: ps.pairs.list()}
			case coScore.score >= c.bands.Strong && c.carriesCompanyWords(b, coScore.facts.Truncated):
				// DAVID ORTEGA LANDSC for DAVID ORTEGA LANDSCAPE DESIGN LLC,
				// JOHN SMITH LAW OFFICE for LAW OFFICE OF JOHN SMITH, MARIA
				// BAKERY for MARIA'S BAKERY: the company's own words after
				// the person's name (the bank may have cut them); the
				// company, not the person it is named after.
				s = coScore
				allPeople = false
			case coScore.score >= c.bands.Strong && personLike:
				// JOHN DOE for JOHN DOE INC: the person the company is named
				// after, not the company.
				s = coScore
				s.score = min(s.score, capNamedAfter)
				s.facts.SurnameLink = true
			case coScore.score < c.bands.Strong && !personLike && c.surnameOnlyLink(ca.words, b):
				// PIOTR BRZEZINSKI for BRZEZINSKI TILE & STONE LLC: a person
				// (given name unknown to the dictionary) whose family name
				// the company carries: partial, as for a known given name.
				s = surnameLink(b[len(b)-1])
			case coScore.score >= c.bands.Strong || !personLike:
				s = coScore
				allPeople = false
			default:
				// A person's name for a business: linked only if the business
				// carries the person's family name (KOWALCZYK ROOFING / PAUL KOWALCZYK).
				p := c.parsePerson(b, wb[:0])
				s = companyScore{score: scorePersonForCompany}
				if len(p.words) > 0 && contains(ca.words, p.words[len(p.words)-1]) {
					s = surnameLink(p.words[len(p.words)-1])
				}
			}
			s.facts.DBAMatch = s.score >= c.bands.Strong && (ci > 0 || nDBA > 1)
			if ci == 0 {
				legalBest = max(legalBest, s.score)
			}
			if s.score > best.score {
				best, bestCand, bestViaDBA = s, strings.Join(b, " "), ci > 0
			}
		}
	}
	if bestViaDBA && nDBA > 1 && legalBest < c.bands.Strong && best.score >= c.bands.Strong {
		// JANE SMITH DBA SMITH PLUMBING (or SMITH PLUMBING DBA JANE SMITH)
		// for John Smith DBA Smith Plumbing: a trade name is no one's
		// alone; the owner string shows its legal holder, and that is not
		// the identity's legal name.
		best.score = min(best.score, capDBAOtherHolder)
		best.facts.DBAMatch, best.facts.DBAHolderMismatch = false, true
	}
	role, biz := r.Facts.RoleWord, r.Facts.BusinessNameDetected
	r.Score, r.Facts = best.score, best.facts
	r.Facts.RoleWord, r.Facts.BusinessNameDetected = role, biz
	r.Facts.JointOwner = joint
	if allPeople && best.score < c.bands.Partial && !best.facts.SurnameLink {
		r.Facts.PersonNameForCompany = true
	}
	if r.Score < 0 {
		r.Score = 0
	}
	r.Detail.Candidate, r.Detail.Alignment = bestCand, best.pairs
}

// seriesAfterCompanyName reports a roman numeral ending identity a or owner
// b where a reads as a company name beyond a person's (a generic or
// business word after its first word): HALE CONSTRUCTION IV, not MARCUS
// HALE IV.
func (c *Comparer) seriesAfterCompanyName(a, b []string) bool {
	if !isSeries(a[len(a)-1]) && !isSeries(b[len(b)-1]) {
		return false
	}
	return c.hasCompanyWord(a[1:])
}

// carriesCompanyWords reports an owner string that, beyond a person's
// name, carries words only a company has: a business or organization word
// last (MARIA BAKERY), or after two words of name a generic one or a cut
// (JOHN SMITH LAW OFFICE, DAVID ORTEGA LANDSC). JOHN DOE alone does not.
func (c *Comparer) carriesCompanyWords(b []string, cut bool) bool {
	last := c.canonical(b[len(b)-1])
	if c.business[last] || c.biz.org[last] {
		return true
	}
	return len(b) >= 3 && (cut || c.hasCompanyWord(b[2:]))
}

// hasCompanyWord reports a generic or business word among toks.
func (c *Comparer) hasCompanyWord(toks []string) bool {
	for _, t := range toks {
		if t = c.canonical(t); c.generic[t] || c.business[t] || c.biz.org[t] {
			return true
		}
		if s := strings.TrimSuffix(t, "S"); len(s) < len(t) && (c.generic[c.canonical(s)] || c.business[s]) {
			return true // OFFICES
		}
	}
	return false
}

// canonical is a word's dictionary spelling (MGMT -> MANAGEMENT).
func (c *Comparer) canonical(w string) string {
	if canon, ok := c.abbrev[w]; ok {
		return canon
	}
	return w
}

// personLike reports a name that starts (after titles) with a known given
// name and has more than one word.
func (c *Comparer) personLike(toks, buf []string) bool {
	return len(toks) >= 2 && c.given[c.parsePerson(toks, buf).firstWord()]
}

// cutAt is the owner string's length when a part ends it, else 0.
func cutAt(endsOwner bool, owner []string) int {
	if !endsOwner {
		return 0
	}
	return joinedLen(owner)
}
