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
// neither; ZIP or ZIP+4; state as code or name; PO boxes, highways, units)
// and the brief's examples; the last ones are shapes from
// fixtures/cases/*.jsonl that needed the state/ZIP anchor.
var goldenInputs = []string{
	"123 N Main St Apt 4B Springfield IL 62704-1234",
	"123 NORTH MAIN STREET, #4B, SPRINGFIELD, ILLINOIS 62704",
	"123 N. Main St.\nApt 4B\nSpringfield, IL 62704",
	"PO BOX 12 AUSTIN TX 78701",
	"P.O. Box 4410, Boise, ID 83701",
	"POST OFFICE BOX 4471\nBEND OREGON 97701",
	"PO BOX # 77, RENO, NV 89501",
	"4500 HWY 61 N, TUNICA, MS 38676",
	"4500 HIGHWAY 61 NORTH TUNICA MS 38676",
	"4500 US HWY 9, FREEHOLD, NJ 07728",
	"14022 COUNTY ROAD 9\nFORT COLLINS CO 80524",
	"RR 2 BOX 15, HOPE, AR 71801",
	"10 FIRST AVE NEW YORK NY 10009",
	"10 1st Avenue, New York, New York 10009",
	"300 WEST FOURTH STREET WINSTON SALEM NC 27101",
	"2100 WEST LOOP SOUTH STE 900 HOUSTON TX 77027",
	"3020 N BROADWAY CHICAGO IL 60657",
	"77 Massachusetts Ave, Cambridge, MA 02139, USA",
	"5770 S 250 E, Murray, UT 84107",
	"5770 S 250 E MURRAY UT 84107",
	"1600 Pennsylvania Avenue NW, Washington, DC 20500",
	"1200 N ST NW WASHINGTON DC 20005",
	"88 Linden St\nBurlington VT 05401",
	"15 ST CHARLES AVE UNIT 3 NEW ORLEANS LA 70130",
	"1 EMBARCADERO CTR SAN FRANCISCO CA 94111",
	"120 FIRST STREET NORTHEAST MASON CITY IA 50401",
	"8820 HIGHWAY 290 WEST DRIPPING SPRINGS TX 78620",
	"100 DUVAL ST KEY WEST FL 33040",
	"4100 LINDELL BLVD ST LOUIS MO 63108",
	"500 W MADISON ST FL 3 CHICAGO IL 60661",
	"12 ELM ST 3RD FL",
	"620 EIGHTH AVENUE 12-B NEW YORK NY 10018",
	"3000 El Camino Real, Palo Alto, CA 94306",
	"São Paulo Café 12 Rue Royale, New Orleans, LA 70130",
	"SPRINGFIELD IL 62704",
	"",
	// Issue 8: real-world bank strings (invented).
	"1550 LARIMER AVE APT 210 DENVER CO 80202",
	"400 K ST., NE STE. 300, WASHINGTON, DC 20002",
	"12 ELM ST # APT 2 SPRINGFIELD IL 62704",
	"900 TRAVIS ST ST 1400 HOUSTON TX 77002",
	"1550 LARIMER AVE APT210 DENVER CO",
	"640 PINE ST APT B-12 SEATTLE WA 98101",
	"9 OAK CT BLDG 4, APT 210, AURORA, CO 80012",
	"31 GROVE ST LOWER BUFFALO NY 14207",
	"APT 4 640 PINE ST SEATTLE WA 98101",
	"640 pine st\napt 4b\nseattle, wa 98101-2233",
	"RR # 3 BOX 17 HOPE AR 71801",
	"HCR 61 BOX 22, DUBOIS, WY 82513",
	"BOX 17 RR 3 HOPE AR 71801",
	"10 RUE DE LA PAIX 75002 PARIS FRANCE",
	"HAUPTSTRASSE 5, 10115 BERLIN, GERMANY",
	"10 DOWNING STREET, LONDON, SW1A 2AA, UK",
	"100 KING ST W SUITE 500 TORONTO ON M5X 1A9 CANADA",
	"1200 RUE STE-CATHERINE O, MONTREAL QC H3B 1K9",
	"77 MASSACHUSETTS AVE CAMBRIDGE MA 2139",
	"ONE MARKET PLAZA SUITE 300 SAN FRANCISCO CA 94105",
	"C/O JANE DOE, 123 MAIN ST APT 4B, SPRINGFIELD IL 62704",
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
		{"brief: no separators, unit, ZIP+4", "123 N Main St Apt 4B Springfield IL 62704-1234",
			Parsed{Number: "123", PreDir: "N", Street: "MAIN", Suffix: "ST", UnitType: "APT", Unit: "4B", City: "SPRINGFIELD", State: "IL", ZIP: "62704", ZIP4: "1234"}},
		{"brief: spelled out, # unit, state name", "123 NORTH MAIN STREET, #4B, SPRINGFIELD, ILLINOIS 62704",
			Parsed{Number: "123", PreDir: "N", Street: "MAIN", Suffix: "ST", UnitType: "#", Unit: "4B", City: "SPRINGFIELD", State: "IL", ZIP: "62704"}},
		{"brief: PO box without separators", "PO BOX 12 AUSTIN TX 78701", Parsed{POBox: "12", City: "AUSTIN", State: "TX", ZIP: "78701"}},
		{"PO box with dots", "P.O. Box 4410, Boise, ID 83701", Parsed{POBox: "4410", City: "BOISE", State: "ID", ZIP: "83701"}},
		{"PO box with #", "PO BOX # 77, RENO, NV 89501", Parsed{POBox: "77", City: "RENO", State: "NV", ZIP: "89501"}},
		{"brief: highway with post-directional", "4500 HWY 61 N, TUNICA, MS 38676", Parsed{Number: "4500", Street: "HWY 61", PostDir: "N", City: "TUNICA", State: "MS", ZIP: "38676"}},
		{"highway spelled out", "4500 HIGHWAY 61 NORTH TUNICA MS 38676", Parsed{Number: "4500", Street: "HWY 61", PostDir: "N", City: "TUNICA", State: "MS", ZIP: "38676"}},
		{"rural route box", "RR 2 BOX 15, HOPE, AR 71801", Parsed{Street: "RR 2", POBox: "15", City: "HOPE", State: "AR", ZIP: "71801"}},
		{"brief: ordinal word", "10 FIRST AVE NEW YORK NY 10009", Parsed{Number: "10", Street: "1ST", Suffix: "AVE", City: "NEW YORK", State: "NY", ZIP: "10009"}},
		{"brief: ordinal number, state name of two words", "10 1st Avenue, New York, New York 10009", Parsed{Number: "10", Street: "1ST", Suffix: "AVE", City: "NEW YORK", State: "NY", ZIP: "10009"}},
		{"Houston loop: no suffix, spelled directionals", "2100 WEST LOOP SOUTH STE 900 HOUSTON TX 77027",
			Parsed{Number: "2100", PreDir: "W", Street: "LOOP", PostDir: "S", UnitType: "STE", Unit: "900", City: "HOUSTON", State: "TX", ZIP: "77027"}},
		{"Utah grid without separators", "5770 S 250 E MURRAY UT 84107", Parsed{Number: "5770", PreDir: "S", Street: "250", PostDir: "E", City: "MURRAY", State: "UT", ZIP: "84107"}},
		{"DC lettered street", "1200 N ST NW WASHINGTON DC 20005", Parsed{Number: "1200", Street: "N", Suffix: "ST", PostDir: "NW", City: "WASHINGTON", State: "DC", ZIP: "20005"}},
		{"fixtures: weak suffix, city after it (anchor)", "1 EMBARCADERO CTR SAN FRANCISCO CA 94111",
			Parsed{Number: "1", Street: "EMBARCADERO", Suffix: "CTR", City: "SAN FRANCISCO", State: "CA", ZIP: "94111"}},
		{"fixtures: compound post-directional before the city", "120 FIRST STREET NORTHEAST MASON CITY IA 50401",
			Parsed{Number: "120", Street: "1ST", Suffix: "ST", PostDir: "NE", City: "MASON CITY", State: "IA", ZIP: "50401"}},
		{"KEY is a unit designator and a city word", "100 DUVAL ST KEY WEST FL 33040", Parsed{Number: "100", Street: "DUVAL", Suffix: "ST", City: "KEY WEST", State: "FL", ZIP: "33040"}},
		{"ST before the city is SAINT", "4100 LINDELL BLVD ST LOUIS MO 63108", Parsed{Number: "4100", Street: "LINDELL", Suffix: "BLVD", City: "SAINT LOUIS", State: "MO", ZIP: "63108"}},
		{"floor unit FL before the city, state FL absent", "500 W MADISON ST FL 3 CHICAGO IL 60661",
			Parsed{Number: "500", PreDir: "W", Street: "MADISON", Suffix: "ST", UnitType: "FL", Unit: "3", City: "CHICAGO", State: "IL", ZIP: "60661"}},
		{"3RD FL at the end is a floor, not Florida", "12 ELM ST 3RD FL", Parsed{Number: "12", Street: "ELM", Suffix: "ST", UnitType: "FL", Unit: "3"}},
		{"bare unit with dash", "620 EIGHTH AVENUE 12-B NEW YORK NY 10018", Parsed{Number: "620", Street: "8TH", Suffix: "AVE", UnitType: "#", Unit: "12B", City: "NEW YORK", State: "NY", ZIP: "10018"}},
		{"no suffix, separators", "3000 El Camino Real, Palo Alto, CA 94306", Parsed{Number: "3000", Street: "EL CAMINO REAL", City: "PALO ALTO", State: "CA", ZIP: "94306"}},
		{"only the place", "SPRINGFIELD IL 62704", Parsed{City: "SPRINGFIELD", State: "IL", ZIP: "62704"}},
		{"adversarial probe: the owner's name printed as the first line of a label", "DANA WHITFIELD\n123 MAIN ST\nSPRINGFIELD IL 62704",
			Parsed{Number: "123", Street: "MAIN", Suffix: "ST", City: "SPRINGFIELD", State: "IL", ZIP: "62704"}},
		{"adversarial probe, placeholder raw_address: nothing to compare", "N/A", Parsed{}},
		{"placeholder raw_address, spelt out", "Address on file", Parsed{}},
		{"a street that starts like a placeholder is kept", "12 NONESUCH RD", Parsed{Number: "12", Street: "NONESUCH", Suffix: "RD"}},
		{"adversarial probe, street named with a unit word: PIER is the name, RD the suffix", "9 PIER RD, PORTLAND, ME 04101",
			Parsed{Number: "9", Street: "PIER", Suffix: "RD", City: "PORTLAND", State: "ME", ZIP: "04101"}},
		{"street named with a unit word, no separators", "40 LOT RD PORTLAND ME 04101",
			Parsed{Number: "40", Street: "LOT", Suffix: "RD", City: "PORTLAND", State: "ME", ZIP: "04101"}},
		{"a building name line before the street", "HARBOR TOWER, 9 OCEAN AVE, PORTLAND, ME 04101",
			Parsed{Number: "9", Street: "OCEAN", Suffix: "AVE", City: "PORTLAND", State: "ME", ZIP: "04101"}},
		{"a unit line before the street is not a name line", "APT B\n123 MAIN ST\nSPRINGFIELD IL 62704",
			Parsed{Number: "123", Street: "MAIN", Suffix: "ST", UnitType: "APT", Unit: "B", City: "SPRINGFIELD", State: "IL", ZIP: "62704"}},
		{"a spelt number's line before a floor is the street", "ONE MAIN ST, 4TH FL, SPRINGFIELD IL 62704",
			Parsed{Number: "1", Street: "MAIN", Suffix: "ST", UnitType: "FL", Unit: "4", City: "SPRINGFIELD", State: "IL", ZIP: "62704"}},
		{"ZIP+4 with a space, city abbreviation", "9 PIKES PEAK AVE COLORADO SPGS CO 80903 1234",
			Parsed{Number: "9", Street: "PIKES PEAK", Suffix: "AVE", City: "COLORADO SPRINGS", State: "CO", ZIP: "80903", ZIP4: "1234"}},
		{"country name after a state name ending in a country word", "1 PLAZA DR, SANTA FE, NEW MEXICO", Parsed{Number: "1", Street: "PLAZA", Suffix: "DR", City: "SANTA FE", State: "NM"}},
		{"diacritics folded", "12 Rue Royale, Nouvelle-Orléans, LA 70130", Parsed{Number: "12", Street: "RUE ROYALE", City: "NOUVELLE ORLEANS", State: "LA", ZIP: "70130"}},
		// Issue 8, units in real bank strings.
		{"issue 8: unit after a comma with the post-directional", "400 K ST., NE STE. 300, WASHINGTON, DC 20002",
			Parsed{Number: "400", Street: "K", Suffix: "ST", PostDir: "NE", UnitType: "STE", Unit: "300", City: "WASHINGTON", State: "DC", ZIP: "20002"}},
		{"issue 8: # before a designator", "12 ELM ST # APT 2 SPRINGFIELD IL 62704",
			Parsed{Number: "12", Street: "ELM", Suffix: "ST", UnitType: "APT", Unit: "2", City: "SPRINGFIELD", State: "IL", ZIP: "62704"}},
		{"issue 8: ST after the street suffix is a suite", "200 MAIN ST ST 1400 HOUSTON TX 77002",
			Parsed{Number: "200", Street: "MAIN", Suffix: "ST", UnitType: "STE", Unit: "1400", City: "HOUSTON", State: "TX", ZIP: "77002"}},
		{"designator against its number", "1550 LARIMER AVE APT210 DENVER CO 80202",
			Parsed{Number: "1550", Street: "LARIMER", Suffix: "AVE", UnitType: "APT", Unit: "210", City: "DENVER", State: "CO", ZIP: "80202"}},
		{"letter-dash-number unit", "123 MAIN ST APT B-12 SPRINGFIELD IL 62704",
			Parsed{Number: "123", Street: "MAIN", Suffix: "ST", UnitType: "APT", Unit: "B12", City: "SPRINGFIELD", State: "IL", ZIP: "62704"}},
		{"letter-led unit code longer than two", "123 MAIN ST UNIT C210 SPRINGFIELD IL 62704",
			Parsed{Number: "123", Street: "MAIN", Suffix: "ST", UnitType: "UNIT", Unit: "C210", City: "SPRINGFIELD", State: "IL", ZIP: "62704"}},
		{"building and apartment both kept", "123 MAIN ST BLDG 4 APT 210 SPRINGFIELD IL 62704",
			Parsed{Number: "123", Street: "MAIN", Suffix: "ST", UnitType: "BLDG", Unit: "4 APT 210", City: "SPRINGFIELD", State: "IL", ZIP: "62704"}},
		{"issue 8: rural route with #", "RR # 3 BOX 17 HOPE AR 71801", Parsed{Street: "RR 3", POBox: "17", City: "HOPE", State: "AR", ZIP: "71801"}},
		{"highway contract route, HCR spelling", "HCR 61 BOX 22 DUBOIS WY 82513", Parsed{Street: "HC 61", POBox: "22", City: "DUBOIS", State: "WY", ZIP: "82513"}},
		{"highway contract spelled out", "HIGHWAY CONTRACT 61 BOX 22, DUBOIS, WY 82513", Parsed{Street: "HC 61", POBox: "22", City: "DUBOIS", State: "WY", ZIP: "82513"}},
		{"route kind against its number", "RR3 BOX 17 HOPE AR", Parsed{Street: "RR 3", POBox: "17", City: "HOPE", State: "AR"}},
		{"box before the rural route", "BOX 17 RR 3 HOPE AR 71801", Parsed{Street: "RR 3", POBox: "17", City: "HOPE", State: "AR", ZIP: "71801"}},
		{"issue 8: non-US, postal code before the city, no separators", "10 RUE DE LA PAIX 75002 PARIS FRANCE",
			Parsed{Number: "10", Street: "RUE DE LA PAIX", City: "PARIS", ZIP: "75002", Country: "FR"}},
		{"non-US with commas", "HAUPTSTRASSE 5, 10115 BERLIN, GERMANY", Parsed{Number: "5", Street: "HAUPTSTRASSE", City: "BERLIN", ZIP: "10115", Country: "DE"}},
		{"UK postcode after the city", "10 DOWNING STREET, LONDON, SW1A 2AA, UK", Parsed{Number: "10", Street: "DOWNING", Suffix: "ST", City: "LONDON", ZIP: "SW1A2AA", Country: "GB"}},
		{"Canadian owner: province and postal code", "100 KING ST W SUITE 500 TORONTO ON M5X 1A9 CANADA",
			Parsed{Number: "100", Street: "KING", Suffix: "ST", PostDir: "W", UnitType: "STE", Unit: "500", City: "TORONTO", State: "ON", ZIP: "M5X1A9", Country: "CA"}},
		{"Canadian postal code without the country", "1200 RUE STE-CATHERINE O, MONTREAL QC H3B 1K9",
			Parsed{Number: "1200", Street: "SAINTE CATHERINE", Suffix: "ST", PostDir: "W", City: "MONTREAL", State: "QC", ZIP: "H3B1K9", Country: "CA"}},
		{"adversarial probe, French Canadian forms: unit before the civic number, OUEST, APP", "5-1200 RUE STE-CATHERINE OUEST APP 5, MONTREAL QC H3B 1K9",
			Parsed{Number: "1200", Street: "SAINTE CATHERINE", Suffix: "ST", PostDir: "W", UnitType: "APT", Unit: "5", City: "MONTREAL", State: "QC", ZIP: "H3B1K9", Country: "CA"}},
		{"French Canadian forms: CHEMIN keeps a type of its own", "45 CHEMIN DU LAC, SHERBROOKE QC J1H 5N4",
			Parsed{Number: "45", Street: "DU LAC", Suffix: "CH", City: "SHERBROOKE", State: "QC", ZIP: "J1H5N4", Country: "CA"}},
		{"ZIP that lost its leading zero after a New England state", "77 MASSACHUSETTS AVE CAMBRIDGE MA 2139-4307",
			Parsed{Number: "77", Street: "MASSACHUSETTS", Suffix: "AVE", City: "CAMBRIDGE", State: "MA", ZIP: "02139", ZIP4: "4307"}},
		{"house number as a word", "ONE MARKET PLZ SAN FRANCISCO CA 94105", Parsed{Number: "1", Street: "MARKET", Suffix: "PLZ", City: "SAN FRANCISCO", State: "CA", ZIP: "94105"}},
		{"care-of line first", "C/O JANE DOE, 123 MAIN ST, SPRINGFIELD IL 62704", Parsed{Number: "123", Street: "MAIN", Suffix: "ST", City: "SPRINGFIELD", State: "IL", ZIP: "62704"}},
		{"PO drawer is a box", "PO DRAWER 12 AUSTIN TX 78701", Parsed{POBox: "12", City: "AUSTIN", State: "TX", ZIP: "78701"}},
		{"bare unit number and letter apart", "123 MAIN ST 4 B, SPRINGFIELD IL 62704", Parsed{Number: "123", Street: "MAIN", Suffix: "ST", UnitType: "#", Unit: "4B", City: "SPRINGFIELD", State: "IL", ZIP: "62704"}},
		{"words with digits before the city are not the city", "1550 LARIMER AVE NO 210 DENVER CO 80202",
			Parsed{Number: "1550", Street: "LARIMER", Suffix: "AVE", City: "DENVER", State: "CO", ZIP: "80202", Unplaced: "NO 210"}},
	}
	for _, tt := range tests {
		if got := Parse(tt.raw); got != tt.want {
			t.Errorf("%s: Parse(%q)\n got %#v\nwant %#v", tt.src, tt.raw, got, tt.want)
		}
	}
}

