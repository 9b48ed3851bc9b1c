// Package names compares the name a user submitted with an owner name a
// bank returned, for people and companies.
//
// Score scale (0..100): 100 identical after normalization; 90-99 the same
// name under a benign variant (middle name missing, order swapped, nickname,
// legal form missing, truncation that keeps most of a word); 85-89 one typo
// or transposition; 60-84 a partial match (one name only, a bare initial,
// heavy truncation, a company linked by a surname only); below 60 a
// different name (other given name, other distinctive company word). The
// policy in rules/policy.yaml draws its thresholds on this scale.
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
