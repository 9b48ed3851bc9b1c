package address

import "strings"

// Quebec (and other French Canadian) street lines put the street type
// first and spell directions and saints in French: "1200 RUE
// SAINTE-CATHERINE O APP 5" is the "1200 STE CATHERINE ST W APT 5" of an
// English form; "5-1200 ..." puts the unit before the civic number.
// frenchStreet rewrites a Canadian parse into the parts an English one
// has, so both forms compare part by part.

// frenchTypes maps a leading French street type to the suffix it is
// compared as: RUE is the street (ST) of the English form of a name, the
// others keep a type of their own.
var frenchTypes = map[string]string{
	"RUE": "ST", "BOULEVARD": "BLVD", "BOUL": "BLVD", "BD": "BLVD", "BLVD": "BLVD",
	"AVENUE": "AVE", "AV": "AVE", "AVE": "AVE", "CHEMIN": "CH", "CH": "CH",
	"MONTEE": "MONTEE", "RANG": "RANG", "COTE": "COTE", "IMPASSE": "IMP", "IMP": "IMP",
	"PROMENADE": "PROM", "PROM": "PROM", "CROISSANT": "CROIS", "CROIS": "CROIS",
	"PLACE": "PL", "PL": "PL", "ALLEE": "ALLEE", "ROUTE": "RTE", "RTE": "RTE",
}

// frenchDirections maps a trailing French or English direction word of a
// Canadian street to its abbreviation (OUEST and O are W).
var frenchDirections = map[string]string{
	"O": "W", "OUEST": "W", "W": "W", "WEST": "W", "E": "E", "EST": "E", "EAST": "E",
	"N": "N", "NORD": "N", "NORTH": "N", "S": "S", "SUD": "S", "SOUTH": "S",
}

// saintWords spells out a saint inside a name (RUE STE-CATHERINE), as
// streetName does for a name's first word.
var saintWords = map[string]string{"ST": "SAINT", "STE": "SAINTE"}

func (p *Parsed) frenchStreet() {
	if p.Country != "CA" || p.Street == "" {
		return
	}
	words := strings.Fields(p.Street)
	if t := frenchTypes[words[0]]; t != "" && len(words) > 1 && p.Suffix == "" {
		p.Suffix, words = t, words[1:]
	}
	if d := frenchDirections[words[len(words)-1]]; d != "" && len(words) > 1 && p.PostDir == "" {
		p.PostDir, words = d, words[:len(words)-1]
	}
	for i, w := range words {
		if s := saintWords[w]; s != "" && i+1 < len(words) {
			words[i] = s
		}
	}
	p.Street = strings.Join(words, " ")
	p.unitBeforeCivic()
}

// unitBeforeCivic splits the Canadian "unit-civic" number (5-1200: unit 5
// at civic number 1200) when no other unit, or the same one, is given.
func (p *Parsed) unitBeforeCivic() {
	i := strings.IndexByte(p.Number, '-')
	if i <= 0 || !startsWithDigit(p.Number[i+1:]) || p.Unit != "" && p.Unit != p.Number[:i] {
		return
	}
	if p.Unit == "" {
		p.UnitType, p.Unit = "#", p.Number[:i]
	}
	p.Number = p.Number[i+1:]
}