func TestFromIdentity(t *testing.T) {
	tests := []struct {
		src  string
		in   identity.Address
		want Parsed
	}{
		{"structured, line2 unit, state name", identity.Address{Line1: "123 North Main Street", Line2: "Apt. 4B", City: "Springfield", State: "Illinois", PostalCode: "62704-1234", Country: "US"},
			Parsed{Number: "123", PreDir: "N", Street: "MAIN", Suffix: "ST", UnitType: "APT", Unit: "4B", City: "SPRINGFIELD", State: "IL", ZIP: "62704", ZIP4: "1234", Country: "US"}},
		{"bare line2 unit, old state abbreviation", identity.Address{Line1: "10 First Ave", Line2: "#12", City: "Ft Lauderdale", State: "Fla.", PostalCode: "33301"},
			Parsed{Number: "10", Street: "1ST", Suffix: "AVE", UnitType: "#", Unit: "12", City: "FORT LAUDERDALE", State: "FL", ZIP: "33301"}},
		{"street without suffix keeps its words (no city to find)", identity.Address{Line1: "3020 N Broadway", City: "Chicago", State: "IL", PostalCode: "60657"},
			Parsed{Number: "3020", PreDir: "N", Street: "BROADWAY", City: "CHICAGO", State: "IL", ZIP: "60657"}},
		{"issue 8: a street name holding a suffix word kept the unit out of sight", identity.Address{Line1: "31 Park Place Dr", Line2: "Apt 4B", City: "Springfield", State: "IL", PostalCode: "62704"},
			Parsed{Number: "31", Street: "PARK PLACE", Suffix: "DR", UnitType: "APT", Unit: "4B", City: "SPRINGFIELD", State: "IL", ZIP: "62704"}},
		{"whole address typed into line1", identity.Address{Line1: "PO Box 12, Austin, TX 78701"},
			Parsed{POBox: "12", City: "AUSTIN", State: "TX", ZIP: "78701"}},
		{"adversarial probe, leading zero lost on the identity side: ZIP typed as a number", identity.Address{Line1: "12 Beacon St", City: "Boston", State: "MA", PostalCode: "2134"},
			Parsed{Number: "12", Street: "BEACON", Suffix: "ST", City: "BOSTON", State: "MA", ZIP: "02134"}},
		{"leading zero lost, ZIP+4", identity.Address{Line1: "12 Beacon St", City: "Boston", State: "Massachusetts", PostalCode: "2134-4307"},
			Parsed{Number: "12", Street: "BEACON", Suffix: "ST", City: "BOSTON", State: "MA", ZIP: "02134", ZIP4: "4307"}},
		{"four digits outside the 0-ZIP states stay as typed", identity.Address{Line1: "123 Main St", City: "Springfield", State: "IL", PostalCode: "6270"},
			Parsed{Number: "123", Street: "MAIN", Suffix: "ST", City: "SPRINGFIELD", State: "IL", ZIP: "6270"}},
	}
	for _, tt := range tests {
		if got := FromIdentity(tt.in); got != tt.want {
			t.Errorf("%s: FromIdentity(%+v)\n got %#v\nwant %#v", tt.src, tt.in, got, tt.want)
		}
	}
}

