package address

import (
	"unicode"
	"unicode/utf8"

	"github.com/ownercheck/ownercheck/internal/textfold"
)

// token is one word of an address; seg numbers the comma/newline separated
// segment it came from (segments are never empty).
type token struct {
	s   string
	seg int
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }

// startsWithDigit reports whether a token begins with an ASCII digit.
func startsWithDigit(s string) bool { return s != "" && isDigit(s[0]) }

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// tokenize upper-cases raw, folds Latin diacritics to ASCII and splits it
// into tokens. Commas, semicolons and line breaks separate segments. Dots
// join initials (P.O. -> PO, D.C. -> DC) and otherwise separate words;
// apostrophes vanish (O'HARE -> OHARE); '-' stays between a digit and a
// letter or digit (12-34, 62701-1234, 4-B) and '/' between digits (1/2);
// '#' is a token of its own. Everything else separates words.
func tokenize(raw string) []token {
	buf := make([]byte, 0, len(raw)+8)
	toks := make([]token, 0, 16)
	ends := make([]int, 0, 16) // end offset in buf of each token
	seg := 0
	start := 0          // start of the current token in buf
	sinceDot := 0       // letters since the token start or the last joined dot
	pendingSep := false // a segment separator was seen since the last token
	flush := func() {
		if len(buf) > start {
			if pendingSep && len(toks) > 0 {
				seg++
			}
			pendingSep = false
			toks = append(toks, token{seg: seg})
			ends = append(ends, len(buf))
		}
		start = len(buf)
		sinceDot = 0
	}
	prevByte := func(i int) byte {
		if i > 0 {
			return raw[i-1]
		}
		return 0
	}
	nextByte := func(i int) byte {
		if i+1 < len(raw) {
			return raw[i+1]
		}
		return 0
	}
	for i := 0; i < len(raw); {
		c := raw[i]
		if c < utf8.RuneSelf {
			switch {
			case c >= 'a' && c <= 'z':
				buf = append(buf, c-'a'+'A')
				sinceDot++
			case isUpper(c) || isDigit(c):
				buf = append(buf, c)
				sinceDot++
			case c == '\'' || c == '`':
				// O'HARE -> OHARE
			case c == '.':
				if sinceDot == 1 && len(buf) > start && isUpper(buf[len(buf)-1]) {
					sinceDot = 0 // initials: keep joining
				} else {
					flush()
				}
			case c == '-':
				p, n := prevByte(i), nextByte(i)
				if len(buf) > start && isDigit(p) && (isDigit(n) || isUpper(n&^0x20)) {
					buf = append(buf, '-')
				} else {
					flush()
				}
			case c == '/':
				if len(buf) > start && isDigit(prevByte(i)) && isDigit(nextByte(i)) {
					buf = append(buf, '/')
				} else {
					flush()
				}
			case c == '#':
				flush()
				buf = append(buf, '#')
				flush()
			case c == ',' || c == ';' || c == '\n' || c == '\r':
				flush()
				pendingSep = true
			default:
				flush()
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(raw[i:])
		i += size
		switch {
		case r == utf8.RuneError:
			flush()
		case r == '\u2019' || r == '\u2018':
			// typographic apostrophes
		case r == '\u2028' || r == '\u2029' || r == '\u0085':
			flush()
			pendingSep = true
		case textfold.IsMark(r):
			// a combining mark left by decomposed input
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			buf = textfold.AppendUpper(buf, r)
			sinceDot++
		default:
			flush()
		}
	}
	flush()
	// One string for all tokens: they are substrings of it.
	all := string(buf)
	from := 0
	for i := range toks {
		toks[i].s = all[from:ends[i]]
		from = ends[i]
	}
	return toks
}
