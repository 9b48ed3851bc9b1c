package names

import (
	"io/fs"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/ownercheck/ownercheck/rules"
)

// repoComparer compiles the dictionaries that ship in rules/.
func repoComparer(t testing.TB) *Comparer {
	t.Helper()
	var d Dict
	var nick struct {
		Nicknames map[string][]string `yaml:"nicknames"`
	}
	for name, v := range map[string]any{"names.yaml": &d, "nicknames.yaml": &nick} {
		b, err := fs.ReadFile(rules.FS, name)
		if err != nil {
			t.Fatal(err)
		}
		if err := yaml.Unmarshal(b, v); err != nil {
			t.Fatal(err)
		}
	}
	d.Nicknames = nick.Nicknames
	c, err := Compile(d)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want, src string }{
		{"José Müller", "JOSE MULLER", "diacritics (issue 2)"},
		{"O'Brien,  Mary-Kate", "OBRIEN , MARY KATE", "apostrophe vanishes, comma kept, hyphen splits"},
		{"Acme, L.L.C.", "ACME , LLC", "dotted legal form joins"},
		{"Smith & Jones", "SMITH & JONES", "& is a word"},
		{"Straße", "STRASSE", "ß spelled out"},
		{"Jose\u0301", "JOSE", "decomposed accent"},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("%s: Normalize(%q) = %q, want %q", tt.src, tt.in, got, tt.want)
		}
	}
}

