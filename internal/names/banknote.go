package names

import (
	"fmt"
	"strings"
)

// BankNotes are the notes a bank prints after an account's name: who to
// write to (ATTN BILLING, C/O TOM REYES) and which of the holder's accounts
// it is (GENERAL ACCOUNT, OPERATING ACCT, PAYROLL, BILLING DEPT). They are
// not part of the holder's name, with or without a legal form before them.
type BankNotes struct {
	// Openers start a note that runs to the end of the string, whatever
	// follows (a person, a department): attn, c/o, care of.
	Openers []string `yaml:"openers"`
	// Leading notes stand before the name (ATTN JOHN SMITH, C/O ACME LLC,
	// REF 4471 ACME LLC): see leadnote.go. Only these words open a note
	// there; any other word before a name is part of it.
	Leading []string `yaml:"leading"`
	// Keys are the words that make a trailing run of note words a note
	// (account, acct, payroll, escrow, dept).
	Keys []string `yaml:"keys"`
	// Modifiers are note words only beside a key (GENERAL ACCOUNT, BILLING
	// DEPT); alone they may be part of a name (ACME TRUST, SMITH GENERAL).
	Modifiers []string `yaml:"modifiers"`
}

// noteWord says how a word can take part in a trailing note.
type noteWord uint8

const (
	noteNone noteWord = iota
	noteModifier
	noteKey
)

// bankNotes is BankNotes compiled.
type bankNotes struct {
	openers map[string][]phrase
	leading map[string][]phrase
	words   map[string]noteWord
}

func compileBankNotes(n BankNotes, bad func(path, format string, args ...any)) bankNotes {
	bn := bankNotes{openers: notePhrases(n.Openers, "openers", bad), leading: notePhrases(n.Leading, "leading", bad),
		words: map[string]noteWord{}}
	for _, l := range []struct {
		key   string
		list  []string
		class noteWord
	}{{"modifiers", n.Modifiers, noteModifier}, {"keys", n.Keys, noteKey}} {
		for i, w := range l.list {
			if word := singleWord(bad, fmt.Sprintf("$.bank_notes.%s[%d]", l.key, i), w); word != "" {
				bn.words[word] = l.class
			}
		}
	}
	return bn
}

// notePhrases indexes a list of bank_notes phrases by first word, longest
// first.
func notePhrases(list []string, key string, bad func(path, format string, args ...any)) map[string][]phrase {
	m := map[string][]phrase{}
	addPhrases(m, list, "bank_notes."+key, bad)
	return m
}

// stripNote returns the owner string without a trailing bank note, keeping
// at least one word of name. A note word that the identity's own name
// carries, and that the words before it have not yet matched, is name,
// not note (ACME PAYROLL SERVICES PAYROLL ACCT, SMITH OPERATING LLC). The
// bank's field may have cut the note itself (OPERATING AC, ATT).
func (c *Comparer) stripNote(toks []string, own [][]string) []string {
	if len(toks) < 2 {
		return toks
	}
	lastAs := c.cutNoteWord(toks[len(toks)-1], own)
	for k := 1; k < len(toks); k++ {
		if ownWordAhead(own, toks[:k], toks[k]) {
			continue
		}
		if matchPhrase(c.biz.notes.openers, toks, k) > 0 || c.noteTail(toks[k:], lastAs) || isDate(toks[k:]) {
			return trimSeparators(toks[:k])
		}
	}
	return toks
}

// noteTail reports a run of note words with at least one key among them;
// lastAs is what the run's last word counts as.
func (c *Comparer) noteTail(toks []string, lastAs noteWord) bool {
	key := false
	for i, t := range toks {
		w := c.biz.notes.words[t]
		if i == len(toks)-1 {
			w = lastAs
		}
		switch w {
		case noteNone:
			if t != "," && t != "&" && t != "(" {
				return false
			}
		case noteKey:
			key = true
		}
	}
	return key
}

// cutNoteWord is what the owner string's last word counts as in a note:
// itself, or, when it is no word of the identity's and the start of a
// note word or opener (AC for ACCOUNT, ATT for ATTN), that word cut by
// the bank's field. A cut opener counts as a key.
func (c *Comparer) cutNoteWord(w string, own [][]string) noteWord {
	// A legal form ending the string is one, not a cut note word (LIMITED
	// LIABILITY CO is no cut of COLLECTIONS).
	_, form := c.legal[w]
	if nw := c.biz.notes.words[w]; nw != noteNone || len(w) < minNoteCut || form || startsOwnWord(own, w) {
		return nw
	}
	best := noteNone
	for word, nw := range c.biz.notes.words {
		if isCut(word, w) {
			best = max(best, nw)
		}
	}
	for first := range c.biz.notes.openers {
		if isCut(first, w) {
			best = noteKey
		}
	}
	return best
}

// minNoteCut: a cut note word keeps at least this many letters (AC, AT);
// a single letter could be anything.
const minNoteCut = 2

// startsOwnWord reports w being the start of a word of the identity's,
// which a cut of the name explains better than a cut of a note.
func startsOwnWord(own [][]string, w string) bool {
	for _, o := range own {
		for _, t := range o {
			if strings.HasPrefix(t, w) {
				return true
			}
		}
	}
	return false
}

// ownWordAhead reports w occurring in one of the identity's names more
// often than in the owner's words before it.
func ownWordAhead(own [][]string, before []string, w string) bool {
	seen := count(before, w)
	for _, o := range own {
		if count(o, w) > seen {
			return true
		}
	}
	return false
}

func count(toks []string, w string) int {
	n := 0
	for _, t := range toks {
		if t == w {
			n++
		}
	}
	return n
}

// trimSeparators drops the commas, & and ( a note leaves at the name's end.
func trimSeparators(toks []string) []string {
	for len(toks) > 1 {
		switch toks[len(toks)-1] {
		case ",", "&", "(":
			toks = toks[:len(toks)-1]
			continue
		}
		break
	}
	return toks
}

// isDate reports a date written M/D/Y or D.M.Y (the date of a trust
// agreement: JOHNSON FAMILY TRUST 01/02/2003), not a series number.
func isDate(toks []string) bool {
	if len(toks) != 3 {
		return false
	}
	for i, t := range toks {
		n := seriesValue(t)
		if !isDigits(t) || n == 0 || (i < 2 && (len(t) > 2 || n > 31)) || (i == 2 && len(t) != 2 && len(t) != 4) {
			return false
		}
	}
	return true
}

func isDigits(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return len(w) > 0
}
