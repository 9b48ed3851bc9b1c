package address

import (
	"strings"

	"github.com/ownercheck/ownercheck/internal/textfold"
)

// Facts are the part-by-part findings, as flags the policy can test
// (`address.house_number_match`) and the verdict reports.
type Facts struct {
	Comparable          bool `json:"comparable" expr:"comparable"`
	HouseNumberMatch    bool `json:"house_number_match" expr:"house_number_match"`
	HouseNumberConflict bool `json:"house_number_conflict" expr:"house_number_conflict"`
	StreetMatch         bool `json:"street_match" expr:"street_match"`
	StreetConflict      bool `json:"street_conflict" expr:"street_conflict"`
	UnitMatch           bool `json:"unit_match" expr:"unit_match"`
	UnitMissing         bool `json:"unit_missing" expr:"unit_missing"`
	UnitConflict        bool `json:"unit_conflict" expr:"unit_conflict"`
	POBoxMatch          bool `json:"po_box_match" expr:"po_box_match"`
	POBoxConflict       bool `json:"po_box_conflict" expr:"po_box_conflict"`
	CityMatch           bool `json:"city_match" expr:"city_match"`
	CityConflict        bool `json:"city_conflict" expr:"city_conflict"`
	StateMatch          bool `json:"state_match" expr:"state_match"`
	StateConflict       bool `json:"state_conflict" expr:"state_conflict"`
	PostalCodeMatch     bool `json:"postal_code_match" expr:"postal_code_match"`
	PostalCodeConflict  bool `json:"postal_code_conflict" expr:"postal_code_conflict"`
	LineMatch           bool `json:"line_match" expr:"line_match"`
}

// Result is an address comparison; Reasons(r.Facts) explains it without
// quoting the addresses.
type Result struct {
	Score int   `json:"score"`
	Facts Facts `json:"facts"`
}

// Compare compares the identity's address with an owner's, part by part.
func Compare(id, owner Parsed) Result {
	var r Result
	owner = splitCityFromStreet(id, owner)
	f := &r.Facts

	if id.Number != "" && owner.Number != "" {
		f.HouseNumberMatch = id.Number == owner.Number
		f.HouseNumberConflict = !f.HouseNumberMatch
	}
	if id.Street != "" && owner.Street != "" {
		f.StreetMatch = sameStreet(id, owner)
		f.StreetConflict = !f.StreetMatch
	}
	if id.Unit != "" && owner.Unit != "" {
		f.UnitMatch = id.Unit == owner.Unit
		f.UnitConflict = !f.UnitMatch
	} else if (id.Unit != "") != (owner.Unit != "") {
		f.UnitMissing = true
	}
	if id.POBox != "" && owner.POBox != "" {
		f.POBoxMatch = id.POBox == owner.POBox
		f.POBoxConflict = !f.POBoxMatch
	}
	if id.City != "" && owner.City != "" {
		f.CityMatch = id.City == owner.City || strings.ReplaceAll(id.City, " ", "") == strings.ReplaceAll(owner.City, " ", "") || closeWords(id.City, owner.City)
		f.CityConflict = !f.CityMatch
	}
	if id.State != "" && owner.State != "" {
		f.StateMatch = id.State == owner.State
		f.StateConflict = !f.StateMatch
	}
	if id.ZIP != "" && owner.ZIP != "" {
		f.PostalCodeMatch = id.ZIP == owner.ZIP
		f.PostalCodeConflict = !f.PostalCodeMatch
	}
	f.LineMatch = f.HouseNumberMatch && f.StreetMatch && !f.UnitConflict
	f.Comparable = f.HouseNumberMatch || f.HouseNumberConflict || f.StreetMatch || f.StreetConflict ||
		f.POBoxMatch || f.POBoxConflict || f.PostalCodeMatch || f.PostalCodeConflict || f.StateMatch || f.StateConflict ||
		f.CityMatch || f.CityConflict

	placeAgrees := !f.StateConflict && (f.PostalCodeMatch || f.CityMatch || (!f.PostalCodeConflict && !f.CityConflict))
	switch {
	case !f.Comparable:
		r.Score = 0
	case f.StateConflict || (f.PostalCodeConflict && f.StreetConflict && !f.CityMatch):
		r.Score = 5
	case f.LineMatch && placeAgrees:
		r.Score = 100
		if f.UnitMissing {
			r.Score = 93
		}
		if id.Suffix != owner.Suffix || id.PreDir != owner.PreDir || id.PostDir != owner.PostDir || id.Street != owner.Street {
			r.Score -= 3 // a missing suffix or directional, or a typo
		}
	case f.POBoxMatch && placeAgrees:
		r.Score = 95
	case f.LineMatch || f.POBoxMatch:
		r.Score = 80
	case f.HouseNumberMatch && f.StreetMatch && f.UnitConflict:
		r.Score = 65
	case f.StreetMatch && f.HouseNumberConflict:
		r.Score = 50
	case f.PostalCodeMatch || f.CityMatch:
		r.Score = 30
	default:
		r.Score = 15
	}
	return r
}

// splitCityFromStreet repairs an owner address written without separators
// or a street suffix ("3020 N BROADWAY CHICAGO IL"), where the parser could
// not tell the street from the city: the identity's street tells it.
func splitCityFromStreet(id, owner Parsed) Parsed {
	if owner.City == "" && id.Street != "" && strings.HasPrefix(owner.Street, id.Street+" ") {
		owner.City = strings.TrimPrefix(owner.Street, id.Street+" ")
		owner.Street = id.Street
	}
	return owner
}

// sameStreet compares the street names (with one typo allowed on long
// names) and, when both sides have them, the directionals and suffix.
func sameStreet(a, b Parsed) bool {
	if !sameName(a.Street, b.Street) {
		// A parse that kept the suffix in the name on one side only.
		if !(sameName(strings.TrimSpace(a.Street+" "+a.Suffix), b.Street) || sameName(a.Street, strings.TrimSpace(b.Street+" "+b.Suffix))) {
			return false
		}
		return true
	}
	if a.Suffix != "" && b.Suffix != "" && a.Suffix != b.Suffix {
		return false
	}
	if a.PreDir != "" && b.PreDir != "" && a.PreDir != b.PreDir {
		return false
	}
	return true
}

func sameName(a, b string) bool {
	if a == b {
		return true
	}
	ca, cb := strings.ReplaceAll(a, " ", ""), strings.ReplaceAll(b, " ", "")
	if ca == cb {
		return true
	}
	return len(ca) >= 4 && len(cb) >= 4 && !allDigits(ca) && textfold.OneEdit(ca, cb)
}

func closeWords(a, b string) bool {
	return len(a) >= 5 && len(b) >= 5 && textfold.OneEdit(a, b)
}

// Reasons explains the facts in words, without quoting the addresses.
func Reasons(f Facts) []string {
	var out []string
	add := func(cond bool, s string) {
		if cond {
			out = append(out, s)
		}
	}
	add(!f.Comparable, "the addresses have no part in common to compare")
	add(f.LineMatch, "house number and street agree")
	add(f.HouseNumberConflict, "house numbers differ")
	add(f.StreetConflict, "streets differ")
	add(f.UnitMissing, "a unit is given on one side only (not a conflict)")
	add(f.UnitConflict, "units differ")
	add(f.POBoxMatch, "PO boxes agree")
	add(f.POBoxConflict, "PO boxes differ")
	add(f.CityConflict, "cities differ")
	add(f.StateConflict, "states differ")
	add(f.PostalCodeMatch, "ZIP codes agree")
	add(f.PostalCodeConflict, "ZIP codes differ")
	return out
}