// Each row is a variation the issue lists; want* bounds are on the score
// scale documented in the package comment.
func TestComparePeople(t *testing.T) {
	c := repoComparer(t)
	tests := []struct {
		src, id, owner string
		min, max       int
		flag           func(Facts) bool
	}{
		{"case/punctuation", "Jennifer Walsh", "JENNIFER WALSH.", 100, 100, nil},
		{"diacritics", "José Núñez", "JOSE NUNEZ", 100, 100, nil},
		{"transliteration", "Jürgen Müller", "JUERGEN MUELLER", 100, 100, nil},
		{"LAST, FIRST", "Mary Smith", "SMITH, MARY", 100, 100, nil},
		{"LAST FIRST", "Mary Smith", "SMITH MARY", 90, 99, func(f Facts) bool { return f.OrderSwapped }},
		{"middle missing", "Mary Ann Smith", "MARY SMITH", 90, 99, func(f Facts) bool { return f.MiddleNameMissing }},
		{"middle initial", "Mary A Smith", "MARY ANN SMITH", 95, 100, nil},
		{"title", "Dr. Alice Wong", "ALICE WONG", 100, 100, nil},
		{"nickname", "Robert Jones", "BOB JONES", 85, 95, func(f Facts) bool { return f.NicknameMatch }},
		{"nickname peggy", "Margaret Olsen", "PEGGY OLSEN", 85, 95, func(f Facts) bool { return f.NicknameMatch }},
		{"hyphenated part", "Sarah Johnson-Reyes", "SARAH JOHNSON", 90, 99, nil},
		{"particles", "Maria De La Cruz", "MARIA DELACRUZ", 100, 100, nil},
		{"mc spacing", "Ian Mc Donald", "IAN MCDONALD", 100, 100, nil},
		{"apostrophe", "Sean O'Brien", "SEAN OBRIEN", 100, 100, nil},
		{"typo", "Katherine Holloway", "KATHERINE HOLLOWYA", 85, 89, func(f Facts) bool { return f.Typo }},
		{"truncated", "Jonathan Williamson", "JONATHAN WILLIAMS", 88, 95, func(f Facts) bool { return f.Truncated }},
		{"heavy truncation", "Christopher Montgomery", "CHRISTOPHER MO", 60, 84, func(f Facts) bool { return f.Truncated }},
		{"initial only", "Thomas Reed", "T REED", 60, 84, func(f Facts) bool { return f.InitialMatch }},
		{"surname only", "Thomas Reed", "REED", 60, 84, func(f Facts) bool { return f.FirstOrLastNameOnly }},
		{"joint and", "Jane Doe", "JOHN DOE AND JANE DOE", 100, 100, func(f Facts) bool { return f.JointOwner }},
		{"joint shared surname", "Lisa Henderson", "MARK & LISA HENDERSON", 100, 100, func(f Facts) bool { return f.JointOwner }},
		{"joint comma", "Anita Desai", "DESAI, RAJ AND ANITA", 100, 100, nil},
		{"jt ten no separator", "Paul Reyes", "PAUL REYES JANE REYES JT TEN", 100, 100, nil},
		{"role word", "Walter Quinn", "WALTER QUINN TTEE", 100, 100, func(f Facts) bool { return f.RoleWord }},
		{"estate of", "Marian Feld", "ESTATE OF MARIAN FELD", 100, 100, func(f Facts) bool { return f.RoleWord }},
		{"family member", "Karen Whitfield", "KEVIN WHITFIELD", 0, 40, func(f Facts) bool { return f.FirstNameMismatch }},
		{"known names never typos", "Mark Allen", "MARY ALLEN", 0, 40, func(f Facts) bool { return f.FirstNameMismatch }},
		{"other surname", "Karen Whitfield", "KAREN MILLER", 0, 59, func(f Facts) bool { return f.SurnameMismatch }},
		{"JR vs SR", "Roger Stiles Jr", "ROGER STILES SR", 85, 100, func(f Facts) bool { return f.SuffixConflict }},
		{"suffix one side", "Roger Stiles Jr", "ROGER STILES", 95, 100, func(f Facts) bool { return !f.SuffixConflict }},
		{"company for person", "Gregory Lawson", "SILVERLINE MEDIA LLC", 0, 20, func(f Facts) bool { return f.CompanyNameForPerson }},
		{"person with dba", "Nadia Farouk", "NADIA FAROUK DBA FAROUK TRANSLATIONS", 100, 100, func(f Facts) bool { return f.DBAMatch }},
	}
	for _, tt := range tests {
		r := c.Compare("individual", tt.id, "", tt.owner)
		if r.Score < tt.min || r.Score > tt.max {
			t.Errorf("%s: %q vs %q scored %d, want %d..%d (facts %+v)", tt.src, tt.id, tt.owner, r.Score, tt.min, tt.max, r.Facts)
		}
		if tt.flag != nil && !tt.flag(r.Facts) {
			t.Errorf("%s: %q vs %q lacks the expected flag (facts %+v)", tt.src, tt.id, tt.owner, r.Facts)
		}
	}
}

