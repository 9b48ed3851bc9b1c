package names

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ownercheck/ownercheck/internal/textfold"
)

// tokens splits a name into normalized tokens: upper-case ASCII letters and
// digits; apostrophes and periods vanish (O'BRIEN = OBRIEN, L.L.C. = LLC);
// "&" and "," are tokens of their own (they mean "and" and "last, first");
// every other character separates.
func tokens(s string) []string {
	out := make([]string, 0, 6)
	var cur []byte
	var buf [64]byte
	cur = buf[:0]
	flush := func() {
		if len(cur) > 0 {
			out = append(out, string(cur))
			cur = cur[:0]
		}
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r >= 'a' && r <= 'z':
			cur = append(cur, byte(r-'a'+'A'))
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			cur = append(cur, byte(r))
		case r == '\'' || r == '’' || r == '.' || r == '`':
			// O'BRIEN, L.L.C.: joined, not split
		case r == '&' || r == ',':
			flush()
			out = append(out, string(r))
		case textfold.IsMark(r):
			// a combining mark of decomposed input (e + U+0301)
		case unicode.IsLetter(r):
			cur = textfold.AppendUpper(cur, r)
		default:
			flush()
		}
	}
	flush()
	return out
}

// Normalize is the normalized form of a name: upper case, diacritics folded,
// punctuation removed, "&" and "," kept as words. Normalize(Normalize(s))
// == Normalize(s).
func Normalize(s string) string {
	return strings.Join(tokens(s), " ")
}

// squash folds German transliteration so MÜLLER (-> MULLER) equals MUELLER.
func squash(s string) string {
	if !strings.Contains(s, "UE") && !strings.Contains(s, "OE") && !strings.Contains(s, "AE") {
		return s
	}
	return umlautSpelling.Replace(s)
}

var umlautSpelling = strings.NewReplacer("UE", "U", "OE", "O", "AE", "A")
