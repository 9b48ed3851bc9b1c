// Package textfold folds Latin letters to upper-case ASCII (É -> E,
// ß -> SS) one rune at a time, without the allocations of a
// golang.org/x/text transform chain: names and addresses are folded on
// every evaluation.
package textfold

import (
	"unicode"
	"unicode/utf8"

	"github.com/agnivade/levenshtein"
	"golang.org/x/text/unicode/norm"
)

// AppendUpper appends r upper-cased, with diacritics removed when the letter
// decomposes to an ASCII base (É -> E, Ü -> U) and the Latin letters that
// do not decompose spelled out (ß -> SS, Æ -> AE). Other letters are kept
// upper-cased, so different scripts stay different.
func AppendUpper(buf []byte, r rune) []byte {
	switch unicode.ToUpper(r) {
	case 'ẞ', 'ß':
		return append(buf, 'S', 'S')
	case 'Æ':
		return append(buf, 'A', 'E')
	case 'Œ':
		return append(buf, 'O', 'E')
	case 'Ø':
		return append(buf, 'O')
	case 'Ł':
		return append(buf, 'L')
	case 'Đ', 'Ð':
		return append(buf, 'D')
	case 'Þ':
		return append(buf, 'T', 'H')
	case 'ı':
		return append(buf, 'I')
	}
	// Decompose the upper-case form: some lower-case letters decompose to a
	// non-ASCII base whose capital does (ẛ -> ſ, but Ṡ -> S).
	r = unicode.ToUpper(r)
	var tmp [utf8.UTFMax]byte
	n := utf8.EncodeRune(tmp[:], r)
	if d := norm.NFD.Properties(tmp[:n]).Decomposition(); len(d) > 0 && d[0] < utf8.RuneSelf {
		c := d[0]
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		if c >= 'A' && c <= 'Z' {
			return append(buf, c)
		}
	}
	return utf8.AppendRune(buf, r)
}

// IsMark reports a combining mark, dropped when folding.
func IsMark(r rune) bool { return unicode.Is(unicode.Mn, r) }

// OneEdit reports an edit distance of at most one, counting a swap of two
// adjacent letters as one edit (JHON/JOHN, MIAN/MAIN): the typos people and
// bank clerks make.
func OneEdit(a, b string) bool {
	if len(a) == len(b) {
		diff := -1
		for i := 0; i < len(a); i++ {
			if a[i] != b[i] {
				if diff >= 0 {
					// second difference: only a transposition of neighbours
					return i == diff+1 && a[diff] == b[i] && a[i] == b[diff] && a[i+1:] == b[i+1:]
				}
				diff = i
			}
		}
		return true
	}
	if d := len(a) - len(b); d > 1 || d < -1 {
		return false
	}
	return levenshtein.ComputeDistance(a, b) <= 1
}
