package names

// seriesAt reports words[i] telling sister entities apart: a number or
// roman numeral anywhere (isSeries: ACME HOLDINGS II, LUNA CAFE 2), or a
// letter code right after a series word (SERIES A, CLASS B, TRANCHE A1).
// A letter elsewhere is an initial, never a designator: JOHN A SMITH
// CONSULTING and JOHN B SMITH CONSULTING differ in a word, not a series.
func (c *Comparer) seriesAt(words []string, i int) bool {
	return isSeries(words[i]) || (i > 0 && c.biz.seriesWords[words[i-1]] && letterCode(words[i]))
}

// designatesSeries reports a series word and its designator among rest,
// the words after a legal form, comma or bracket (ACME WIDGETS LLC, SERIES
// A; ACME FUND LP CLASS B; ACME LLC (PROTECTED SERIES 1)): the entity's
// own designator, to be compared, not a second owner or trade name.
func (c *Comparer) designatesSeries(rest []string) bool {
	for i := 0; i+1 < len(rest); i++ {
		if c.biz.seriesWords[rest[i]] && (letterCode(rest[i+1]) || isSeries(rest[i+1])) {
			return true
		}
	}
	return false
}

// letterCode reports a designator written with letters: one letter (A), or
// a short code of letters and digits (A1, 2B).
func letterCode(w string) bool {
	if len(w) == 1 {
		return w[0] >= 'A' && w[0] <= 'Z'
	}
	if len(w) > maxLetterCode {
		return false
	}
	letters, digits := 0, 0
	for i := 0; i < len(w); i++ {
		switch {
		case w[i] >= 'A' && w[i] <= 'Z':
			letters++
		case w[i] >= '0' && w[i] <= '9':
			digits++
		default:
			return false
		}
	}
	return letters > 0 && digits > 0
}

// maxLetterCode: a designator code is short (A1, B12); a longer mixed word
// is a name (4RUNNER).
const maxLetterCode = 3
