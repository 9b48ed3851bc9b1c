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
	names   [][]string // the name, then its trade names (from the dba field or "X DBA Y" in the name)
	person  person
	joined  string
}

// maxOwnerTokens bounds the work on a pathological owner string; real
// ones have a dozen words.
const maxOwnerTokens = 40

// Prepare normalizes the identity's name (and DBA) for Compare.
func (c *Comparer) Prepare(kind, name, dba string) *Prepared {
	toks := tokens(name)
	p := &Prepared{c: c, company: kind == "company", joined: strings.Join(toks, " ")}
	p.names, _ = c.splitDBA(toks, nil)
	if d := tokens(dba); len(d) > 0 {
		p.names = append(p.names, d)
	}
	var first []string
	if len(p.names) > 0 {
		first = p.names[0]
	}
	p.person = c.parsePerson(first, nil)
	return p
}

// Compare compares the prepared name with one owner name string.
func (p *Prepared) Compare(ownerName string) Result {
	owner := tokens(ownerName)
	if len(owner) > maxOwnerTokens {
		owner = owner[:maxOwnerTokens]
	}
	r := Result{Detail: Detail{Identity: p.joined, Owner: strings.Join(owner, " ")}}
	if len(owner) == 0 || len(p.names) == 0 {
		return r // nothing to compare: score 0
	}
	if p.company {
		p.c.compareCompanyIdentity(&r, p.names, owner)
	} else {
		p.c.comparePersonIdentity(&r, p.person, p.names[1:], owner)
	}
	r.Facts.Exact = r.Score == 100
	return r
}

// ---- splitting owner strings -------------------------------------------------

// splitDBA splits "NAME DBA TRADE NAME" and "NAME (ASIDE)" into their
// parts, appended to parts (a caller's buffer); dba reports a DBA marker.
func (c *Comparer) splitDBA(toks []string, parts [][]string) (_ [][]string, dba bool) {
	start := 0
	for i := 0; i < len(toks); i++ {
		n := 0
		if toks[i] == "(" {
			n = 1
		} else if i > 0 {
			if n = matchPhrase(c.dba, toks, i); n > 0 {
				dba = true
			}
		}
		if n > 0 {
			parts = appendPart(parts, toks[start:i])
			i += n - 1
			start = i + 1
		}
	}
	return appendPart(parts, toks[start:]), dba
}

