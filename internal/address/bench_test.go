package address

import (
	"testing"

	"github.com/ownercheck/ownercheck/internal/identity"
)

// Shapes from fixtures/cases: no separators with unit and ZIP+4, commas with
// spelled-out words and a state name.
var (
	benchRawA = "123 N Main St Apt 4B Springfield IL 62704-1234"
	benchRawB = "123 NORTH MAIN STREET, #4B, SPRINGFIELD, ILLINOIS 62704"
)

var sinkParsed Parsed
var sinkResult Result

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkParsed = Parse(benchRawA)
		sinkParsed = Parse(benchRawB)
	}
}

func BenchmarkFromIdentity(b *testing.B) {
	a := identity.Address{Line1: "123 N Main St", Line2: "Apt 4B", City: "Springfield", State: "IL", PostalCode: "62704"}
	b.ReportAllocs()
	for b.Loop() {
		sinkParsed = FromIdentity(a)
	}
}

func BenchmarkCompare(b *testing.B) {
	id, owner := Parse(benchRawA), Parse(benchRawB)
	b.ReportAllocs()
	for b.Loop() {
		sinkResult = Compare(id, owner)
	}
}

// BenchmarkParseCompare is the per-owner cost inside one evaluation: the
// owner's raw address parsed and compared with the prepared identity.
func BenchmarkParseCompare(b *testing.B) {
	id := FromIdentity(identity.Address{Line1: "123 N Main St", Line2: "Apt 4B", City: "Springfield", State: "IL", PostalCode: "62704"})
	b.ReportAllocs()
	for b.Loop() {
		sinkResult = Compare(id, Parse(benchRawB))
	}
}
