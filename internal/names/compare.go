package names

import "strings"

// Compare compares the identity's name (and DBA, for a company) with one
// owner name string. kind is "individual" or "company".
func (c *Comparer) Compare(kind, name, dba, ownerName string) Result {
	return c.Prepare(kind, name, dba).Compare(ownerName)
}

// Prepared is an identity's name normalized once, to compare with each
// owner of an account.
type Prepared struct {
	c       *Comparer
	company bool
	names   [][]string // the name, then its trade names (from the dba field or "X DBA Y" in the name)
	person  person
	joined  string
}

// maxOwnerTokens bounds the work on a pathological owner string; real
// ones have a dozen words.
const maxOwnerTokens = 40

// Prepare normalizes the identity's name (and DBA) for Compare.
func (c *Comparer) Prepare(kind, name, dba string) *Prepared {
	toks := c.nameTokens(name)
	p := &Prepared{c: c, company: kind == "company", joined: strings.Join(toks, " ")}
	p.names, _ = c.splitDBA(toks, nil)
	if d := c.nameTokens(dba); len(d) > 0 {
		p.names = append(p.names, d)
	}
	var first []string
	if len(p.names) > 0 {
		first = p.names[0]
	}
	p.person = c.parsePerson(first, nil)
	return p
}

// Compare compares the prepared name with one owner name string.
func (p *Prepared) Compare(ownerName string) Result {
	owner := p.c.nameTokens(ownerName)
	if len(owner) > maxOwnerTokens {
		owner = owner[:maxOwnerTokens]
	}
	r := Result{Detail: Detail{Identity: p.joined, Owner: strings.Join(owner, " ")}}
	if len(owner) == 0 || len(p.names) == 0 {
		return r // nothing to compare: score 0
	}
	// ATTN JOHN SMITH, C/O GRACE HILL CHAPEL: the name is after the note.
	n := len(owner)
	owner = p.c.stripLeadingNote(owner, p.names)
	if p.company {
		p.c.compareCompanyIdentity(&r, p.names, owner, len(owner) < n)
	} else {
		p.c.comparePersonIdentity(&r, p.person, p.names[1:], owner)
	}
	r.Facts.Exact = r.Score == scoreIdentical
	return r
}
