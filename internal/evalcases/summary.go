package evalcases

import (
	"slices"

	"github.com/ownercheck/ownercheck/internal/match"
)

// Summary is what a report shows of a run, gathered one outcome at a time
// in bounded memory: the matrix, decisions per rule, score histograms per
// expected outcome, and the cases worth reading (misses or changes) up to
// MaxListed.
type Summary struct {
	Matrix Matrix
	Rules  map[string]*RuleCount
	// Hist[field][expect] counts scores in bins of HistBin points; the last
	// bin also holds 100.
	Hist     map[string]map[string]*Histogram
	Listed   []CaseRow
	Unlisted int // cases that qualified for Listed beyond MaxListed
}

// MaxListed bounds the cases a report lists, so a run over a million
// mislabeled cases still has a bounded report; the rest are counted.
const MaxListed = 5000

// HistBin is the width of a histogram bin in score points.
const HistBin = 10

// HistFields are the scores a report draws, in order.
var HistFields = []string{"name", "address", "email", "phone"}

// RuleCount is how often a rule decided, and how often it decided as the
// cases expected.
type RuleCount struct {
	Name     string
	Decision string
	Total    int
	Hits     int
	ByExpect map[string]int
}

// Histogram counts one score for the cases of one expected outcome.
type Histogram struct {
	Bins      [100/HistBin + 1]int // the last bin is 100 exactly
	NotScored int                  // cases where either side lacked the field
}

// CaseRow is a listed case, copied out of the run (no owner data beyond the
// reasons the verdict gives).
type CaseRow struct {
	ID, File, Note, Expect string
	Line                   int
	New                    Outcome
	Old                    *Outcome // set in a rules diff
}

// NewSummary returns an empty summary.
func NewSummary() *Summary {
	return &Summary{Matrix: Matrix{}, Rules: map[string]*RuleCount{}, Hist: map[string]map[string]*Histogram{}}
}

// Add counts one outcome.
func (s *Summary) Add(o Outcome) {
	s.Matrix.Add(o)
	rc := s.Rules[o.Rule]
	if rc == nil {
		rc = &RuleCount{Name: o.Rule, Decision: o.Decision, ByExpect: map[string]int{}}
		s.Rules[o.Rule] = rc
	}
	rc.Total++
	rc.ByExpect[o.Expect]++
	if o.Hit() {
		rc.Hits++
	}
	for i, p := range []*int{o.Scores.Name, o.Scores.Address, o.Scores.Email, o.Scores.Phone} {
		s.histogram(HistFields[i], o.Expect).add(p)
	}
}

func (s *Summary) histogram(field, expect string) *Histogram {
	if s.Hist[field] == nil {
		s.Hist[field] = map[string]*Histogram{}
	}
	h := s.Hist[field][expect]
	if h == nil {
		h = &Histogram{}
		s.Hist[field][expect] = h
	}
	return h
}

func (h *Histogram) add(score *int) {
	if score == nil {
		h.NotScored++
		return
	}
	h.Bins[min(max(*score, 0), 100)/HistBin]++
}

// List keeps a case for the report (a miss, or a change in a diff).
func (s *Summary) List(o Outcome, old *Outcome) {
	if len(s.Listed) >= MaxListed {
		s.Unlisted++
		return
	}
	row := CaseRow{ID: o.ID, Expect: o.Expect, New: o}
	if c := o.Case; c != nil {
		row.File, row.Line, row.Note = c.File, c.Line, c.Note
	}
	row.New.Case = nil // do not keep the case (and its batch) alive
	if old != nil {
		cp := *old
		cp.Case = nil
		row.Old = &cp
	}
	s.Listed = append(s.Listed, row)
}

// RuleCounts are the rules that decided, in the policy's order (then
// "default" and "no_owners").
func (s *Summary) RuleCounts(m *match.Matcher) []RuleCount {
	var out []RuleCount
	done := map[string]bool{}
	for _, r := range m.Policy().Rules {
		if rc := s.Rules[r.Name]; rc != nil {
			out = append(out, *rc)
			done[r.Name] = true
		}
	}
	var rest []string
	for name := range s.Rules {
		if !done[name] {
			rest = append(rest, name)
		}
	}
	slices.Sort(rest)
	for _, name := range rest {
		out = append(out, *s.Rules[name])
	}
	return out
}