// TestParseNear: issue 8, city names that begin or end with street words
// split wrongly without separators; the identity's place chooses among
// the readings the string supports, and never invents one.
func TestParseNear(t *testing.T) {
	tests := []struct {
		src, raw string
		near     Parsed
		want     Parsed
	}{
		{"ST LOUIS after a street without suffix", "4100 BROADWAY ST LOUIS MO 63108", Parsed{City: "SAINT LOUIS", State: "MO"},
			Parsed{Number: "4100", Street: "BROADWAY", City: "SAINT LOUIS", State: "MO", ZIP: "63108"}},
		{"ST SIMONS ISLAND", "45 FREDERICA ST SIMONS ISLAND GA 31522", Parsed{City: "SAINT SIMONS ISLAND", State: "GA"},
			Parsed{Number: "45", Street: "FREDERICA", City: "SAINT SIMONS ISLAND", State: "GA", ZIP: "31522"}},
		{"FORT ... abbreviated", "12 BROADWAY FT WORTH TX 76102", Parsed{City: "FORT WORTH", State: "TX"},
			Parsed{Number: "12", Street: "BROADWAY", City: "FORT WORTH", State: "TX", ZIP: "76102"}},
		{"... RAPIDS", "800 MONROE GRAND RAPIDS MI 49503", Parsed{City: "GRAND RAPIDS"},
			Parsed{Number: "800", Street: "MONROE", City: "GRAND RAPIDS", State: "MI", ZIP: "49503"}},
		{"LAKE ...", "55 CENTER LAKE PLACID NY 12946", Parsed{City: "LAKE PLACID"},
			Parsed{Number: "55", Street: "CENTER", City: "LAKE PLACID", State: "NY", ZIP: "12946"}},
		{"a street with ST inside its name before a city known", "22 PORT ST LUCIE BLVD PORT ST LUCIE FL 34984", Parsed{City: "PORT SAINT LUCIE"},
			Parsed{Number: "22", Street: "PORT ST LUCIE", Suffix: "BLVD", City: "PORT SAINT LUCIE", State: "FL", ZIP: "34984"}},
		{"ambiguous state code known from the identity", "12 ASYLUM AVE HARTFORD CT", Parsed{City: "HARTFORD", State: "CT"},
			Parsed{Number: "12", Street: "ASYLUM", Suffix: "AVE", City: "HARTFORD", State: "CT"}},
		{"the unit stays a unit", "1550 LARIMER AVE APT 210 DENVER CO", Parsed{City: "DENVER", State: "CO"},
			Parsed{Number: "1550", Street: "LARIMER", Suffix: "AVE", UnitType: "APT", Unit: "210", City: "DENVER", State: "CO"}},
		{"another city is not invented", "1550 LARIMER AVE APT 210 DENVER CO", Parsed{City: "BOULDER", State: "CO"},
			Parsed{Number: "1550", Street: "LARIMER", Suffix: "AVE", UnitType: "APT", Unit: "210", City: "DENVER", State: "CO"}},
		{"another state is not invented", "12 ASYLUM AVE HARTFORD CT 06103", Parsed{City: "HARTFORD", State: "NY"},
			Parsed{Number: "12", Street: "ASYLUM", Suffix: "AVE", City: "HARTFORD", State: "CT", ZIP: "06103"}},
	}
	for _, tt := range tests {
		if got := ParseNear(tt.raw, tt.near); got != tt.want {
			t.Errorf("%s: ParseNear(%q)\n got %#v\nwant %#v", tt.src, tt.raw, got, tt.want)
		}
	}
}

