package names

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Dict is the analysts' dictionaries, decoded from rules/names.yaml and
// rules/nicknames.yaml. Entries are written in any case and punctuation;
// Compile normalizes them the way names are normalized.
type Dict struct {
	// Nicknames: canonical given name -> its nicknames (robert: [bob, rob]).
	Nicknames map[string][]string `yaml:"nicknames"`
	// GivenNames are extra known given names. A difference between two known
	// given names is a different person, never a typo (MARK vs MARY).
	GivenNames []string `yaml:"given_names"`
	// LegalForms: canonical form -> variants (inc: [incorporated]).
	LegalForms map[string][]string `yaml:"legal_forms"`
	// Generic words cannot carry a company match on their own.
	Generic []string `yaml:"generic"`
	// Abbreviations: canonical word -> variants (group: [grp]). A key of
	// several words is what a one-word variant stands for in company names
	// (high school: [hs]); see expansions.go.
	Abbreviations map[string][]string `yaml:"abbreviations"`
	// Titles and honorifics dropped before a person's name (mr, dr,
	// senator, hon).
	Titles []string `yaml:"titles"`
	// PostNominals are credentials dropped after a person's name (md, cpa,
	// esq, attorney at law).
	PostNominals []string `yaml:"post_nominals"`
	// GenerationalSuffixes: canonical -> variants (jr: [junior]). Two
	// different suffixes mark different people.
	GenerationalSuffixes map[string][]string `yaml:"generational_suffixes"`
	// RoleWords mark an owner holding the account for someone else (ttee,
	// estate of); they also separate the names around them.
	RoleWords []string `yaml:"role_words"`
	// Particles join the following word (de la cruz = delacruz).
	Particles []string `yaml:"particles"`
	// JointSeparators split one owner string into several people.
	JointSeparators []string `yaml:"joint_separators"`
	// DBAMarkers split a name from its trade name (dba, d/b/a, t/a).
	DBAMarkers []string `yaml:"dba_markers"`
	// BusinessWords reveal a business name (bakery, consulting, llc).
	BusinessWords []string `yaml:"business_words"`
	// MemberWords name a person's position in a business (member, owner,
	// president). They separate the person from the business in one owner
	// string and, unlike role words, raise no doubt.
	MemberWords []string `yaml:"member_words"`
	// TrailingLegalForms are legal forms that are also ordinary words or
	// initials (AB, AG, AS, SA): they count only at the end of a name.
	TrailingLegalForms map[string][]string `yaml:"trailing_legal_forms"`
	// BankNotes are what banks print after an account's name (ATTN, C/O,
	// OPERATING ACCT, PAYROLL): not part of the holder's name.
	BankNotes BankNotes `yaml:"bank_notes"`
	// OrganizationWords make a company's name an organization's rather
	// than a person's (GRACE HILL CHAPEL). Only company identities use
	// them: JOHN CHAPEL stays a person.
	OrganizationWords []string `yaml:"organization_words"`
	// AmbiguousAbbreviations stand for several words in company names
	// (st: [saint, street]); they match either.
	AmbiguousAbbreviations map[string][]string `yaml:"ambiguous_abbreviations"`
	// SeriesWords come before a letter that designates one of several
	// sister entities (SERIES A, CLASS B, TRANCHE A1) in company names.
	SeriesWords []string `yaml:"series_words"`
	// RelatedEntityWords, after a company's name, name another entity of
	// the company: its benefit plan or foundation (ACME INC 401K PLAN,
	// ACME INC CHARITABLE FOUNDATION).
	RelatedEntityWords []string `yaml:"related_entity_words"`

	// Bands are the policy's name thresholds (rules/policy.yaml), which
	// the comparison also uses to decide a few facts (dba_match,
	// person_name_for_company). The rules loader sets them.
	Bands Bands `yaml:"-"`
}

// Bands are the name-score thresholds of the policy.
type Bands struct {
	Strong  int // thresholds.strong_name: the same name under variants
	Partial int // thresholds.partial_name: a name that matches in part
}

// DictError is a dictionary problem at a YAML path ("$.nicknames.robert[1]")
// that the rules loader turns into file:line:col.
type DictError struct {
	Path string
	Msg  string
}

func (e *DictError) Error() string { return e.Path + ": " + e.Msg }

// phrase is a normalized multi-token entry.
type phrase []string

// Comparer is a compiled Dict. It is immutable and safe for concurrent use.
type Comparer struct {
	nickGroups   map[string][]int    // token -> nickname groups it belongs to
	nickCanon    []string            // group -> its canonical name (robert for bob, rob)
	given        map[string]bool     // known given names
	legal        map[string]string   // single-token legal form -> canonical
	legalMulti   map[string][]phrase // first token -> multi-token legal forms (canonical in last slot)
	generic      map[string]bool
	abbrev       map[string]string // variant -> canonical
	titles       map[string]bool
	suffix       map[string]string // variant -> canonical
	roles        map[string][]phrase
	particles    map[string]bool
	joint        map[string][]phrase
	dba          map[string][]phrase
	members      map[string][]phrase
	postNominals map[string][]phrase
	business     map[string]bool
	bands        Bands
	biz          businessDict // company-only dictionaries (bizdict.go)
}

