package names

// splitPeople splits a person owner string on joint separators and role
// words, and gives a lone given name the family name of its neighbour
// ("MARK & LISA HENDERSON" -> MARK HENDERSON, LISA HENDERSON).
func (c *Comparer) splitPeople(toks []string, parts [][]string) (_ [][]string, joint, role bool) {
	start := 0
	for i := 0; i < len(toks); i++ {
		n := 0
		if toks[i] == "&" {
			n, joint = 1, true
		} else if m := matchPhrase(c.joint, toks, i); m > 0 {
			n, joint = m, true
		} else if m := c.roleAt(toks, i); m > 0 {
			n, role = m, true
		}
		if n > 0 {
			parts = appendPart(parts, toks[start:i])
			i += n - 1
			start = i + 1
		}
	}
	parts = appendPart(parts, toks[start:])
	// "PAUL REYES JANE REYES": two people with no separator.
	for i := 0; i < len(parts); i++ {
		p := parts[i]
		if len(p) >= 4 && !contains(p, ",") {
			last := p[len(p)-1]
			if k := indexOf(p[1:len(p)-2], last); k >= 0 {
				parts = append(parts, nil)
				copy(parts[i+2:], parts[i+1:])
				parts[i], parts[i+1] = p[:k+2], p[k+2:]
				joint = true
				i++
			}
		}
	}
	if len(parts) > 1 {
		for i, p := range parts {
			if !lacksFamily(p) {
				continue
			}
			if fam := c.familyName(neighbour(parts, i)); fam != nil {
				parts[i] = append(append(make([]string, 0, len(p)+len(fam)), p...), fam...)
			}
		}
	}
	return parts, joint, role
}

// lacksFamily reports a joint owner written without a family name: JANE,
// or JANE B (in SMITH, JOHN A AND JANE B).
func lacksFamily(p []string) bool {
	if len(p) == 0 || len(p[0]) < 2 {
		return false
	}
	for _, w := range p[1:] {
		if len(w) != 1 {
			return false
		}
	}
	return true
}

// neighbour is the nearest part with more than one word.
func neighbour(parts [][]string, i int) []string {
	for d := 1; d < len(parts); d++ {
		for _, j := range []int{i + d, i - d} {
			if j >= 0 && j < len(parts) && len(parts[j]) > 1 {
				return parts[j]
			}
		}
	}
	return nil
}

// familyName is the surname of a multi-word person part: before a comma
// ("DESAI , RAJ"), else the last word, or the first when only the last is
// a known given name (REED THOMAS & ANNA, SMITH ROBERT JR & MARY).
func (c *Comparer) familyName(p []string) []string {
	if p == nil {
		return nil
	}
	if k := indexOf(p, ","); k > 0 {
		return p[:k]
	}
	for len(p) > 1 && (c.suffix[p[len(p)-1]] != "" || c.titles[p[len(p)-1]]) {
		p = p[:len(p)-1]
	}
	if len(p) > 1 && c.given[p[len(p)-1]] && !c.given[p[0]] {
		return p[:1]
	}
	return p[len(p)-1:]
}

// hasRoleWord reports a role word in the owner string that is not part of
// the identity's own name (SMITH FAMILY DENTISTRY, NORTHERN TRUST).
func (c *Comparer) hasRoleWord(toks []string, own ...[]string) bool {
	for i := range toks {
		n := c.roleAt(toks, i)
		if n == 0 {
			continue
		}
		inOwn := false
		for _, o := range own {
			inOwn = inOwn || containsRun(o, toks[i:i+n])
		}
		if !inOwn {
			return true
		}
	}
	return false
}

// roleAt is the length of the role phrase at toks[i], 0 when none. A role
// word that is also a given name (IRA) is the name where a given name
// stands: first, before another name word (IRA GOLDBERG, MARY AND IRA
// GOLDBERG), or right after the comma of LAST, FIRST (GOLDBERG, IRA). At
// the end of a name it stays the role (JOHN SMITH IRA).
func (c *Comparer) roleAt(toks []string, i int) int {
	n := matchPhrase(c.roles, toks, i)
	if n != 1 || !c.given[toks[i]] {
		return n
	}
	if c.opensName(toks, i) && i+1 < len(toks) && c.nameWord(toks, i+1) {
		return 0
	}
	if k := indexOf(toks, ","); k > 0 && k == i-1 && !c.given[toks[0]] {
		return 0
	}
	return n
}

// opensName reports a word at i that starts a name: first, or after & or
// a joint separator.
func (c *Comparer) opensName(toks []string, i int) bool {
	if i == 0 || toks[i-1] == "&" || toks[i-1] == "(" {
		return true
	}
	return matchPhrase(c.joint, toks, i-1) == 1
}

// nameWord reports a word at i that can be part of a person's name: no
// punctuation, separator or role.
func (c *Comparer) nameWord(toks []string, i int) bool {
	t := toks[i]
	return t != "," && t != "&" && t != "(" && matchPhrase(c.roles, toks, i) == 0 && matchPhrase(c.joint, toks, i) == 0
}