func appendPart(parts [][]string, p []string) [][]string {
	for len(p) > 0 && (p[0] == "," || p[0] == "(") {
		p = p[1:]
	}
	for len(p) > 0 && (p[len(p)-1] == "," || p[len(p)-1] == "(") {
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
func (c *Comparer) splitPeople(toks []string, parts [][]string) (_ [][]string, joint, role bool) {
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
	for i := 0; i < len(parts); i++ {
		p := parts[i]
		if len(p) >= 4 && !contains(p, ",") {
			last := p[len(p)-1]
			if k := indexOf(p[1:len(p)-2], last); k >= 0 {
				parts = append(parts, nil)
				copy(parts[i+2:], parts[i+1:])
				parts[i], parts[i+1] = p[:k+2], p[k+2:]
				joint = true
				i++
			}
		}
	}
	if len(parts) > 1 {
		for i, p := range parts {
			if !lacksFamily(p) {
				continue
			}
			if fam := c.familyName(neighbour(parts, i)); fam != nil {
				parts[i] = append(append(make([]string, 0, len(p)+len(fam)), p...), fam...)
			}
		}
	}
	return parts, joint, role
}

// lacksFamily reports a joint owner written without a family name: JANE,
// or JANE B (in SMITH, JOHN A AND JANE B).
func lacksFamily(p []string) bool {
	if len(p) == 0 || len(p[0]) < 2 {
		return false
	}
	for _, w := range p[1:] {
		if len(w) != 1 {
			return false
		}
	}
	return true
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
// ("DESAI , RAJ"), else the last word, or the first when only the last is
// a known given name (REED THOMAS & ANNA, SMITH ROBERT JR & MARY).
func (c *Comparer) familyName(p []string) []string {
	if p == nil {
		return nil
	}
	if k := indexOf(p, ","); k > 0 {
		return p[:k]
	}
	for len(p) > 1 && (c.suffix[p[len(p)-1]] != "" || c.titles[p[len(p)-1]]) {
		p = p[:len(p)-1]
	}
	if len(p) > 1 && c.given[p[len(p)-1]] && !c.given[p[0]] {
		return p[:1]
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
// names (nicknames apply; two different known given names are never a typo,
// only a spelling variant). lastOfOwner: b ends the owner string, so the
// bank may have cut it short.
func (c *Comparer) match(a, b string, given, lastOfOwner bool) int {
	if a == b || umlautEqual(a, b) {
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
	if len(b) >= 2 && len(b) < len(a) && strings.HasPrefix(a, b) {
		// The bank cut the word: the last one of the string, or a given name
		// cut by a fixed-width field (MAXIMILI) that is no name of its own.
		if lastOfOwner || (given && len(b) >= 5 && !c.given[b]) {
			return howTruncated
		}
	}
	if given && gendered(a, b) {
		return howNone
	}
	if given && c.given[a] && c.given[b] {
		if len(a) >= 3 && len(b) >= 3 && spellingVariant(a, b) {
			return howNickname
		}
		return howNone
	}
	// A typo: one edit, not in the first letter (ANDERSON is not
	// SANDERSON), where people rarely slip; swapping the first two counts.
	if len(a) >= 4 && len(b) >= 4 && (a[0] == b[0] || (a[0] == b[1] && a[1] == b[0])) && textfold.OneEdit(a, b) {
		return howTypo
	}
	return howNone
}

// gendered reports the masculine and feminine forms of one given name,
// which belong to different people: LUIS/LUISA, PAUL/PAULA,
// MARIO/MARIA, LOUIS/LOUISE, RENE/RENEE.
func gendered(a, b string) bool {
	if len(a) == len(b) {
		n := len(a)
		if n < 3 || a[:n-1] != b[:n-1] {
			return false
		}
		x, y := a[n-1], b[n-1]
		return (x == 'A' && y == 'O') || (x == 'O' && y == 'A')
	}
	if len(a) < len(b) {
		a, b = b, a
	}
	if len(a) != len(b)+1 || len(b) < 2 || a[:len(b)] != b {
		return false
	}
	switch a[len(a)-1] {
	case 'A':
		return true
	case 'E':
		last := b[len(b)-1]
		return last == 'S' || last == 'E'
	}
	return false
}

// spellingVariant reports two spellings of one name that differ by a
// letter that changes nothing when spoken: a silent H (SARA/SARAH,
// JON/JOHN), a final E (ANN/ANNE), a doubled letter (PHILIP/PHILLIP),
// C/K, I/Y or S/Z (CATHERINE/KATHERINE, BRIAN/BRYAN, ELISABETH/ELIZABETH).
// MARK/MARY or JOHN/JOAN are different names, not variants.
func spellingVariant(a, b string) bool {
	if len(a) == len(b) {
		diff := -1
		for i := 0; i < len(a); i++ {
			if a[i] != b[i] {
				if diff >= 0 {
					return false
				}
				diff = i
			}
		}
		if diff < 0 {
			return true
		}
		x, y := min(a[diff], b[diff]), max(a[diff], b[diff])
		return (x == 'C' && y == 'K') || (x == 'I' && y == 'Y') || (x == 'S' && y == 'Z')
	}
	if len(a) < len(b) {
		a, b = b, a
	}
	if len(a) != len(b)+1 {
		return false
	}
	i := 0
	for i < len(b) && a[i] == b[i] {
		i++
	}
	if a[i+1:] != b[i:] {
		return false
	}
	extra := a[i]
	return extra == 'H' || (extra == 'E' && i == len(a)-1) || (i > 0 && a[i-1] == extra) || (i+1 < len(a) && a[i+1] == extra)
}

// ---- people -----------------------------------------------------------------

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

// joinedEqual reports whether two word lists spell the same letters
// (ANNE MARIE = ANNEMARIE, O SULLIVAN = OSULLIVAN), without allocating.
func joinedEqual(a, b []string) bool {
	i, ia, j, jb := 0, 0, 0, 0
	for {
		for i < len(a) && ia == len(a[i]) {
			i, ia = i+1, 0
		}
		for j < len(b) && jb == len(b[j]) {
			j, jb = j+1, 0
		}
		if i == len(a) || j == len(b) {
			return i == len(a) && j == len(b)
		}
		if a[i][ia] != b[j][jb] {
			return false
		}
		ia, jb = ia+1, jb+1
	}
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

func (c *Comparer) comparePeople(a, b person, bTruncatable bool) personScore {
	best := c.alignPeople(a, b.words, b.bare, bTruncatable, false)
	if n := len(b.words); n >= 2 && best.score < 98 {
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
			r.score -= 2
			if r.facts.Typo {
				// a swapped order and a typo together are two deviations (ADAM WEST / WEST ADAMS)
				r.score -= 10
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
		best.score--
	}
	return best
}

func (c *Comparer) alignPeople(a person, bw []string, bBare string, bTruncatable, swapped bool) personScore {
	var s personScore
	aw := a.words
	if len(aw) == 0 || len(bw) == 0 {
		return s
	}
	if len(aw) != len(bw) && joinedEqual(aw, bw) {
		// Only the spacing differs: ANNE MARIE / ANNEMARIE, ABDUL RAHMAN / ABDULRAHMAN.
		return personScore{score: 98, facts: Facts{Spelling: true}, pairs: pairsOf(Pair{A: strings.Join(aw, " "), B: strings.Join(bw, " "), How: "spacing"})}
	}
	if len(aw) == 1 || len(bw) == 1 {
		return c.alignSingle(aw, bw, bTruncatable)
	}
	last := len(bw) - 1
	if bTruncatable && len(bw) < len(aw) && cutWords(aw, bw) {
		// A fixed-width field cut the name before the family name
		// (CHRISTOPHER ALEX for CHRISTOPHER ALEXANDER MONTGOMERY).
		s.score = 65
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
			if h := c.match(aw[i], bw[last], false, bTruncatable); h == howExact || h == howTypo {
				aFam, famHow = i, h
			}
		}
		if famHow != howNone && aFam < len(aw)-1 && c.given[aw[aFam]] && !c.given[aw[len(aw)-1]] {
			// The owner's last word is the identity's middle name, and the
			// family name is missing (CHRISTOPHER ALEXANDER / CHRISTOPHER
			// ALEXANDER MONTGOMERY), unlike a compound family name
			// (SARAH JOHNSON / SARAH JOHNSON-REYES).
			if g := c.match(aw[0], bw[0], true, false); g == howExact || g == howNickname {
				s.score = 65
				s.facts.FirstOrLastNameOnly = true
				s.pairs.add(Pair{A: aw[0], B: bw[0], How: howNames[g]})
				s.pairs.add(Pair{A: aw[aFam], B: bw[last], How: "middle"})
				s.pairs.add(Pair{A: aw[len(aw)-1], How: "missing"})
				return s
			}
		}
		for j := 1; j < last && famHow == howNone; j++ {
			if h := c.match(aw[len(aw)-1], bw[j], false, false); h == howExact || h == howTypo {
				bFam, famHow = j, h
			}
		}
		if famHow == howNone && joinedEqual(aw[1:], bw[1:]) {
			return personScore{score: 99, facts: Facts{Spelling: true}, pairs: pairsOf(Pair{A: strings.Join(aw[1:], " "), B: strings.Join(bw[1:], " "), How: "spacing"})}
		}
		// A particle dropped on one side: VAN BEETHOVEN / BEETHOVEN, AL-SAYED / SAYED.
		if famHow == howNone && ((a.bare != "" && (a.bare == bw[last] || a.bare == bBare)) || (bBare != "" && bBare == aw[len(aw)-1])) {
			aFam, bFam, famHow, particleMissing = len(aw)-1, last, howExact, true
		}
	}
	givenHow := c.match(aw[0], bw[0], true, false)
	if famHow == howNone && famInitial && (givenHow == howExact || givenHow == howNickname) {
		// Only the family name's initial: AMY C for AMY CHEN.
		s.score = 62
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
		midCost++ // compound family name in another order: GARCIA LOPEZ / LOPEZ GARCIA
	}
	for _, m := range bMid {
		found := false
		for _, am := range aMid {
			if h := c.match(am, m, true, false); h != howNone {
				found = true
				midCost += [...]int{howExact: 0, howNickname: 2, howAbbrev: 1, howTypo: 5, howTruncated: 1, howInitial: 1}[h]
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
		s.score = 10
		s.facts.SurnameMismatch = true // and the given names too: another person
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
	case howTruncated:
		s.score -= 8
		s.facts.Truncated = true
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
	s.score -= midCost
	s.facts.Spelling = midCost > 0
	if particleMissing {
		s.facts.Spelling = true
		s.score -= 4
		s.pairs.buf[1].How = "particle"
	}
	if midConflict {
		// JOHN R and JOHN T TOLKIEN may be father and son: not strong.
		s.score -= 25
		s.facts.MiddleNameConflict = true
	} else if midMissing {
		s.score -= 3
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
			s.score = 100
		} else if h == howTypo {
			s.score, s.facts.Typo = 88, true
		} else {
			s.score = 10
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
			s.score = 62
			s.facts.FirstOrLastNameOnly = true
			s.pairs = pairsOf(Pair{A: w, B: one, How: howNames[h]})
			return s
		}
	}
	s.score = 10
	return s
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
		r.Score = 10
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

// ---- companies ----------------------------------------------------------------

type company struct {
	words []string // canonical words, legal forms and THE/AND removed
	forms []string // canonical legal forms
}

func (c *Comparer) parseCompany(toks []string) company {
	var co company
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t == "," || t == "&" || t == "(" || t == "AND" || t == "THE" {
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

// companyWord matches identity word w with owner word v. Generic words may
// also be abbreviated by a prefix (PAC NW for PACIFIC NORTHWEST); typos
// count only in longer words (DENTL, RIVERSDIE), never in short ones
// (EAST/WEST).
func (c *Comparer) companyWord(w, v string, truncatable bool) int {
	if w != v && (isSeries(w) || isSeries(v)) {
		return howNone // ACME HOLDINGS II is not ACME HOLDINGS III
	}
	h := c.match(w, v, false, truncatable)
	switch h {
	case howInitial:
		return howNone
	case howTypo:
		if len(w) < 5 || ((c.generic[w] || c.generic[v]) && len(w) < 6) {
			return howNone
		}
	case howNone:
		if len(v) >= 3 && len(v) < len(w) && c.generic[w] && strings.HasPrefix(w, v) {
			return howAbbrev
		}
		if len(w) >= 3 && len(w) < len(v) && c.generic[v] && strings.HasPrefix(v, w) {
			return howAbbrev
		}
	}
	return h
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
	if joinedEqual(a.words, b.words) {
		s.score = 100
		s.pairs = []Pair{{A: strings.Join(a.words, " "), B: strings.Join(b.words, " "), How: "exact"}}
	} else if acr, ok := c.acronym(a.words, b.words); ok {
		// IBM / INTERNATIONAL BUSINESS MACHINES: plausible, not established.
		s.score = 72
		s.facts.Acronym = true
		s.pairs = []Pair{acr}
		return s
	} else {
		var usedBuf, matchedBuf [16]bool
		used, matchedA := usedBuf[:0], matchedBuf[:0]
		if len(b.words) > len(usedBuf) || len(a.words) > len(matchedBuf) {
			used, matchedA = make([]bool, 0, len(b.words)), make([]bool, 0, len(a.words))
		}
		used, matchedA = used[:len(b.words)], matchedA[:len(a.words)]
		distinctive, typos, abbrevs, truncated, lastMatched := 0, 0, 0, false, -1
		prevJ, reordered := -1, false
		for i, w := range a.words {
			for j, v := range b.words {
				if used[j] {
					continue
				}
				h := c.companyWord(w, v, bTruncatable && j == len(b.words)-1)
				if h == howNone {
					continue
				}
				used[j], matchedA[i] = true, true
				lastMatched = i
				reordered = reordered || j < prevJ
				prevJ = j
				s.pairs = append(s.pairs, Pair{A: w, B: v, How: howNames[h]})
				if !c.generic[w] {
					distinctive++
				}
				switch h {
				case howTypo:
					typos++
				case howAbbrev:
					abbrevs++
				case howTruncated:
					truncated = true
				}
				break
			}
		}
		unmatchedB, genericMissing := 0, false
		for j := range used {
			if !used[j] {
				unmatchedB++
				genericMissing = genericMissing || c.generic[b.words[j]] || isSeries(b.words[j])
				s.pairs = append(s.pairs, Pair{B: b.words[j], How: "missing"})
			}
		}
		unmatchedA := 0
		tailOnly := true
		for i := range matchedA {
			if !matchedA[i] {
				unmatchedA++
				genericMissing = genericMissing || c.generic[a.words[i]] || isSeries(a.words[i])
				s.pairs = append(s.pairs, Pair{A: a.words[i], How: "missing"})
				if i < lastMatched {
					tailOnly = false
				}
			}
		}
		// The bank cut the name: the owner's words are the identity's first
		// words, the last one possibly cut, and the string is long.
		cut := bTruncatable && unmatchedB == 0 && unmatchedA > 0 && tailOnly && len(b.words) >= 2 && cutAt >= 18
		switch {
		case unmatchedA == 0 && unmatchedB == 0:
			s.score = 100 - 8*typos - 3*abbrevs
			s.facts.Spelling = abbrevs > 0
			if reordered {
				// WIDGETS ACME / ACME WIDGETS: the same words, not the same name
				s.score -= 6
				s.facts.Spelling = true
			}
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
		case (unmatchedA == 0 || unmatchedB == 0) && !genericMissing:
			// One side lacks a descriptive word and the rest agrees
			// (SWEET CRUMB LLC / SWEET CRUMB BAKERY LLC): plausible, not
			// established. A missing generic word (ACME LOGISTICS / ACME
			// CORP, UNITED AIRLINES HOLDINGS) is another legal entity.
			s.score = 70 - 8*typos
			s.facts.WordMissing, s.facts.Typo = true, typos > 0
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

// isSeries reports a number or roman numeral that tells sibling entities
// apart (ACME HOLDINGS II, LUNA CAFE 2): missing on one side, it makes
// another company, like a generic word.
func isSeries(w string) bool {
	switch w {
	case "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII":
		return true
	}
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return len(w) > 0
}

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
	n0 := len(segs)
	start := c.skipSeparators(toks, 0)
	for i := start + 1; i < len(toks); i++ {
		end, next := -1, -1
		switch {
		case toks[i] == ",":
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
		start = c.skipSeparators(toks, next)
		i = start
	}
	if start < len(toks) {
		segs = appendPart(segs, toks[start:])
	}
	if len(segs)-n0 < 2 {
		return segs[:n0]
	}
	return segs
}

// skipSeparators skips the commas, &, joint separators, role and member
// words that open a segment at i.
func (c *Comparer) skipSeparators(toks []string, i int) int {
	for i < len(toks) {
		if t := toks[i]; t == "," || t == "&" || t == "(" {
			i++
		} else if m := matchPhrase(c.joint, toks, i); m > 0 {
			i += m
		} else if m := matchPhrase(c.roles, toks, i); m > 0 {
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
	return companyScore{score: 65, facts: Facts{SurnameLink: true}, pairs: []Pair{{A: fam, B: fam, How: "exact"}}}
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

func (c *Comparer) compareCompanyIdentity(r *Result, cands [][]string, owner []string) {
	var partBuf [8][]string
	var wa, wb [8]string
	parts, _ := c.splitDBA(owner, partBuf[:0])
	nDBA := len(parts) // parts beyond these are segments of one of them
	for _, p := range parts[:nDBA:nDBA] {
		parts = c.splitSegments(p, parts)
	}
	r.Facts.RoleWord = c.hasRoleWord(owner, cands...)
	best := companyScore{score: -1}
	bestCand := ""
	allPeople, joint := true, false
	for ci, a := range cands {
		if len(a) == 0 {
			continue
		}
		ca := c.parseCompany(a)
		// The identity is a company; its name may still be a person's
		// (a sole proprietor: MARCUS WEBB).
		aBiz := c.looksBusiness(a) || !c.personLike(a, wa[:0])
		for pi, b := range parts {
			bBiz := c.looksBusiness(b)
			if bBiz {
				r.Facts.BusinessNameDetected = true
				allPeople = false
			}
			// Only the end of the owner string can be cut by the bank.
			truncatable := &b[len(b)-1] == &owner[len(owner)-1]
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
			case !aBiz:
				ps := c.comparePeople(c.parsePerson(a, wa[:0]), c.parsePerson(b, wb[:0]), truncatable)
				s = companyScore{score: ps.score, facts: ps.facts, pairs: ps.pairs.list()}
			case coScore.score >= 85 && personLike:
				// JOHN DOE for JOHN DOE INC: the person the company is named
				// after, not the company.
				s = coScore
				s.score = min(s.score, 80)
				s.facts.SurnameLink = true
			case coScore.score < 85 && !personLike && c.surnameOnlyLink(ca.words, b):
				// PIOTR BRZEZINSKI for BRZEZINSKI TILE & STONE LLC: a person
				// (given name unknown to the dictionary) whose family name
				// the company carries: partial, as for a known given name.
				s = surnameLink(b[len(b)-1])
			case coScore.score >= 85 || !personLike:
				s = coScore
				allPeople = false
			default:
				// A person's name for a business: linked only if the business
				// carries the person's family name (KOWALCZYK ROOFING / PAUL KOWALCZYK).
				p := c.parsePerson(b, wb[:0])
				s = companyScore{score: 10}
				if len(p.words) > 0 && contains(ca.words, p.words[len(p.words)-1]) {
					s = surnameLink(p.words[len(p.words)-1])
				}
			}
			s.facts.DBAMatch = s.score >= 85 && (ci > 0 || nDBA > 1)
			if s.score > best.score {
				best, bestCand = s, strings.Join(b, " ")
			}
		}
	}
	role, biz := r.Facts.RoleWord, r.Facts.BusinessNameDetected
	r.Score, r.Facts = best.score, best.facts
	r.Facts.RoleWord, r.Facts.BusinessNameDetected = role, biz
	r.Facts.JointOwner = joint
	if allPeople && best.score < 60 && !best.facts.SurnameLink {
		r.Facts.PersonNameForCompany = true
	}
	if r.Score < 0 {
		r.Score = 0
	}
	r.Detail.Candidate, r.Detail.Alignment = bestCand, best.pairs
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

func (p person) firstWord() string {
	if len(p.words) == 0 {
		return ""
	}
	return p.words[0]
}

// hasRoleWord reports a role word in the owner string that is not part of
// the identity's own name (SMITH FAMILY DENTISTRY, NORTHERN TRUST).
func (c *Comparer) hasRoleWord(toks []string, own ...[]string) bool {
	for i := range toks {
		n := matchPhrase(c.roles, toks, i)
		if n == 0 {
			continue
		}
		inOwn := false
		for _, o := range own {
			inOwn = inOwn || containsRun(o, toks[i:i+n])
		}
		if !inOwn {
			return true
		}
	}
	return false
}

// containsRun reports whether run occurs in toks.
func containsRun(toks, run []string) bool {
	for i := 0; i+len(run) <= len(toks); i++ {
		if equalTokens(toks[i:i+len(run)], run) {
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
	add(f.Spelling, "names differ only in form (spacing, a particle, an abbreviation, a middle initial)")
	add(f.SuffixMissing, "a generational suffix (JR, SR, III) is on one side only")
	add(f.WordMissing, "one company name lacks a descriptive word the other has")
	add(f.Acronym, "one company name is an acronym of the other")
	if len(out) == 0 {
		out = append(out, "names do not match")
	}
	return out
}
