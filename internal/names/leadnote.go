package names

// stripLeadingNote returns the owner string without a note the bank put
// before the name: a leading opener from bank_notes.leading (ATTN, C/O,
// REF), then the note's own words if it has any (a department such as
// ACCOUNTS PAYABLE, or a reference with digits: REF 4471), up to a comma.
// What is left is compared as the name. Only a dictionary opener is taken
// for a note, and not when one of the identity's own names carries it
// (ATTENTION PLUS HOME CARE) or its initials spell it (C O SMITH for CARL
// OWEN SMITH): an unknown word before a name stays part of it and is
// compared, so a leading word never hides a mismatch.
func (c *Comparer) stripLeadingNote(toks []string, own [][]string) []string {
	n := matchPhrase(c.biz.notes.leading, toks, 0)
	if n == 0 || n >= len(toks) {
		return toks
	}
	for _, o := range own {
		if containsRun(o, toks[:n]) || initialsOf(toks[:n], o) {
			return toks
		}
	}
	rest := toks[n:]
	rest = rest[c.leadingNoteBody(rest, own):]
	for len(rest) > 0 && (rest[0] == "," || rest[0] == "&" || rest[0] == "(") {
		rest = rest[1:]
	}
	if len(rest) == 0 {
		return toks // the note is all there is: compare it as written
	}
	return rest
}

// leadingNoteBody is the length of a leading note's own words at the start
// of toks: a run of bank-note words with a key among them, or of words
// with digits (a reference) or a member word (PRESIDENT), ended by a comma or by the first other word,
// which starts the name, or by the end of the string; 0 when the name follows the opener directly
// (ATTN JOHN SMITH) or the run holds no key or reference (ATTN GENERAL
// MILLS). A word of the identity's own name ends the run.
func (c *Comparer) leadingNoteBody(toks []string, own [][]string) int {
	key, end := false, len(toks)
	for i, t := range toks {
		if t == "," {
			end = i + 1
			break
		}
		nw := c.biz.notes.words[t]
		if hasDigit(t) {
			nw = noteKey
		}
		if matchPhrase(c.members, toks, i) > 0 || (i > 0 && matchPhrase(c.members, toks, i-1) > 1) {
			nw = noteKey // ATTN PRESIDENT, ACME LLC; ATTN SOLE OWNER ACME LLC
		}
		if nw == noteNone || ownWordAhead(own, nil, t) {
			end = i
			break
		}
		key = key || nw == noteKey
	}
	if !key {
		return 0
	}
	return end // len(toks): the note is all there is
}

func hasDigit(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] >= '0' && w[i] <= '9' {
			return true
		}
	}
	return false
}

// initialsOf reports an opener written in single letters (C O) that are
// the initials the identity's name starts with: C O SMITH for CARL OWEN
// SMITH is a name, not a note.
func initialsOf(opener, own []string) bool {
	if len(own) < len(opener) {
		return false
	}
	for k, t := range opener {
		if len(t) != 1 || own[k][0] != t[0] {
			return false
		}
	}
	return true
}
