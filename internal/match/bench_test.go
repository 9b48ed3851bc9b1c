package match

import (
	"strings"
	"testing"

	"github.com/agnivade/levenshtein"

	"github.com/ownercheck/ownercheck/internal/identity"
)

// The benchmark: one evaluation of an identity against two owners
// (name + address), beside a naive whole-string Levenshtein of the same
// inputs in the same run. Compare the two ns/op as a ratio:
//
//	go test -run='^$' -bench=. -benchmem -cpu=1 ./internal/match/
//
// tools/bench-match compares that ratio with another revision's, in one run.
var (
	benchIdentity = identity.Identity{
		Type: identity.Individual, Name: "Robert J. Müller-Smith",
		Address: &identity.Address{Line1: "1234 North Main Street", Line2: "Apt 4B", City: "Springfield", State: "IL", PostalCode: "62704"},
	}
	benchOwners = []identity.Owner{
		{Name: "MARGARET MULLER SMITH", RawAddress: "1234 N MAIN ST APT 4B SPRINGFIELD IL 62704-1234"},
		{Name: "SMITH, BOB MUELLER", RawAddress: "1234 N. Main St., #4B, Springfield, Illinois 62704"},
	}
)

func BenchmarkEvaluate(b *testing.B) {
	m, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		r := m.Evaluate(benchIdentity, benchOwners)
		if r.Decision == "" {
			b.Fatal("no decision")
		}
	}
}

func BenchmarkNaiveLevenshtein(b *testing.B) {
	a := benchIdentity.Address
	name := strings.ToUpper(benchIdentity.Name)
	addr := strings.ToUpper(a.Line1 + " " + a.Line2 + " " + a.City + " " + a.State + " " + a.PostalCode)
	b.ReportAllocs()
	for b.Loop() {
		best := 1 << 30
		for _, o := range benchOwners {
			d := levenshtein.ComputeDistance(name, o.Name) + levenshtein.ComputeDistance(addr, strings.ToUpper(o.RawAddress))
			best = min(best, d)
		}
		if best < 0 {
			b.Fatal("negative distance")
		}
	}
}
