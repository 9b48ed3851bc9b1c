package names

import (
	"strings"

	"github.com/ownercheck/ownercheck/internal/textfold"
)

// splitDBA splits "NAME DBA TRADE NAME" and "NAME (ASIDE)" into their
// parts, appended to parts (a caller's buffer); dba reports a DBA marker.
func (c *Comparer) splitDBA(toks []string, parts [][]string) (_ [][]string, dba bool) {
	start := 0
	for i := 0; i < len(toks); i++ {
		n := 0
		if toks[i] == "(" {
			n = 1
			if c.designatesSeries(toks[i+1:]) {
				continue // ACME LLC (SERIES A): the designator, not a trade name
			}
			if i+2 < len(toks) && c.nicknameAside(toks, i) {
				// A nickname in a person's name, THOMAS (TOMMY) REED:
				// part of the name, not a second one (see personWords).
				i += 2
				continue
			}
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

func contains(toks []string, s string) bool { return indexOf(toks, s) >= 0 }

func indexOf(toks []string, s string) int {
	for i, t := range toks {
		if t == s {
			return i
		}
	}
	return -1
}

// how two words relate, best first.
const (
	howNone = iota
	howExact
	howNickname
	howAbbrev
	howTypo
	howTruncated
	howInitial
	// howSlip: a misspelling beyond the typo budget, or a given name's
	// other-gender form that the dictionary does not know (JULIO / JULIA).
	howSlip
	howNickSibling // two nicknames of a third name (MOLLY / POLLY): see nicknameHow
)

var howNames = [...]string{"missing", "exact", "nickname", "abbreviation", "typo", "truncated", "initial", "misspelt", "nickname of one name"}

// match compares word a (identity) with b (owner). given: a and b are given
// names (nicknames apply; two different known given names are never a typo,
// only a spelling variant). lastOfOwner: b ends the owner string, so the
// bank may have cut it short.
func (c *Comparer) match(a, b string, given, lastOfOwner bool) int {
	if a == b || umlautEqual(a, b) {
		return howExact
	}
	if given {
		if h := c.nicknameHow(a, b); h != howNone {
			return h
		}
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
	if given && gendered(a, b) && c.given[shorter(a, b)] && (len(a) != len(b) || (c.given[a] && c.given[b])) {
		return howNone
	}
	if given && c.given[a] && c.given[b] {
		if len(a) >= 3 && len(b) >= 3 && spellingVariant(a, b) {
			return howNickname
		}
		return howNone
	}
	// The other form of a given name the dictionary does not know both of
	// (ANTONIO / ANTONIA, JUSTIN / JUSTINE): never a typo, since a slip
	// rarely lands on another name's ending; maybe another person (review).
	if given && len(shorter(a, b)) >= 3 && (gendered(a, b) || magicE(a, b) || finalVowelSwap(a, b)) {
		return howSlip
	}
	// A typo: one edit, not in the first letter (ANDERSON is not
	// SANDERSON), where people rarely slip; swapping the first two counts.
	if len(a) >= 4 && len(b) >= 4 && (a[0] == b[0] || (a[0] == b[1] && a[1] == b[0])) && textfold.OneEdit(a, b) {
		return howTypo
	}
	return howNone
}

// gendered reports the masculine and feminine forms of one given name,
// which belong to different people: LUIS/LUISA, PAUL/PAULA, ANGEL/ANGELO,
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
	case 'A', 'O':
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
	return extra == 'H' || (extra == 'E' && i == len(a)-1 && !magicE(a, b)) || (i > 0 && a[i-1] == extra) || (i+1 < len(a) && a[i+1] == extra)
}

// finalVowelSwap reports two names that differ only in a final vowel,
// A, E, I or O (PAULINE / PAULINA, SIMONE / SIMONA): the ending marks a
// name's language or gender, and a slip of the keys rarely lands on
// another vowel there.
func finalVowelSwap(a, b string) bool {
	n := len(a)
	if n < 4 || len(b) != n || a[:n-1] != b[:n-1] || a[n-1] == b[n-1] {
		return false
	}
	return endVowel(a[n-1]) && endVowel(b[n-1])
}

func endVowel(x byte) bool { return x == 'A' || x == 'E' || x == 'I' || x == 'O' }

// magicE reports a final E added after a vowel and one consonant that
// changes the name's sound: in one syllable (JAN / JANE) or after a final
// IN or ON, which the E stresses (JUSTIN / JUSTINE, SIMON / SIMONE). After
// a doubled letter or two vowels it is silent (ANN / ANNE, CLAIR /
// CLAIRE), and after other endings a spelling variant (CAROL / CAROLE,
// EMIL / EMILE).
func magicE(a, b string) bool {
	if len(a) < len(b) {
		a, b = b, a
	}
	n := len(b)
	if n < 3 || len(a) != n+1 || a[n] != 'E' || a[:n] != b {
		return false
	}
	if isVowel(b[n-1]) || !isVowel(b[n-2]) || isVowel(b[n-3]) {
		return false
	}
	return n == 3 || (b[n-1] == 'N' && (b[n-2] == 'I' || b[n-2] == 'O'))
}

func isVowel(x byte) bool {
	switch x {
	case 'A', 'E', 'I', 'O', 'U', 'Y':
		return true
	}
	return false
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

// containsRun reports whether run occurs in toks.
func containsRun(toks, run []string) bool { return indexRun(toks, run) >= 0 }

// shortSlip reports one edit (a swap of neighbours is one) in a short name,
// three letters on the shorter side, not at the first letter: LEE / LEI,
// JOHN / JHN. Too short for a typo the policy passes on.
func shortSlip(a, b string) bool {
	n := min(len(a), len(b))
	return n == 3 && (a[0] == b[0] || (a[0] == b[1] && a[1] == b[0])) && textfold.OneEdit(a, b)
}

// withinEditBudget reports a family name b that is a misspelling of a
// beyond one edit, with a budget that grows with the name's length: two
// edits (a swap of neighbours is one) when one has seven letters and the
// other six or more, or one edit at the first letter when both have six.
func withinEditBudget(a, b string) bool {
	if max(len(a), len(b)) >= minTwoTypoLen && min(len(a), len(b)) >= minShortLen && a[0] == b[0] && osaWithin2(a, b) {
		return true
	}
	return min(len(a), len(b)) >= minShortLen && a[0] != b[0] && a[1:] == b[1:]
}

// osaWithin2 reports an optimal-string-alignment distance (edits, with a
// swap of neighbours as one) of at most two, without allocating.
func osaWithin2(a, b string) bool {
	const maxLen = 32
	if len(a) > maxLen || len(b) > maxLen || len(a)-len(b) > 2 || len(b)-len(a) > 2 {
		return false
	}
	var rows [3][maxLen + 1]int
	prev2, prev, cur := &rows[0], &rows[1], &rows[2]
	for j := 0; j <= len(b); j++ {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d = min(d, prev2[j-2]+1)
			}
			cur[j] = d
			best = min(best, d)
		}
		if best > 2 {
			return false
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)] <= 2
}

// shorter is the shorter of two words (a when they are as long).
func shorter(a, b string) string {
	if len(b) < len(a) {
		return b
	}
	return a
}