// TestRoundTrip checks the String contract on realistic shapes: the normal
// form parses back to the same parts.
func TestRoundTrip(t *testing.T) {
	for _, raw := range goldenInputs {
		p := Parse(raw)
		if q := Parse(p.String()); q != p {
			t.Errorf("Parse(%q).String() = %q parses to %#v, want %#v", raw, p.String(), q, p)
		}
	}
}

func TestCompare(t *testing.T) {
	id := FromIdentity(identity.Address{Line1: "123 N Main St", Line2: "Apt 4B", City: "Springfield", State: "IL", PostalCode: "62704"})
	// Score ranges are the scale of the package comment (brief: 100
	// identical; unit missing 90-95; other unit 60-70; other house number
	// 40-55; only ZIP/city 20-35; elsewhere 0-10).
	tests := []struct {
		src, owner string
		min, max   int
		check      func(Facts) bool
	}{
		{"identical after normalization", "123 NORTH MAIN STREET APT 4B, SPRINGFIELD, ILLINOIS 62704-0001", 100, 100,
			func(f Facts) bool {
				return f.LineMatch && f.PostalCodeMatch && f.UnitMatch && f.CityMatch && f.StateMatch
			}},
		{"# vs APT designator", "123 N MAIN ST #4B SPRINGFIELD IL 62704", 100, 100, func(f Facts) bool { return f.UnitMatch }},
		{"unit missing at the bank is no conflict", "123 N MAIN ST SPRINGFIELD IL 62704", 90, 95,
			func(f Facts) bool { return f.UnitMissing && !f.UnitConflict && f.LineMatch }},
		{"directional missing at the bank", "123 MAIN ST APT 4B SPRINGFIELD IL 62704", 90, 99, func(f Facts) bool { return f.LineMatch }},
		{"different unit", "123 N MAIN ST APT 7C SPRINGFIELD IL 62704", 60, 70, func(f Facts) bool { return f.UnitConflict && !f.LineMatch }},
		{"other house number same street", "125 N MAIN ST APT 4B SPRINGFIELD IL 62704", 40, 55,
			func(f Facts) bool { return f.HouseNumberConflict && f.StreetMatch && !f.LineMatch }},
		{"only ZIP matches", "9 ELM RD SPRINGFIELD IL 62704", 20, 35, func(f Facts) bool { return f.PostalCodeMatch && f.StreetConflict }},
		{"only the city matches", "9 ELM RD SPRINGFIELD IL 62711", 20, 35, func(f Facts) bool { return f.CityMatch && f.PostalCodeConflict }},
		{"other state", "123 N MAIN ST APT 4B SPRINGFIELD MO 65801", 0, 10, func(f Facts) bool { return f.StateConflict }},
		{"other ZIP and street, same state", "77 OAK AVE PEORIA IL 61602", 0, 10,
			func(f Facts) bool { return f.PostalCodeConflict && f.StreetConflict && !f.StateConflict }},
		{"opposite directional is another street", "123 S MAIN ST APT 4B SPRINGFIELD IL 62704", 20, 35, func(f Facts) bool { return f.StreetConflict }},
		{"street typo", "123 N MIAN ST APT 4B SPRINGFIELD IL 62704", 90, 99, func(f Facts) bool { return f.StreetMatch && f.LineMatch }},
		{"city typo", "123 N MAIN ST APT 4B SPRINGFEILD IL 62704", 100, 100, func(f Facts) bool { return f.CityMatch }},
		{"only city, state and ZIP at the bank", "SPRINGFIELD IL 62704", 20, 35,
			func(f Facts) bool { return f.PostalCodeMatch && !f.StreetConflict && !f.HouseNumberConflict }},
		{"PO box vs street: nothing of the line to compare", "PO BOX 12 SPRINGFIELD IL 62704", 20, 35, func(f Facts) bool { return f.PostalCodeMatch && !f.POBoxConflict }},
	}
	for _, tt := range tests {
		r := Compare(id, Parse(tt.owner))
		if r.Score < tt.min || r.Score > tt.max || !tt.check(r.Facts) {
			t.Errorf("%s: %q scored %d (want %d..%d), facts %+v", tt.src, tt.owner, r.Score, tt.min, tt.max, r.Facts)
		}
		if len(r.Reasons) == 0 {
			t.Errorf("%s: no reasons", tt.src)
		}
	}
}

