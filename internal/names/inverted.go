package names

// uninvert rewrites a name a bank filed under its family name, with the
// firm's heading moved to the end after a comma, into reading order:
// SMITH, JOHN A, LAW OFFICES OF -> LAW OFFICES OF JOHN A SMITH. The heading
// ends in OF (it needs the name that follows it), so it cannot be a name
// of its own: read alone, LAW OFFICES OF would match any lawyer's firm.
// When the identity's names have no OF, the other reading order is theirs
// (JOHN A SMITH LAW OFFICES): the same words either way, so the hint
// chooses an order and invents no match. toks is returned unchanged when it
// is not of that shape (a rare one: the rewrite allocates).
func uninvert(toks []string, identity [][]string) []string {
	if len(toks) < 4 || toks[len(toks)-1] != "OF" {
		return toks
	}
	last := lastIndex(toks, ",")
	if last <= 0 || last == len(toks)-2 {
		return toks
	}
	heading, name := toks[last+1:], toks[:last]
	out := make([]string, 0, len(toks))
	ofFirst := false
	for _, w := range identity {
		ofFirst = ofFirst || contains(w, "OF")
	}
	if ofFirst {
		out = append(out, heading...)
	}
	if k := indexOf(name, ","); k > 0 {
		// LAST, FIRST [MIDDLE]: the given names first.
		for _, t := range name[k+1:] {
			if t != "," {
				out = append(out, t)
			}
		}
		name = name[:k]
	}
	out = append(out, name...)
	if !ofFirst {
		out = append(out, heading[:len(heading)-1]...)
	}
	return out
}

func lastIndex(toks []string, s string) int {
	for i := len(toks) - 1; i >= 0; i-- {
		if toks[i] == s {
			return i
		}
	}
	return -1
}