func TestCompareCompanies(t *testing.T) {
	c := repoComparer(t)
	tests := []struct {
		src, id, dba, owner string
		min, max            int
		flag                func(Facts) bool
	}{
		{"legal form spelled out", "Harbor Light Software Inc", "", "HARBOR LIGHT SOFTWARE INCORPORATED", 100, 100, nil},
		{"L.L.C.", "Bluebird Analytics LLC", "", "BLUEBIRD ANALYTICS L.L.C.", 100, 100, nil},
		{"& / AND, Co / Company", "Whitman & Sons Co", "", "WHITMAN AND SONS COMPANY", 100, 100, nil},
		{"THE", "The Gilded Spoon LLC", "", "GILDED SPOON LLC", 100, 100, nil},
		{"form missing", "Sable Creek Farms LLC", "", "SABLE CREEK FARMS", 95, 100, nil},
		{"abbreviations", "Cascade Property Management Group LLC", "", "CASCADE PROPERTY MGMT GRP LLC", 100, 100, nil},
		{"NW/ASSOC", "Pacific Northwest Dental Associates", "", "PACIFIC NW DENTAL ASSOC", 100, 100, nil},
		{"truncated", "Northwestern Regional Plumbing Supply Inc", "", "NORTHWESTERN REGIONAL PLUMBIN", 85, 95, func(f Facts) bool { return f.Truncated }},
		{"dba in identity", "Holloway Ventures LLC", "Sweet Crumb Bakery", "SWEET CRUMB BAKERY", 100, 100, func(f Facts) bool { return f.DBAMatch }},
		{"dba in owner", "Sweet Crumb Bakery", "", "HOLLOWAY VENTURES LLC D/B/A SWEET CRUMB BAKERY", 100, 100, func(f Facts) bool { return f.DBAMatch }},
		{"t/a", "Pho Saigon Kitchen", "", "TRAN ENTERPRISES INC T/A PHO SAIGON KITCHEN", 100, 100, nil},
		{"extra generic word", "Acme Corporation", "", "ACME LOGISTICS INC", 0, 59, func(f Facts) bool { return f.DistinctiveMismatch }},
		{"shared generic words only", "Blue Ocean Ventures LLC", "", "RED OCEAN VENTURES LLC", 0, 59, nil},
		{"generic only", "First National Holdings LLC", "", "FIRST AMERICAN HOLDINGS LLC", 0, 59, func(f Facts) bool { return f.GenericOnly }},
		{"person for company", "Ironwood Analytics Inc", "", "DAVID CHEN", 0, 20, func(f Facts) bool { return f.PersonNameForCompany }},
		{"surname link", "Kowalczyk Roofing Inc", "", "PAUL KOWALCZYK", 60, 84, func(f Facts) bool { return f.SurnameLink && !f.PersonNameForCompany }},
		{"sole proprietor name", "Marcus Webb", "Webb Mobile Detailing", "MARCUS WEBB", 100, 100, nil},
		{"legal form kind differs", "Okafor Law PLLC", "", "OKAFOR LAW INC", 80, 95, func(f Facts) bool { return f.LegalFormMismatch }},
	}
	for _, tt := range tests {
		r := c.Compare("company", tt.id, tt.dba, tt.owner)
		if r.Score < tt.min || r.Score > tt.max {
			t.Errorf("%s: %q vs %q scored %d, want %d..%d (facts %+v)", tt.src, tt.id, tt.owner, r.Score, tt.min, tt.max, r.Facts)
		}
		if tt.flag != nil && !tt.flag(r.Facts) {
			t.Errorf("%s: %q vs %q lacks the expected flag (facts %+v)", tt.src, tt.id, tt.owner, r.Facts)
		}
	}
}

func TestCompileRefusesBadEntries(t *testing.T) {
	_, err := Compile(Dict{Nicknames: map[string][]string{"robert": {"bob", "two words"}}, LegalForms: map[string][]string{"inc": {"incorporated"}}})
	de, ok := err.(interface{ Unwrap() []error })
	if !ok || len(de.Unwrap()) == 0 {
		t.Fatalf("err = %v", err)
	}
	first, ok := de.Unwrap()[0].(*DictError)
	if !ok || first.Path != "$.nicknames.robert[1]" {
		t.Fatalf("first error %v does not point at $.nicknames.robert[1]", de.Unwrap()[0])
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"José Müller", "O'BRIEN, MARY", "ACME L.L.C.", "Straße", "ǅemal", "\u0301", "a&b,c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		once := Normalize(s)
		if twice := Normalize(once); twice != once {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, once, twice)
		}
	})
}

func FuzzCompare(f *testing.F) {
	c := repoComparer(f)
	f.Add("individual", "Robert Smith", "", "BOB SMITH AND JANE SMITH TTEE")
	f.Add("company", "Acme LLC", "Acme Widgets", "ACME DBA , &")
	f.Fuzz(func(t *testing.T, kind, name, dba, owner string) {
		r := c.Compare(kind, name, dba, owner)
		if r.Score < 0 || r.Score > 100 {
			t.Fatalf("score %d out of range", r.Score)
		}
	})
}
