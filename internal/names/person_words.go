package names

// personWords reads the words of a person's name from toks into words,
// setting p's suffix, and reports where the first comma stood among the
// words (-1: none) and a nickname set off in the name. What it drops is never a word in a name's
// position: a title only before the name (SENATOR, HON, DR) or right after
// the comma of LAST, FIRST; a credential (MD, CPA, ESQ, ATTORNEY AT LAW)
// only after the name; a generation after the family name; a nickname
// aside (TOMMY in THOMAS (TOMMY) REED) kept apart as an alias.
func (c *Comparer) personWords(toks []string, p *person, words []string) (_ []string, comma int, alias string) {
	comma = -1
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch {
		case t == ",":
			if comma < 0 {
				comma = len(words)
			}
			if len(words) > 0 {
				i = c.credentialSegment(toks, i+1, p) - 1
			}
		case t == "(" && c.nicknameAside(toks, i):
			alias = toks[i+1]
			i += 2
		case t == "&" || t == "(":
		case t == "THE" && len(toks) > 1:
		case c.titles[t] && c.titlePlace(toks, i, len(words), comma):
		case len(words) > 0 && c.postNominalAt(toks, i, words) > 0:
			i += c.postNominalAt(toks, i, words) - 1
		case c.suffix[t] != "" && len(words) > 0 && (len(t) > 1 || (i == len(toks)-1 && fullWords(words) >= 2)):
			// A one-letter generation (V) only ends a full name: JOHN V
			// SMITH has a middle initial.
			p.suffix = c.suffix[t]
		case t[0] >= '0' && t[0] <= '9' && len(toks) > 1:
			// an account or file number in the name field
		default:
			words = append(words, t)
		}
	}
	return words, comma, alias
}

// titlePlace reports a title at toks[i] where titles stand: before the
// name (n, the words read so far, is 0) or right after the comma of LAST,
// FIRST, and followed by a word of the name.
func (c *Comparer) titlePlace(toks []string, i, n, comma int) bool {
	before := n == 0 || (comma == n && toks[i-1] == ",")
	return before && i+1 < len(toks) && toks[i+1] != "," && toks[i+1] != "("
}

// postNominalAt is the length of a credential at toks[i] that follows the
// name without a comma: at least two full words (not initials) before it,
// and not two letters a family name is spelled with (DO, PA: MARY ANN DO
// keeps her family name; after a comma, credentialSegment takes them).
func (c *Comparer) postNominalAt(toks []string, i int, words []string) int {
	if fullWords(words) < 2 || (len(toks[i]) < 3 && !noVowel(toks[i])) {
		return 0
	}
	return matchPhrase(c.postNominals, toks, i)
}

// fullWords counts the words that are not initials.
func fullWords(words []string) int {
	n := 0
	for _, w := range words {
		if len(w) > 1 {
			n++
		}
	}
	return n
}

// nicknameAside reports one word set off at toks[i] by parentheses or
// quotes (the closing one may have been trimmed at the end) that is a given
// name, or follows one (THOMAS (BUDDY) REED): a nickname.
func (c *Comparer) nicknameAside(toks []string, i int) bool {
	return i > 0 && i+1 < len(toks) && (c.given[toks[i+1]] || c.given[toks[i-1]]) &&
		(i+2 == len(toks) || toks[i+2] == "(") && toks[i+1] != "(" && toks[i+1] != ","
}

// credentialSegment skips a comma segment starting at i that holds only
// credentials and generations (SARAH LIN, MD, PHD; MARCUS T HALE, IV; ...,
// LCSW), recording a generation in p, and returns where reading goes on:
// such a segment is never the given name of LAST, FIRST.
func (c *Comparer) credentialSegment(toks []string, i int, p *person) int {
	j, suffix := i, ""
	for j < len(toks) && toks[j] != "," {
		t := toks[j]
		if n := matchPhrase(c.postNominals, toks, j); n > 0 {
			j += n
			continue
		}
		switch {
		case c.suffix[t] != "":
			suffix = c.suffix[t]
		case len(t) >= 2 && noVowel(t):
			// LCSW, CFP, MSW: letters no name is spelled with
		default:
			return i
		}
		j++
	}
	if j == i {
		return i
	}
	if suffix != "" {
		p.suffix = suffix
	}
	return j
}

func noVowel(w string) bool {
	for i := 0; i < len(w); i++ {
		switch w[i] {
		case 'A', 'E', 'I', 'O', 'U', 'Y':
			return false
		}
		if w[i] >= '0' && w[i] <= '9' {
			return false
		}
	}
	return true
}
