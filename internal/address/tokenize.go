package address

import (
	"unicode"
	"unicode/utf8"

	"github.com/ownercheck/ownercheck/internal/textfold"
)

// token is one word of an address. All tokens of one input are substrings of
// a single string in which consecutive words are separated by exactly one
// space, so that a run of words (a state name, a city) is a substring too
// (see span) and lookups need no allocation.
type token struct {
	s    string // the word
	rest string // the normalized input from this word to its end
	seg  int    // comma/newline separated segment (segments are never empty)
}

// span returns the words of toks joined by single spaces, without
// allocating. toks must be a contiguous run from one tokenize call.
func span(toks []token) string {
	if len(toks) == 0 {
		return ""
	}
	last := toks[len(toks)-1]
	first := toks[0].rest
	return first[:len(first)-len(last.rest)+len(last.s)]
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

// tokenize upper-cases raw, folds Latin diacritics to ASCII and appends its
// words to dst. Commas, semicolons and line breaks separate segments. Dots
// join initials (P.O. -> PO, D.C. -> DC) and otherwise separate words;
// apostrophes vanish (O'HARE -> OHARE); '-' stays between a digit and a
// letter or digit (12-34, 62701-1234, 4-B) and '/' between digits (1/2);
// '#' is a word of its own when a word follows it in its segment.
// Everything else separates words.
//
// Callers pass a stack array as dst so that a typical address costs two
// allocation (the text).
func tokenize(dst []token, raw string) []token {
	var boundsArr [64]int
	var textArr [128]byte
	var (
		b        = textArr[:0]
		bounds   = boundsArr[:0] // start/end offsets of each token in b
		toks     = dst
		seg      int
		inTok    bool
		start    int
		last     byte // last byte written to the current token
		sinceDot int  // letters since the token start or the last joined dot
		pending  bool // a segment separator was seen since the last token
		// A '#' becomes a token only when a word follows it in its
		// segment: a stray or doubled mark is dropped.
		hash, sepBeforeHash bool
	)
	endToken := func() {
		if pending && len(toks) > 0 {
			seg++
		}
		pending = false
		toks = append(toks, token{seg: seg})
		bounds = append(bounds, start, len(b))
		inTok = false
	}
	emit := func(c byte) {
		if !inTok {
			if hash {
				hash = false
				if !pending {
					pending = sepBeforeHash
					if len(b) > 0 {
						b = append(b, ' ')
					}
					start = len(b)
					b = append(b, '#')
					endToken()
				}
			}
			if len(b) > 0 {
				b = append(b, ' ')
			}
			start = len(b)
			inTok = true
		}
		b = append(b, c)
		last = c
	}
	flush := func() {
		if inTok {
			endToken()
		}
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
				emit(c - 'a' + 'A')
				sinceDot++
			case isUpper(c) || isDigit(c):
				emit(c)
				sinceDot++
			case c == '\'' || c == '`':
				// O'HARE -> OHARE
			case c == '.':
				if sinceDot == 1 && inTok && isUpper(last) {
					sinceDot = 0 // initials: keep joining
				} else {
					flush()
				}
			case c == '-':
				p, n := prevByte(i), nextByte(i)
				if inTok && isDigit(p) && (isDigit(n) || isUpper(n&^0x20)) {
					emit('-')
				} else {
					flush()
				}
			case c == '/':
				if inTok && isDigit(prevByte(i)) && isDigit(nextByte(i)) {
					emit('/')
				} else {
					flush()
				}
			case c == '#':
				flush()
				if !hash {
					hash, sepBeforeHash, pending = true, pending, false
				}
			case c == ',' || c == ';' || c == '\n' || c == '\r':
				flush()
				pending = true
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
			pending = true
		case textfold.IsMark(r):
			// a combining mark left by decomposed input
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			var tmp [8]byte
			for _, c := range textfold.AppendUpper(tmp[:0], r) {
				emit(c)
			}
			sinceDot++
		default:
			flush()
		}
	}
	flush()
	all := string(b)
	for k := len(dst); k < len(toks); k++ {
		j := 2 * (k - len(dst))
		from, to := bounds[j], bounds[j+1]
		toks[k].s = all[from:to]
		toks[k].rest = all[from:]
	}
	return toks
}
