package match

// Decisions the policy can reach. Unverifiable is never reached by the
// policy: the service uses it when there is no ownership data to compare.
const (
	Pass         = "pass"
	Review       = "review"
	Fail         = "fail"
	Unverifiable = "unverifiable"
)

// Scores are per-field scores 0..100; nil when either side lacks the field
// (JSON null), so "not compared" is never confused with "no match".
type Scores struct {
	Name    *int `json:"name"`
	Address *int `json:"address"`
	Email   *int `json:"email"`
	Phone   *int `json:"phone"`
}

// Result is the outcome of comparing one identity with one account's owners.
// It holds no raw owner data (it is cached as is).
type Result struct {
	Decision string          `json:"decision"`
	Scores   Scores          `json:"scores"`
	Flags    map[string]bool `json:"flags"`
	Reasons  []string        `json:"reasons"`
	Owner    int             `json:"owner"` // index of the owner that counted; -1 when there were none
	Rule     string          `json:"rule"`  // name of the policy rule that decided ("default" when none matched)
	Ruleset  string          `json:"ruleset"`
	Digest   string          `json:"digest"`
}
