package names

// Reasons explains the facts without quoting names (they are cached). It is
// separate from Compare so that only the owner that counts pays for it.
func Reasons(f Facts) []string {
	var out []string
	add := func(cond bool, s string) {
		if cond {
			out = append(out, s)
		}
	}
	add(f.Exact, "names are identical after normalization")
	add(f.NicknameMatch, "given names match as nickname and full name")
	add(f.InitialMatch, "only an initial of the given name matches")
	add(f.OrderSwapped, "name order is swapped")
	add(f.MiddleNameMissing, "a middle name is missing on one side")
	add(f.MiddleNameConflict, "middle names differ")
	add(f.Typo, "a name is misspelt (one typo, or two in a long family name)")
	add(f.Truncated, "the bank's name appears truncated")
	add(f.FirstOrLastNameOnly, "only one of the names matches")
	add(f.FirstNameMismatch, "family names agree but given names differ")
	add(f.SurnameMismatch, "family names differ")
	add(f.SuffixConflict, "generational suffixes differ (e.g. JR vs SR)")
	add(f.RoleWord, "the owner holds the account in a role (trustee, custodian, POA, estate)")
	add(f.JointOwner, "the owner string names several people")
	add(f.BusinessNameDetected, "the owner name is a business")
	add(f.PersonNameForCompany, "a person's name where a company was expected")
	add(f.CompanyNameForPerson, "a company name where a person was expected")
	add(f.SurnameLink, "the company carries the person's family name")
	add(f.DBAMatch, "matched through a trade name (DBA)")
	add(f.GenericOnly, "the company names share only generic words")
	add(f.DistinctiveMismatch, "the company names differ in a distinctive word")
	add(f.LegalFormMismatch, "legal forms differ")
	add(f.Spelling, "names differ only in form (spacing, a particle, an abbreviation, a middle initial)")
	add(f.GivenNameIsMiddle, "a given name is the other's middle name and a first given name is on one side only: the person goes by the middle name, or a family member")
	add(f.SuffixMissing, "a generational suffix (JR, SR, III) is on one side only")
	add(f.WordMissing, "one company name lacks a descriptive word the other has")
	add(f.Acronym, "one company name is an acronym of the other")
	add(f.SeriesMismatch, "a fund, series or class designator (II, FUND 2, SERIES A) is on one side only or differs: another entity")
	add(f.DBAHolderMismatch, "the trade names agree but the legal names before them differ: another holder of the trade name")
	if len(out) == 0 {
		out = append(out, "names do not match")
	}
	return out
}
