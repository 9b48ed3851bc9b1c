package shadow

import (
	"cmp"
	"slices"
)

// Most frequent first, then by name, so the summary reads the same twice.
func sortPairs(p []PairSummary) {
	slices.SortFunc(p, func(a, b PairSummary) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Live, b.Live), cmp.Compare(a.Shadow, b.Shadow))
	})
}

func sortRules(r []RuleSummary) {
	slices.SortFunc(r, func(a, b RuleSummary) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Live, b.Live), cmp.Compare(a.Shadow, b.Shadow))
	})
}
