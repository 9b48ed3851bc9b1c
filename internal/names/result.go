// Package names compares the name a user submitted with an owner name a
// bank returned, for people and companies.
//
// Score scale (0..100), drawn so the policy's thresholds (rules/policy.yaml:
// strong_name 85, partial_name 60 by default; the comparer receives them)
// fall between the bands. Every value has a name in scores.go:
//
//	100     identical after normalization (case, punctuation, diacritics,
//	        Ü = U = UE, titles, THE, &/AND, legal-form spelling, dictionary
//	        abbreviations GRP/MGMT/NW, particle spacing DE LA CRUZ/DELACRUZ)
//	96-99   the same name in another form: a generational suffix on one side
//	        (99), a middle initial for the middle name (99), spacing
//	        (ANNE MARIE/ANNEMARIE 98), order swapped (98), a middle name
//	        missing (97), a particle dropped (96), a prefix abbreviation (97)
//	88-95   nickname or spelling variant of a given name (92), truncation by
//	        the bank that keeps most of the word (92), word order of a
//	        company (94), legal form of another kind (INC vs LLC, 88), a
//	        first initial before the given name used (J ROBERT SMITH, 95)
//	85-92   one typo or transposition in a word (88; 92 in a company word)
//	60-84   partial: a bare initial (72), the family name's initial only
//	        (62), one name only (62), a given name that is the other's middle
//	        name after a full first given name (70: goes by the middle
//	        name, or a family member: DAVID JOHN / JOHN SMITH), middle
//	        names that conflict (75), a heavy cut (65-70), a company lacking
//	        a descriptive word (70), an acronym (72), a person linked to a
//	        company by family name (65) or named after (80), a misspelling
//	        beyond the typo budget (72: two edits in a long family name, one
//	        in a three-letter name; one letter put for another in a known or
//	        short company word, LODGE / LEDGE), two proper words of a
//	        company swapped (75: LAKE FOREST / FOREST LAKE), a DBA whose
//	        legal holder is not the identity's (70)
//	< 60    a different name: another given name (30, first_name_mismatch),
//	        another family name (35), a company differing in a distinctive
//	        word (45) or sharing only generic words (15-40), a company for a
//	        person or a person for a company (10), a generational suffix
//	        conflict (JR/SR, at most 40)
//
// Facts say why; some are conflicts that the policy fails on whatever the
// score (suffix_conflict: JR/SR). Compare is allocation-light and runs in
// a few microseconds: dictionaries are compiled into maps once (Compile),
// an identity is prepared once per evaluation (Prepare), no regexps.
package names

// Facts are what the comparison found, as flags the policy can test
// (`name.nickname_match`) and the verdict reports.
type Facts struct {
	Exact                bool `json:"exact" expr:"exact"`
	NicknameMatch        bool `json:"nickname_match" expr:"nickname_match"`
	InitialMatch         bool `json:"initial_match" expr:"initial_match"`
	MiddleNameMissing    bool `json:"middle_name_missing" expr:"middle_name_missing"`
	MiddleNameConflict   bool `json:"middle_name_conflict" expr:"middle_name_conflict"`
	OrderSwapped         bool `json:"order_swapped" expr:"order_swapped"`
	Typo                 bool `json:"typo" expr:"typo"`
	Truncated            bool `json:"truncated" expr:"truncated"`
	FirstOrLastNameOnly  bool `json:"first_or_last_name_only" expr:"first_or_last_name_only"`
	FirstNameMismatch    bool `json:"first_name_mismatch" expr:"first_name_mismatch"`
	SurnameMismatch      bool `json:"surname_mismatch" expr:"surname_mismatch"`
	SuffixConflict       bool `json:"suffix_conflict" expr:"suffix_conflict"`
	RoleWord             bool `json:"role_word" expr:"role_word"`
	JointOwner           bool `json:"joint_owner" expr:"joint_owner"`
	BusinessNameDetected bool `json:"business_name_detected" expr:"business_name_detected"`
	PersonNameForCompany bool `json:"person_name_for_company" expr:"person_name_for_company"`
	CompanyNameForPerson bool `json:"company_name_for_person" expr:"company_name_for_person"`
	SurnameLink          bool `json:"surname_link" expr:"surname_link"`
	DBAMatch             bool `json:"dba_match" expr:"dba_match"`
	GenericOnly          bool `json:"generic_only" expr:"generic_only"`
	DistinctiveMismatch  bool `json:"distinctive_mismatch" expr:"distinctive_mismatch"`
	LegalFormMismatch    bool `json:"legal_form_mismatch" expr:"legal_form_mismatch"`
	// Spelling: the names differ only in form: spacing (ANNE MARIE /
	// ANNEMARIE), a particle (VAN BEETHOVEN / BEETHOVEN), an abbreviation
	// (PAC / PACIFIC), a middle initial for the middle name.
	Spelling bool `json:"spelling" expr:"spelling"`
	// GivenNameIsMiddle: one side's given name is the other's middle name,
	// the other's first given name on that side only (DAVID JOHN SMITH /
	// JOHN SMITH; J ROBERT SMITH / ROBERT SMITH): the same person going by
	// the middle name, or a family member.
	GivenNameIsMiddle bool `json:"given_name_is_middle" expr:"given_name_is_middle"`
	// SuffixMissing: a generational suffix on one side only (not a conflict).
	SuffixMissing bool `json:"suffix_missing" expr:"suffix_missing"`
	// WordMissing: company names agree except a descriptive (not generic)
	// word one side lacks (SWEET CRUMB / SWEET CRUMB BAKERY).
	WordMissing bool `json:"word_missing" expr:"word_missing"`
	// Acronym: one company name is the initials of the other (IBM).
	Acronym bool `json:"acronym" expr:"acronym"`
	// SeriesMismatch: a roman numeral or fund/series number is on one side
	// only, or differs (NORTHGATE CAPITAL FUND II / NORTHGATE CAPITAL): a
	// sister entity, never the same one without review.
	SeriesMismatch bool `json:"series_mismatch" expr:"series_mismatch"`
	// DBAHolderMismatch: the trade names agree, but the identity's legal
	// name and the one before the owner's DBA are another holder's (JOHN
	// SMITH DBA SMITH PLUMBING / JANE SMITH DBA SMITH PLUMBING).
	DBAHolderMismatch bool `json:"dba_holder_mismatch" expr:"dba_holder_mismatch"`
}

// Result is a name comparison. Detail quotes the normalized names, for
// `ownercheck explain` only; Reasons(r.Facts) explains it without them.
type Result struct {
	Score  int    `json:"score"`
	Facts  Facts  `json:"facts"`
	Detail Detail `json:"detail"`
}

// Detail shows the normalized forms and how their words were aligned.
type Detail struct {
	Identity  string `json:"identity"`
	Owner     string `json:"owner"`
	Candidate string `json:"candidate,omitempty"` // the part of the owner string that counted
	Alignment []Pair `json:"alignment,omitempty"`
}

// Pair is one aligned word: A from the identity, B from the owner; How is
// exact, nickname, initial, typo, truncated, abbreviation or missing.
type Pair struct {
	A   string `json:"a"`
	B   string `json:"b"`
	How string `json:"how"`
}