func TestCompareRepairs(t *testing.T) {
	tests := []struct {
		src      string
		id       identity.Address
		owner    string
		wantLine bool
		minScore int
	}{
		{"fixtures: street without suffix swallowed the city", identity.Address{Line1: "3020 N Broadway", City: "Chicago", State: "IL", PostalCode: "60657"},
			"3020 N BROADWAY CHICAGO IL 60657", true, 100},
		{"post-directional read as the start of the city", identity.Address{Line1: "8820 Highway 290", City: "West Dripping Springs", State: "TX", PostalCode: "78620"},
			"8820 HIGHWAY 290 WEST DRIPPING SPRINGS TX 78620", true, 95},
		{"route kinds: US HWY vs HWY", identity.Address{Line1: "4500 US Highway 9", City: "Freehold", State: "NJ", PostalCode: "07728"},
			"4500 HWY 9, FREEHOLD, NJ 07728", true, 95},
		{"brief: 10 FIRST AVE vs 10 1ST AVENUE", identity.Address{Line1: "10 First Ave", City: "New York", State: "NY", PostalCode: "10009"},
			"10 1ST AVENUE NEW YORK NY 10009", true, 100},
		{"suffix word inside the name abbreviated at the bank", identity.Address{Line1: "3500 Deer Creek Rd", City: "Palo Alto", State: "CA", PostalCode: "94304"},
			"3500 DEER CRK RD PALO ALTO CA 94304", true, 95},
		{"the bank left the suffix out of a name ending in a suffix word", identity.Address{Line1: "9 Lake Shore Dr", City: "Lake Forest", State: "IL", PostalCode: "60045"},
			"9 LAKE SHORE, LAKE FOREST, IL 60045", true, 90},
		{"leading zeros in house number and unit", identity.Address{Line1: "0123 Main St Apt 04", City: "Springfield", State: "IL", PostalCode: "62704"},
			"123 MAIN ST APT 4 SPRINGFIELD IL 62704", true, 100},
	}
	for _, tt := range tests {
		r := Compare(FromIdentity(tt.id), Parse(tt.owner))
		if r.Facts.LineMatch != tt.wantLine || r.Score < tt.minScore {
			t.Errorf("%s: %q scored %d line_match=%v (want >= %d, %v), facts %+v", tt.src, tt.owner, r.Score, r.Facts.LineMatch, tt.minScore, tt.wantLine, r.Facts)
		}
	}
}

