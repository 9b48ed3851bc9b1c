package address

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ownercheck/ownercheck/internal/identity"
)

var update = flag.Bool("update", false, "rewrite testdata/parse.golden")

// Raw addresses in the shapes banks return (issue 2: commas, newlines or
// neither; ZIP or ZIP+4; state as code or name; PO boxes, highways, units).
var goldenInputs = []string{
	"123 N Main St Apt 4B Springfield IL 62704-1234",
	"123 NORTH MAIN STREET, #4B, SPRINGFIELD, ILLINOIS 62704",
	"123 N. Main St.\nApt 4B\nSpringfield, IL 62704",
	"PO BOX 12 AUSTIN TX 78701",
	"P.O. Box 4410, Boise, ID 83701",
	"4500 HWY 61 N, TUNICA, MS 38676",
	"10 FIRST AVE NEW YORK NY 10009",
	"10 1st Avenue, New York, New York 10009",
	"2100 WEST LOOP SOUTH STE 900 HOUSTON TX 77027",
	"3020 N BROADWAY CHICAGO IL 60657",
	"77 Massachusetts Ave, Cambridge, MA 02139, USA",
	"5770 S 250 E, Murray, UT 84107",
	"1600 Pennsylvania Avenue NW, Washington, DC 20500",
	"88 Linden St\nBurlington VT 05401",
	"15 ST CHARLES AVE UNIT 3 NEW ORLEANS LA 70130",
	"",
}

func TestParseGolden(t *testing.T) {
	var buf bytes.Buffer
	for _, in := range goldenInputs {
		p := Parse(in)
		b, _ := json.Marshal(p)
		buf.WriteString(strings.ReplaceAll(in, "\n", `\n`) + "\n  " + string(b) + "\n  " + p.String() + "\n")
	}
	path := filepath.Join("testdata", "parse.golden")
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create)", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("parse output differs from %s (review, then -update):\n%s", path, buf.String())
	}
}

func TestParseParts(t *testing.T) {
	tests := []struct {
		src, raw string
		want     Parsed
	}{
		{"no separators, unit, ZIP+4", "123 N Main St Apt 4B Springfield IL 62704-1234",
			Parsed{Number: "123", PreDir: "N", Street: "MAIN", Suffix: "ST", UnitType: "APT", Unit: "4B", City: "SPRINGFIELD", State: "IL", ZIP: "62704", ZIP4: "1234"}},
		{"spelled out, # unit, state name", "123 NORTH MAIN STREET, #4B, SPRINGFIELD, ILLINOIS 62704",
			Parsed{Number: "123", PreDir: "N", Street: "MAIN", Suffix: "ST", UnitType: "#", Unit: "4B", City: "SPRINGFIELD", State: "IL", ZIP: "62704"}},
		{"PO box", "P.O. Box 4410, Boise, ID 83701", Parsed{POBox: "4410", City: "BOISE", State: "ID", ZIP: "83701"}},
		{"highway", "4500 HWY 61 N, TUNICA, MS 38676", Parsed{Number: "4500", Street: "HWY 61", PostDir: "N", City: "TUNICA", State: "MS", ZIP: "38676"}},
		{"ordinal word", "10 FIRST AVE NEW YORK NY 10009", Parsed{Number: "10", Street: "1ST", Suffix: "AVE", City: "NEW YORK", State: "NY", ZIP: "10009"}},
	}
	for _, tt := range tests {
		if got := Parse(tt.raw); got != tt.want {
			t.Errorf("%s: Parse(%q)\n got %+v\nwant %+v", tt.src, tt.raw, got, tt.want)
		}
	}
}

func TestCompare(t *testing.T) {
	id := FromIdentity(identity.Address{Line1: "123 N Main St", Line2: "Apt 4B", City: "Springfield", State: "IL", PostalCode: "62704"})
	tests := []struct {
		src, owner string
		min, max   int
		check      func(Facts) bool
	}{
		{"identical after normalization", "123 NORTH MAIN STREET APT 4B, SPRINGFIELD, ILLINOIS 62704-0001", 100, 100, func(f Facts) bool { return f.LineMatch && f.PostalCodeMatch }},
		{"unit missing at the bank is no conflict", "123 N MAIN ST SPRINGFIELD IL 62704", 88, 95, func(f Facts) bool { return f.UnitMissing && !f.UnitConflict && f.LineMatch }},
		{"different unit", "123 N MAIN ST APT 7C SPRINGFIELD IL 62704", 60, 70, func(f Facts) bool { return f.UnitConflict && !f.LineMatch }},
		{"other house number same street", "125 N MAIN ST APT 4B SPRINGFIELD IL 62704", 40, 55, func(f Facts) bool { return f.HouseNumberConflict && f.StreetMatch }},
		{"only ZIP matches", "9 ELM RD SPRINGFIELD IL 62704", 20, 35, func(f Facts) bool { return f.PostalCodeMatch && f.StreetConflict }},
		{"other state", "123 N MAIN ST APT 4B SPRINGFIELD MO 65801", 0, 10, func(f Facts) bool { return f.StateConflict }},
		{"street typo", "123 N MIAN ST APT 4B SPRINGFIELD IL 62704", 90, 100, func(f Facts) bool { return f.StreetMatch && f.LineMatch }},
	}
	for _, tt := range tests {
		r := Compare(id, Parse(tt.owner))
		if r.Score < tt.min || r.Score > tt.max || !tt.check(r.Facts) {
			t.Errorf("%s: %q scored %d (want %d..%d), facts %+v", tt.src, tt.owner, r.Score, tt.min, tt.max, r.Facts)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range goldenInputs {
		f.Add(s)
	}
	// Property: normalization reaches its fixed point after one round trip
	// (String of Parse of a normal form is that normal form). Degenerate
	// inputs such as "FIRST A,000" may need the one round trip to settle.
	f.Fuzz(func(t *testing.T, raw string) {
		once := Parse(Parse(raw).String()).String()
		if twice := Parse(once).String(); twice != once {
			t.Fatalf("normal form not idempotent: %q -> %q -> %q", raw, once, twice)
		}
	})
}
