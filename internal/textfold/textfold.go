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
	// non-ASCII base whose capital does (ẛ -> ſ, but Ṡ -> S). The
	// compatibility decomposition also folds full-width forms (Ｊ -> J,
	// １ -> 1), which some banks' systems print, and ligatures (ﬁ -> FI).
	r = unicode.ToUpper(r)
	var tmp [utf8.UTFMax]byte
	n := utf8.EncodeRune(tmp[:], r)
	if folded, ok := appendASCII(buf, norm.NFKD.Properties(tmp[:n]).Decomposition()); ok {
		return folded
	}
	return utf8.AppendRune(buf, r)
}

// appendASCII appends a decomposition's letters and digits upper-cased,
// when it is made of ASCII letters or digits and combining marks only;
// otherwise it reports false and the rune is kept as it is.
func appendASCII(buf []byte, d []byte) ([]byte, bool) {
	start, any := len(buf), false
	for len(d) > 0 {
		c, size := utf8.DecodeRune(d)
		d = d[size:]
		switch {
		case c >= 'a' && c <= 'z':
			buf, any = append(buf, byte(c)-('a'-'A')), true
		case c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
			buf, any = append(buf, byte(c)), true
		case unicode.Is(unicode.Mn, c):
		default:
			return buf[:start], false
		}
	}
	return buf, any
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