func TestCompareNothingComparable(t *testing.T) {
	// Only a house number on one side and only a city on the other: no
	// part is present on both sides.
	r := Compare(Parsed{Number: "12"}, Parsed{City: "AUSTIN"})
	if r.Facts.Comparable || r.Score != 0 {
		t.Errorf("got comparable=%v score %d, want false 0", r.Facts.Comparable, r.Score)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range goldenInputs {
		f.Add(s)
	}
	for _, s := range []string{"8820 HIGHWAY 290 WEST DRIPPING SPRINGS TX 78620", "RR 2 BOX 15, HOPE, AR", "SPRINGFIELD IL 62704", "123 N ST NW"} {
		f.Add(s)
	}
	// Properties: no panic, and the normal form is a fixed point:
	// Parse(q.String()) == q for q = Parse(Parse(raw).String()). The
	// stricter Parse(p.String()) == p holds for the realistic shapes of
	// TestRoundTrip; fuzzed garbage ("0 0 FL AA 0", "#A00 0 0 FL") may need
	// that one round trip to settle.
	f.Fuzz(func(t *testing.T, raw string) {
		q := Parse(Parse(raw).String())
		if r := Parse(q.String()); r != q {
			t.Fatalf("normal form not a fixed point:\n raw %q\n   q %#v\n   s %q\n   r %#v", raw, q, q.String(), r)
		}
	})
}

// TestCompareRuralRoutes: issue 8, RR 3 BOX 17 against RR # 3 BOX 17 gave
// street_conflict despite po_box_match.
func TestCompareRuralRoutes(t *testing.T) {
	id := FromIdentity(identity.Address{Line1: "Rural Route 3", Line2: "Box 17", City: "Hope", State: "AR", PostalCode: "71801"})
	for _, owner := range []string{"RR # 3 BOX 17 HOPE AR 71801", "RR 3 BOX 17, HOPE, AR", "RFD 3 BOX 17 HOPE AR 71801", "BOX 17 RR #3 HOPE AR 71801"} {
		if r := Compare(id, Parse(owner)); !r.Facts.POBoxMatch || !r.Facts.StreetMatch || r.Facts.StreetConflict {
			t.Errorf("%q: facts %+v", owner, r.Facts)
		}
	}
	for _, owner := range []string{"RR 4 BOX 17 HOPE AR 71801", "HC 3 BOX 17 HOPE AR 71801"} {
		if r := Compare(id, Parse(owner)); !r.Facts.StreetConflict {
			t.Errorf("%q: another route, facts %+v", owner, r.Facts)
		}
	}
	if r := Compare(id, Parse("RR 3 BOX 71 HOPE AR 71801")); !r.Facts.POBoxConflict {
		t.Errorf("another box on the route: facts %+v", r.Facts)
	}
}

// TestCompareForeign: issue 8, non-US owner strings gave a false
// city_conflict; the same foreign address must agree, a US identity must
// not.
func TestCompareForeign(t *testing.T) {
	fr := FromIdentity(identity.Address{Line1: "10 Rue de la Paix", City: "Paris", PostalCode: "75002", Country: "FR"})
	for _, owner := range []string{"10 RUE DE LA PAIX 75002 PARIS FRANCE", "10 Rue de la Paix, 75002 Paris, France", "10 RUE DE LA PAIX 75002 PARIS"} {
		r := Compare(fr, ParseNear(owner, fr))
		if !r.Facts.LineMatch || r.Facts.CityConflict || !r.Facts.PostalCodeMatch || r.Score < 100 {
			t.Errorf("%q: score %d, facts %+v", owner, r.Score, r.Facts)
		}
	}
	ca := FromIdentity(identity.Address{Line1: "100 King St W", Line2: "Suite 500", City: "Toronto", State: "ON", PostalCode: "M5X 1A9", Country: "CA"})
	if r := Compare(ca, ParseNear("100 KING ST W STE 500, TORONTO ON M5X1A9", ca)); !r.Facts.LineMatch || !r.Facts.PostalCodeMatch || !r.Facts.StateMatch {
		t.Errorf("Canadian owner: facts %+v", r.Facts)
	}
	us := FromIdentity(identity.Address{Line1: "10 Main St", City: "Paris", State: "TX", PostalCode: "75460", Country: "US"})
	if r := Compare(us, ParseNear("10 RUE DE LA PAIX 75002 PARIS FRANCE", us)); r.Facts.LineMatch || !r.Facts.PostalCodeConflict || !r.Facts.StreetConflict {
		t.Errorf("Paris, France against Paris, Texas: facts %+v", r.Facts)
	}
}

// TestCompareUnits: issue 8, a different unit at the same street address
// must never compare as the same line; the same unit written differently
// must.
func TestCompareUnits(t *testing.T) {
	id := FromIdentity(identity.Address{Line1: "1550 Larimer Ave", Line2: "Apt 210", City: "Denver", State: "CO", PostalCode: "80202"})
	tests := []struct {
		src, owner string
		line       bool
		check      func(Facts) bool
	}{
		{"same unit, no separators", "1550 LARIMER AVE APT 210 DENVER CO 80202", true, func(f Facts) bool { return f.UnitMatch }},
		{"same unit, attached designator", "1550 LARIMER AVE APT210 DENVER CO 80202", true, func(f Facts) bool { return f.UnitMatch }},
		{"same unit, # then designator", "1550 LARIMER AVE # APT 210 DENVER CO 80202", true, func(f Facts) bool { return f.UnitMatch }},
		{"same unit with its building", "1550 LARIMER AVE BLDG 2 APT 210 DENVER CO 80202", true, func(f Facts) bool { return f.UnitMissing && !f.UnitConflict }},
		{"other unit, attached designator", "1550 LARIMER AVE APT211 DENVER CO 80202", false, func(f Facts) bool { return f.UnitConflict }},
		{"other unit after a comma", "1550 LARIMER AVE, UNIT 310, DENVER, CO 80202", false, func(f Facts) bool { return f.UnitConflict }},
		{"other unit as ST after the suffix", "1550 LARIMER AVE ST 310 DENVER CO 80202", false, func(f Facts) bool { return f.UnitConflict }},
		{"other unit, number and letter apart, the letter read into the city", "1550 LARIMER AVE APT 210 B DENVER CO 80202", false, func(f Facts) bool { return f.UnitUnplaced && f.CityMatch }},
		{"unreadable words with a number", "1550 LARIMER AVE NO 310 DENVER CO 80202", false, func(f Facts) bool { return f.UnitUnplaced && !f.LineMatch }},
	}
	for _, tt := range tests {
		r := Compare(id, Parse(tt.owner))
		if r.Facts.LineMatch != tt.line || !tt.check(r.Facts) {
			t.Errorf("%s: %q line_match=%v (want %v), facts %+v", tt.src, tt.owner, r.Facts.LineMatch, tt.line, r.Facts)
		}
	}
	// With the identity's place, the letter joins the unit: 210B.
	if r := Compare(id, ParseNear("1550 LARIMER AVE APT 210 B DENVER CO 80202", id)); !r.Facts.UnitConflict {
		t.Errorf("APT 210 B near DENVER: facts %+v", r.Facts)
	}
	// Two apartments against one: not a building left out.
	if r := Compare(id, Parse("1550 LARIMER AVE APT 210 APT 310 DENVER CO 80202")); !r.Facts.UnitConflict {
		t.Errorf("APT 210 APT 310 vs APT 210: facts %+v", r.Facts)
	}
	// Designators without a value: the upper and the lower flat differ.
	up := Parse("12 ELM ST UPPR SPRINGFIELD IL 62704")
	if r := Compare(up, Parse("12 ELM ST LOWER SPRINGFIELD IL 62704")); !r.Facts.UnitConflict || r.Facts.LineMatch {
		t.Errorf("UPPR vs LOWER: facts %+v", r.Facts)
	}
	if r := Compare(up, Parse("12 ELM ST UPPER, SPRINGFIELD IL 62704")); !r.Facts.UnitMatch || !r.Facts.LineMatch {
		t.Errorf("UPPR vs UPPER: facts %+v", r.Facts)
	}
	// Two designations on both sides: another building with the same
	// apartment number is another unit.
	a := Parse("9 OAK CT BLDG 4 APT 210 DENVER CO 80202")
	b := Parse("9 OAK CT BLDG 5 APT 210 DENVER CO 80202")
	if r := Compare(a, b); !r.Facts.UnitConflict || r.Facts.LineMatch {
		t.Errorf("BLDG 4 APT 210 vs BLDG 5 APT 210: facts %+v", r.Facts)
	}
}

// FuzzNearHint checks that the identity's place only chooses among
// readings of the string: with the same state read, ParseNear's city is
// Parse's or one spelling the hint's city.
func FuzzNearHint(f *testing.F) {
	for _, s := range goldenInputs {
		f.Add(s, "SAINT LOUIS")
	}
	f.Add("4100 BROADWAY ST LOUIS MO 63108", "ST LOUIS")
	f.Add("55 CENTER UNIT 3 LAKE PLACID NY 12946", "LAKE PLACID")
	f.Add("12 ASYLUM AVE HARTFORD CT", "HARTFORD")
	f.Fuzz(func(t *testing.T, raw, city string) {
		near := FromIdentity(identity.Address{Line1: "1 MAIN ST", City: city, State: "CT"})
		p, d := ParseNear(raw, near), Parse(raw)
		if p.State == d.State && p.City != d.City && !sameCity(p.City, near.City) {
			t.Fatalf("ParseNear(%q, %q) invented city %q (Parse: %q)", raw, near.City, p.City, d.City)
		}
	})
}

func TestCompareUnitsTable(t *testing.T) {
	tests := []struct {
		at, a, bt, b string
		want         unitAgreement
	}{
		{"APT", "4B", "#", "4B", unitsSame},
		{"APT", "04", "UNIT", "4", unitsSame},
		{"APT", "4B", "APT", "4C", unitsDiffer},
		{"BLDG", "4 APT 210", "APT", "210", unitsPartial},
		{"APT", "210", "FL", "2 STE 210", unitsPartial},
		{"BLDG", "4 APT 210", "BLDG", "5 APT 210", unitsDiffer},
		{"APT", "210 APT 310", "APT", "210", unitsDiffer},
		{"BLDG", "4 APT 210", "APT", "210 BLDG 4", unitsSame},
		{"UPPR", "UPPR", "LOWR", "LOWR", unitsDiffer},
		{"APT", "", "APT", "4", unitsAbsent},
		{"FL", "2", "APT", "2", unitsDiffer},   // adversarial probe, unit kind class: floor 2 is not apartment 2
		{"BLDG", "4", "STE", "4", unitsDiffer}, // building 4 is not suite 4
		{"PH", "1", "APT", "1", unitsDiffer},   // penthouse 1 is not apartment 1
		{"BLDG", "4", "#", "4", unitsSame},     // "#" stands for any designator
		{"LOT", "14", "SPC", "14", unitsSame},  // a mobile-home lot or space names the unit alike
		{"STE", "200", "PMB", "200", unitsSame},
	}
	for _, tt := range tests {
		if got := compareUnits(tt.at, tt.a, tt.bt, tt.b); got != tt.want {
			t.Errorf("compareUnits(%s %s, %s %s) = %d, want %d", tt.at, tt.a, tt.bt, tt.b, got, tt.want)
		}
	}
}

// TestCompareAdversarialClasses: look-alikes of one address found by
// probing the matcher (branch m-addr2), each with the variant that must
// still agree. want names the deciding fact.
func TestCompareAdversarialClasses(t *testing.T) {
	main := identity.Address{Line1: "123 Main St", City: "Springfield", State: "IL", PostalCode: "62704"}
	hwy := identity.Address{Line1: "4500 Hwy 61", City: "Tunica", State: "MS", PostalCode: "38676"}
	box := identity.Address{Line1: "PO Box 45", City: "Hillsboro", State: "KS", PostalCode: "67063"}
	rr := identity.Address{Line1: "RR 2 Box 45", City: "Hillsboro", State: "KS", PostalCode: "67063"}
	apt := identity.Address{Line1: "123 Main St", Line2: "Apt 2", City: "Springfield", State: "IL", PostalCode: "62704"}
	tests := []struct {
		src      string
		id       identity.Address
		owner    string
		wantLine bool // line_match or po_box_match
		want     func(Facts) bool
	}{
		{"road qualifier on one side: an extension is another street", main, "123 MAIN ST EXT SPRINGFIELD IL 62704", false, func(f Facts) bool { return f.StreetNear }},
		{"road qualifier on one side: a bypass is another road", hwy, "4500 HWY 61 BYP TUNICA MS 38676", false, func(f Facts) bool { return f.StreetNear }},
		{"road qualifier on one side: a business route", hwy, "4500 HWY 61 BUS TUNICA MS 38676", false, func(f Facts) bool { return f.StreetNear }},
		{"road qualifier on both sides agrees", identity.Address{Line1: "123 Main St Ext", City: "Springfield", State: "IL", PostalCode: "62704"}, "123 MAIN ST EXTENSION, SPRINGFIELD, IL 62704", true, func(f Facts) bool { return f.StreetMatch }},
		{"box kind: a rural route box is not a PO box", rr, "PO BOX 45 HILLSBORO KS 67063", false, func(f Facts) bool { return f.POBoxConflict }},
		{"box kind: a PO box is not a highway contract box", box, "HC 1 BOX 45 HILLSBORO KS 67063", false, func(f Facts) bool { return f.POBoxConflict }},
		{"box kind: a military unit's box needs the unit", identity.Address{Line1: "Unit 2050 Box 4190", City: "APO", State: "AP", PostalCode: "96278"}, "BOX 4190 APO AP 96278", false, func(f Facts) bool { return f.POBoxConflict }},
		{"box kind: the same route box agrees", rr, "RURAL ROUTE 2 BOX 45 HILLSBORO KS 67063", true, func(f Facts) bool { return f.POBoxMatch }},
		{"box number with leading zeros agrees", box, "PO BOX 0045 HILLSBORO KS 67063", true, func(f Facts) bool { return f.POBoxMatch }},
		{"unit kind: the 2nd floor is not apartment 2", apt, "123 MAIN ST 2ND FL SPRINGFIELD IL 62704", false, func(f Facts) bool { return f.UnitConflict }},
		{"city names differing in a direction word are two towns even under one ZIP", identity.Address{Line1: "12 Main St", City: "East Orange", State: "NJ", PostalCode: "07017"}, "12 MAIN ST WEST ORANGE NJ 07017", true, func(f Facts) bool { return f.CityConflict && !f.CityAlternate }},
		{"a direction word on one side of the city only", identity.Address{Line1: "12 Main St", City: "North Bergen", State: "NJ", PostalCode: "07047"}, "12 MAIN ST, BERGEN, NJ 07047", true, func(f Facts) bool { return f.CityConflict }},
		{"another name of one ZIP's area stays an alternate", identity.Address{Line1: "12 Main St", City: "Brooklyn", State: "NY", PostalCode: "11215"}, "12 MAIN ST NEW YORK NY 11215", true, func(f Facts) bool { return f.CityAlternate && !f.CityConflict }},
		{"unit kind: a suite number written with #", apt, "123 MAIN ST #2 SPRINGFIELD IL 62704", true, func(f Facts) bool { return f.UnitMatch }},
	}
	for _, tt := range tests {
		r := Compare(FromIdentity(tt.id), ParseNear(tt.owner, FromIdentity(tt.id)))
		if got := r.Facts.LineMatch || r.Facts.POBoxMatch; got != tt.wantLine || !tt.want(r.Facts) {
			t.Errorf("%s: %q agrees=%v (want %v), facts %+v", tt.src, tt.owner, got, tt.wantLine, r.Facts)
		}
	}
}