// Compile validates and indexes a Dict.
func Compile(d Dict) (*Comparer, error) {
	c := &Comparer{
		nickGroups: map[string][]int{}, given: map[string]bool{}, legal: map[string]string{},
		legalMulti: map[string][]phrase{}, generic: map[string]bool{}, abbrev: map[string]string{},
		titles: map[string]bool{}, suffix: map[string]string{}, roles: map[string][]phrase{},
		particles: map[string]bool{}, joint: map[string][]phrase{}, dba: map[string][]phrase{},
		members: map[string][]phrase{}, business: map[string]bool{}, bands: d.Bands,
		postNominals: map[string][]phrase{},
	}
	var errs []error
	bad := func(path, format string, args ...any) {
		errs = append(errs, &DictError{Path: path, Msg: fmt.Sprintf(format, args...)})
	}
	single := func(path, s string) string { return singleWord(bad, path, s) }

	c.nickCanon = make([]string, len(d.Nicknames))
	for group, canon := range sortedKeys(d.Nicknames) {
		base := fmt.Sprintf("$.nicknames.%s", canon)
		ct := single(base, canon)
		if ct == "" {
			continue
		}
		if len(d.Nicknames[canon]) == 0 {
			bad(base, "nickname list for %q is empty", canon)
		}
		c.addNick(ct, group)
		c.nickCanon[group] = ct
		for i, n := range d.Nicknames[canon] {
			if t := single(fmt.Sprintf("%s[%d]", base, i), n); t != "" {
				c.addNick(t, group)
			}
		}
	}
	for i, g := range d.GivenNames {
		if t := single(fmt.Sprintf("$.given_names[%d]", i), g); t != "" {
			c.given[t] = true
		}
	}
	for _, canon := range sortedKeys(d.LegalForms) {
		base := "$.legal_forms." + canon
		ct := single(base, canon)
		if ct == "" {
			continue
		}
		c.legal[ct] = ct
		for i, v := range d.LegalForms[canon] {
			toks := tokens(v)
			switch len(toks) {
			case 0:
				bad(fmt.Sprintf("%s[%d]", base, i), "empty legal form")
			case 1:
				c.legal[toks[0]] = ct
			default:
				c.legalMulti[toks[0]] = append(c.legalMulti[toks[0]], append(phrase(toks), ct))
			}
		}
	}
	for _, canon := range sortedKeys(d.Abbreviations) {
		if len(tokens(canon)) > 1 {
			continue // stands for several words: compileExpansions
		}
		base := "$.abbreviations." + canon
		ct := single(base, canon)
		if ct == "" {
			continue
		}
		for i, v := range d.Abbreviations[canon] {
			if t := single(fmt.Sprintf("%s[%d]", base, i), v); t != "" {
				if prev, dup := c.abbrev[t]; dup && prev != ct {
					bad(fmt.Sprintf("%s[%d]", base, i), "%q already abbreviates %q", v, prev)
				}
				c.abbrev[t] = ct
			}
		}
	}
	for _, canon := range sortedKeys(d.GenerationalSuffixes) {
		base := "$.generational_suffixes." + canon
		ct := single(base, canon)
		if ct == "" {
			continue
		}
		c.suffix[ct] = ct
		for i, v := range d.GenerationalSuffixes[canon] {
			if t := single(fmt.Sprintf("%s[%d]", base, i), v); t != "" {
				c.suffix[t] = ct
			}
		}
	}
	words := func(list []string, key string, into map[string]bool) {
		for i, w := range list {
			if t := single(fmt.Sprintf("$.%s[%d]", key, i), w); t != "" {
				into[t] = true
			}
		}
	}
	words(d.Generic, "generic", c.generic)
	words(d.Titles, "titles", c.titles)
	words(d.Particles, "particles", c.particles)
	words(d.BusinessWords, "business_words", c.business)
	phrases := func(list []string, key string, into map[string][]phrase) { addPhrases(into, list, key, bad) }
	phrases(d.RoleWords, "role_words", c.roles)
	phrases(d.JointSeparators, "joint_separators", c.joint)
	phrases(d.DBAMarkers, "dba_markers", c.dba)
	phrases(d.MemberWords, "member_words", c.members)
	phrases(d.PostNominals, "post_nominals", c.postNominals)
	for k := range c.legalMulti {
		sort.Slice(c.legalMulti[k], func(i, j int) bool { return len(c.legalMulti[k][i]) > len(c.legalMulti[k][j]) })
	}
	c.compileBusiness(d, bad)
	if len(c.nickGroups) == 0 {
		bad("$.nicknames", "no nicknames defined")
	}
	if len(c.legal) == 0 {
		bad("$.legal_forms", "no legal forms defined")
	}
	if d.Bands.Partial <= 0 || d.Bands.Strong <= d.Bands.Partial || d.Bands.Strong > 100 {
		bad("$.bands", "name bands must satisfy 0 < partial (%d) < strong (%d) <= 100", d.Bands.Partial, d.Bands.Strong)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return c, nil
}

func (c *Comparer) addNick(t string, group int) {
	for _, g := range c.nickGroups[t] {
		if g == group {
			return
		}
	}
	c.nickGroups[t] = append(c.nickGroups[t], group)
	c.given[t] = true
}

func sortedKeys(m map[string][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// matchPhrase reports the length of the phrase from set starting at toks[i].
func matchPhrase(set map[string][]phrase, toks []string, i int) int {
	for _, p := range set[toks[i]] {
		if len(p) <= len(toks)-i && equalTokens(p, toks[i:i+len(p)]) {
			return len(p)
		}
	}
	return 0
}

func equalTokens(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// nicknameHow is howNickname when one name is the other's canonical name
// or a nickname of it (ROBERT / BOB), or both are one name respelt (BOB /
// BOBBY, SEAN / SHAWN, MOHAMED / MOHAMMAD), and howNickSibling when both are only
// nicknames or variants of a third (MOLLY / POLLY of MARY, IAN / IVAN of
// JOHN, MARIA / MARIE): sisters and brothers carry such pairs as often as
// one person does.
func (c *Comparer) nicknameHow(a, b string) int {
	how := howNone
	for _, g := range c.nickGroups[a] {
		for _, h := range c.nickGroups[b] {
			if g != h {
				continue
			}
			if canon := c.nickCanon[g]; canon == a || canon == b || oneNameRespelt(a, b) {
				return howNickname
			}
			how = howNickSibling
		}
	}
	return how
}

// addPhrases indexes the phrases of list (at $.key in the file) by first
// word into into, longest first so that "JT TEN" wins over a shorter entry.
func addPhrases(into map[string][]phrase, list []string, key string, bad func(path, format string, args ...any)) {
	for i, p := range list {
		toks := tokens(p)
		if len(toks) == 0 {
			bad(fmt.Sprintf("$.%s[%d]", key, i), "empty entry")
			continue
		}
		into[toks[0]] = append(into[toks[0]], phrase(toks))
	}
	sortLongestFirst(into)
}

// singleWord is s as one normalized word, or "" after reporting at path
// that it is not one.
func singleWord(bad func(path, format string, args ...any), path, s string) string {
	toks := tokens(s)
	if len(toks) != 1 {
		bad(path, "%q must be a single word", s)
		return ""
	}
	return toks[0]
}

// oneNameRespelt reports two nicknames that are one name: one the other
// with a diminutive ending (BOB / BOBBY), or the same consonants, ignoring
// H, W, doubled letters and vowels, reading a soft G as J, C as K and Z
// as S, and the same last letter, E, IE and EY read as Y (SEAN / SHAWN,
// MOHAMED / MOHAMMAD, KATIE / KATY, GEOFF / JEFF). JENNY / JENNA or TONI /
// TONY end differently and stay two names.
func oneNameRespelt(a, b string) bool {
	if strings.HasPrefix(a, b) || strings.HasPrefix(b, a) {
		return true
	}
	if lastSound(a) != lastSound(b) {
		return false
	}
	i, j := 0, 0
	var pa, pb byte
	for {
		i, pa = nextConsonant(a, i, pa)
		j, pb = nextConsonant(b, j, pb)
		if i > len(a) || j > len(b) {
			return i > len(a) && j > len(b)
		}
		if pa != pb {
			return false
		}
	}
}

// nextConsonant returns the position after the next consonant of s from
// i that differs from prev (skipping vowels, H and W), and that consonant;
// past the end it returns len(s)+1.
func nextConsonant(s string, i int, prev byte) (int, byte) {
	for ; i < len(s); i++ {
		x := s[i]
		switch {
		case x == 'G' && i+1 < len(s) && (s[i+1] == 'E' || s[i+1] == 'I' || s[i+1] == 'Y'):
			x = 'J'
		case x == 'C':
			x = 'K'
		case x == 'Z':
			x = 'S'
		}
		if !isVowel(x) && x != 'H' && x != 'W' && x != prev {
			return i + 1, x
		}
	}
	return len(s) + 1, 0
}

// lastSound is a name's last letter, Y for an ending E, IE or EY (KATE,
// KATIE, KATY, CASEY), which nicknames swap freely; A, I and O mark
// another name (JENNA, TONI, MARIO).
func lastSound(s string) byte {
	n := len(s)
	if s[n-1] == 'E' || (n >= 2 && s[n-1] == 'Y' && s[n-2] == 'E') {
		return 'Y'
	}
	return s[n-1]
}
