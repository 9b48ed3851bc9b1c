package names

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ownercheck/ownercheck/internal/textfold"
)

// tokens splits a name into normalized tokens: upper-case ASCII letters and
// digits; apostrophes and periods vanish (O'BRIEN = OBRIEN, L.L.C. = LLC);
// "&", "," and "(" are tokens of their own (they mean "and", "last, first"
// and an aside; ")" is written "(" too); a double quote is the token quote,
// for the comparer to resolve (nameTokens);
// every other character separates. Bank strings are mostly upper-case ASCII
// already, so a token that is a verbatim run of the input is sliced from it
// instead of allocated.
func tokens(s string) []string {
	out := make([]string, 0, 8)
	var buf [64]byte
	cur := buf[:0]
	start := -1      // byte offset where the current token began in s
	verbatim := true // cur == s[start:i] so far
	inWord := false  // a "(" inside a word is open: 401(K)
	flush := func(end int) {
		if len(cur) > 0 {
			if verbatim {
				out = append(out, s[start:end])
			} else {
				out = append(out, string(cur))
			}
		}
		cur, start, verbatim = cur[:0], -1, true
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if start < 0 {
			start = i
		}
		switch {
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			cur = append(cur, byte(r))
		case r >= 'a' && r <= 'z':
			cur = append(cur, byte(r-'a'+'A'))
			verbatim = false
		case r == '\'' || r == '’' || r == '.' || r == '`':
			// O'BRIEN, L.L.C.: joined, not split
			if len(cur) == 0 {
				start = -1
			} else {
				verbatim = false
			}
		case r == '&':
			flush(i)
			out = append(out, "&")
		case r == ',':
			flush(i)
			out = append(out, ",")
		case r == '"' || r == '“' || r == '”':
			// resolved by the comparer (nameTokens), which knows given names
			flush(i)
			out = append(out, quote)
		case (r == '(' && afterNumber(cur, s[:i]) && bracketInWord(s[i+1:])) || (r == ')' && inWord):
			// brackets inside a word vanish: 401(K) = 401K, 501(C)(3)
			inWord, verbatim = r == '(', false
		case r == '(' || r == ')':
			// an aside: "SWEET CRUMB BAKERY (HOLLOWAY VENTURES LLC)"
			flush(i)
			out = append(out, "(")
		case textfold.IsMark(r):
			// a combining mark of decomposed input (e + U+0301)
			if len(cur) == 0 {
				start = -1
			} else {
				verbatim = false
			}
		case unicode.IsLetter(r):
			// Fold the upper-case letter: ẛ upper-cases to Ṡ, which folds to
			// S; folding ẛ itself would keep Ṡ (not idempotent).
			cur = textfold.AppendUpper(cur, unicode.ToUpper(r))
			verbatim = false
		default:
			flush(i)
		}
		i += size
	}
	flush(len(s))
	return out
}

// afterNumber reports a "(" that follows a word begun with a digit, right
// after its last digit or bracket (401(K), 501(C)(3)); ACME(TX) is an
// aside.
func afterNumber(cur []byte, before string) bool {
	if len(cur) == 0 || cur[0] < '0' || cur[0] > '9' {
		return false
	}
	last := before[len(before)-1]
	return (last >= '0' && last <= '9') || last == ')'
}

// bracketInWord reports that rest, what follows a "(" in a number, is one
// to three letters or digits and a ")": 401(K), 403(B), 501(C)(3).
func bracketInWord(rest string) bool {
	for i := 0; i < len(rest) && i <= 3; i++ {
		c := rest[i]
		switch {
		case c == ')':
			return i > 0
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		default:
			return false
		}
	}
	return false
}

// Normalize is the normalized form of a name: upper case, diacritics folded,
// punctuation removed, "&", "," and "(" kept as words. Normalize(Normalize(s))
// == Normalize(s).
func Normalize(s string) string {
	return strings.Join(slices.DeleteFunc(tokens(s), func(t string) bool { return t == quote }), " ")
}

// quote is the token for a double quote.
const quote = `"`

// nameTokens are the tokens of a name, with its double quotes resolved: a
// quoted word after a given name, or a given name itself, is a nickname
// aside like one in parentheses (THOMAS "TOM" REED, THOMAS "BUDDY" REED);
// other quotes set off nothing a name needs and vanish ("THOMAS ANDERSON",
// ACME "USA" INC).
func (c *Comparer) nameTokens(s string) []string {
	toks := tokens(s)
	if !slices.Contains(toks, quote) {
		return toks
	}
	out := toks[:0]
	for i := 0; i < len(toks); i++ {
		if toks[i] != quote {
			out = append(out, toks[i])
			continue
		}
		if i > 0 && i+2 < len(toks) && toks[i+2] == quote && toks[i+1] != quote && (c.given[toks[i+1]] || c.given[toks[i-1]]) {
			out = append(out, "(", toks[i+1], "(")
			i += 2
		}
	}
	return out
}

// umlautEqual reports whether a and b are equal once German
// transliteration is folded: MÜLLER is folded to MULLER by tokens, the bank
// may write MUELLER, so UE/OE/AE inside a word equal U/O/A. Only inside a
// word: JOE is not JO. No allocation; it runs for every word pair.
func umlautEqual(a, b string) bool {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if a[i] != b[j] {
			return false
		}
		i, j = umlautNext(a, i), umlautNext(b, j)
	}
	return i == len(a) && j == len(b)
}

// umlautNext is the index after the letter at i, skipping the E of a
// transliterated umlaut (UE, OE, AE) that is not the word's last letter.
func umlautNext(s string, i int) int {
	c := s[i]
	i++
	if (c == 'U' || c == 'O' || c == 'A') && i > 1 && i < len(s)-1 && s[i] == 'E' {
		i++
	}
	return i
}
