package match_test

import (
	"path/filepath"
	"testing"

	"github.com/ownercheck/ownercheck/internal/evalcases"
	"github.com/ownercheck/ownercheck/internal/match"
)

// ruleClaims is the evidence each rule's reason states, as a condition on
// what the matcher saw. A reason never claims evidence that is not there
// (issue 8: "same name and email or phone" was given when neither matched),
// so every rule that decides an owner of a labeled case must have its claim
// hold. A new rule needs a row here: its reason is a claim too.
var ruleClaims = map[string]func(e match.Env, strong, partial int) bool{
	// "the bank returned no owner name to compare"
	"owner_without_name": func(e match.Env, _, _ int) bool { return !e.Name.Present },
	// "a person's name for a company (or the reverse)"
	"person_vs_company": func(e match.Env, _, _ int) bool {
		return e.Name.PersonNameForCompany || e.Name.CompanyNameForPerson
	},
	// "another entity of the same family, its fund, series or class designator differs or is on one side only"
	"sister_entity": func(e match.Env, _, partial int) bool {
		return e.Identity.Company && e.Name.SeriesMismatch && e.Name.Score < partial
	},
	// "the company names differ in a distinctive word or share only generic words"
	"different_company": func(e match.Env, _, _ int) bool {
		return e.Identity.Company && (e.Name.DistinctiveMismatch || e.Name.GenericOnly)
	},
	// "JR/SR (or II/III) differ"
	"generational_suffix_conflict": func(e match.Env, _, _ int) bool { return e.Name.SuffixConflict },
	// "same surname but a different given name"
	"different_given_name": func(e match.Env, _, _ int) bool { return e.Name.FirstNameMismatch },
	// "the names do not match"
	"weak_name": func(e match.Env, _, partial int) bool { return e.Name.Score < partial },
	// "the owner holds the account in a role"
	"fiduciary_role": func(e match.Env, _, _ int) bool { return e.Name.RoleWord },
	// "the given name is the other name's middle name and a full first given
	// name is on one side only"
	"given_name_is_middle": func(e match.Env, strong, partial int) bool {
		return e.Name.GivenNameIsMiddle && e.Name.Score >= partial && e.Name.Score < strong
	},
	// "the name matches only in part"
	"partial_name": func(e match.Env, strong, partial int) bool {
		return e.Name.Score >= partial && e.Name.Score < strong
	},
	// "same name but an address in another state (or another ZIP and street) and nothing else agrees"
	"address_elsewhere": func(e match.Env, strong, _ int) bool {
		return e.Name.Score >= strong && elsewhere(e) && !contact(e)
	},
	// "same name and email or phone, but the address is elsewhere"
	"address_elsewhere_contact_agrees": func(e match.Env, strong, _ int) bool {
		return e.Name.Score >= strong && elsewhere(e) && contact(e)
	},
	// "same name but the address is elsewhere ... and neither email nor phone agrees"
	"address_elsewhere_unconfirmed": func(e match.Env, strong, _ int) bool {
		return e.Name.Score >= strong && elsewhere(e) && !contact(e)
	},
	// "same name but the state differs while the ZIP code agrees"
	"state_differs_zip_agrees": func(e match.Env, strong, _ int) bool {
		return e.Name.Score >= strong && e.Address.StateConflict && e.Address.PostalCodeMatch
	},
	// "same name but the address differs in part (house number, unit, street, city or ZIP)"
	"address_partly_conflicts": func(e match.Env, strong, _ int) bool {
		a := e.Address
		return e.Name.Score >= strong && (a.HouseNumberConflict || a.UnitConflict || a.StreetConflict || a.POBoxConflict || a.PostalCodeConflict || a.CityConflict)
	},
	// "same name but the street name differs in one word that is another real word"
	"street_name_near": func(e match.Env, strong, _ int) bool {
		return e.Name.Score >= strong && e.Address.StreetNear && !e.Address.LineMatch
	},
	// "name and address agree"
	"corroborated_by_address": func(e match.Env, strong, _ int) bool {
		return e.Name.Score >= strong && (e.Address.LineMatch || e.Address.POBoxMatch)
	},
	// "name agrees and email or phone agrees; the bank gave no comparable address"
	"corroborated_by_contact": func(e match.Env, strong, _ int) bool {
		return e.Name.Score >= strong && contact(e) && !(e.Address.Present && e.Address.Comparable)
	},
	// "name and email or phone agree but the address does not"
	"contact_without_address": func(e match.Env, strong, _ int) bool {
		return e.Name.Score >= strong && contact(e) && e.Address.Present && !e.Address.LineMatch
	},
	// "the bank account was verified for another identity matching the same
	// owner within 30 days" (and the name is strong: it sits after the
	// name rules)
	"account_reused": func(e match.Env, strong, _ int) bool {
		return e.Signals.IdentitiesPerAccount30d > 1 && e.Name.Score >= strong
	},
	// "the name agrees and the bank returned nothing that contradicts it"
	"name_only_owner": func(e match.Env, strong, _ int) bool { return e.Name.Score >= strong && !e.Address.Present },
	// default: "the name agrees but nothing else corroborates it"
	"default": func(e match.Env, strong, _ int) bool { return e.Name.Score >= strong && !contact(e) },
}

func elsewhere(e match.Env) bool {
	a := e.Address
	return a.Present && a.Comparable && (a.StateConflict && !a.PostalCodeMatch || (a.PostalCodeConflict && a.StreetConflict))
}

func contact(e match.Env) bool { return e.Email.Match || e.Phone.Match }

func TestReasonsHoldOnLabeledCases(t *testing.T) {
	m, err := match.Default()
	if err != nil {
		t.Fatal(err)
	}
	pol := m.Policy()
	for _, r := range pol.Rules {
		if ruleClaims[r.Name] == nil {
			t.Errorf("rule %s has no row in ruleClaims: state what its reason claims", r.Name)
		}
	}
	strong, partial := pol.Thresholds["strong_name"], pol.Thresholds["partial_name"]
	files, err := filepath.Glob("../../fixtures/cases/*.jsonl")
	if err != nil || len(files) == 0 {
		t.Fatalf("no labeled cases (%v)", err)
	}
	fired := map[string]int{}
	for _, f := range files {
		cases, err := evalcases.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			ex := m.Explain(c.Identity, c.Owners)
			for _, o := range ex.Owners {
				claim := ruleClaims[o.Rule]
				if claim == nil {
					continue // reported above
				}
				fired[o.Rule]++
				if !claim(o.Env, strong, partial) {
					t.Errorf("%s:%d (%s) owner %d: rule %s gives a reason its evidence does not support (name %d, email %v, phone %v, address %+v)",
						f, c.Line, c.ID, o.Index, o.Rule, o.Env.Name.Score, o.Env.Email.Match, o.Env.Phone.Match, o.Env.Address)
				}
			}
		}
	}
	if len(fired) < len(pol.Rules)/2 {
		t.Errorf("only %d rules decided any labeled owner: the check is too thin (%v)", len(fired), fired)
	}
	t.Logf("rules that decided labeled owners: %v", fired)
}
