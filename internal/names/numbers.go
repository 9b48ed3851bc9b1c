package names

import "strconv"

// Numbers in company names are written either way (4 CORNERS / FOUR
// CORNERS, 1ST STREET / FIRST STREET, ROUTE 66 / ROUTE SIXTY-SIX, 3M /
// THREE M): number words fold to digits, ordinal words to 1ST, 2ND, 21ST.
// The number words are English grammar, not something analysts tune, so
// they live here rather than in rules/.

var (
	numberUnits = map[string]int{
		"ZERO": 0, "ONE": 1, "TWO": 2, "THREE": 3, "FOUR": 4, "FIVE": 5, "SIX": 6, "SEVEN": 7,
		"EIGHT": 8, "NINE": 9, "TEN": 10, "ELEVEN": 11, "TWELVE": 12, "THIRTEEN": 13,
		"FOURTEEN": 14, "FIFTEEN": 15, "SIXTEEN": 16, "SEVENTEEN": 17, "EIGHTEEN": 18, "NINETEEN": 19,
	}
	numberTens = map[string]int{
		"TWENTY": 20, "THIRTY": 30, "FORTY": 40, "FOURTY": 40, "FIFTY": 50, "SIXTY": 60,
		"SEVENTY": 70, "EIGHTY": 80, "NINETY": 90,
	}
	ordinalUnits = map[string]int{
		"FIRST": 1, "SECOND": 2, "THIRD": 3, "FOURTH": 4, "FIFTH": 5, "SIXTH": 6, "SEVENTH": 7,
		"EIGHTH": 8, "NINTH": 9, "TENTH": 10, "ELEVENTH": 11, "TWELFTH": 12, "THIRTEENTH": 13,
		"FOURTEENTH": 14, "FIFTEENTH": 15, "SIXTEENTH": 16, "SEVENTEENTH": 17, "EIGHTEENTH": 18,
		"NINETEENTH": 19, "TWENTIETH": 20, "THIRTIETH": 30, "FORTIETH": 40, "FIFTIETH": 50,
		"SIXTIETH": 60, "SEVENTIETH": 70, "EIGHTIETH": 80, "NINETIETH": 90, "HUNDREDTH": 100,
	}
	numberScales = map[string]int{"HUNDRED": 100, "THOUSAND": 1000}
)

// isNumberWord reports a word that starts or continues a number.
func isNumberWord(w string) bool {
	if len(w) < 3 || w[0] < 'A' {
		return false
	}
	_, u := numberUnits[w]
	_, t := numberTens[w]
	_, o := ordinalUnits[w]
	return u || t || o
}

// foldNumberWord folds one number or ordinal word (FOUR -> 4, FIRST -> 1ST).
func foldNumberWord(w string) (string, bool) {
	if !isNumberWord(w) {
		return "", false
	}
	f, n := readNumber([]string{w})
	return f, n == 1
}

// foldNumbers returns words with each run of number words folded to one
// numeral (SIXTY SIX -> 66, TWENTY FIRST -> 21ST, ONE HUNDRED -> 100), and
// NO / NUMBER before a numeral dropped (LUNA CAFE NO 2 = LUNA CAFE 2). It
// returns words itself when nothing changes (most names).
func foldNumbers(words []string) []string {
	i := 0
	for i < len(words) && !isNumberWord(words[i]) && !isNumberMark(words, i) {
		i++
	}
	if i == len(words) {
		return words
	}
	out := append(make([]string, 0, len(words)), words[:i]...)
	for i < len(words) {
		if isNumberMark(words, i) {
			i++
			continue
		}
		if isNumberWord(words[i]) {
			f, n := readNumber(words[i:])
			out = append(out, f)
			i += n
			continue
		}
		out = append(out, words[i])
		i++
	}
	return out
}

// isNumberMark reports NO, NUMBER or NBR before a numeral (not a name: NO
// LIMIT). The numeral may still be a word (NUMBER ONE).
func isNumberMark(words []string, i int) bool {
	switch words[i] {
	case "NO", "NUMBER", "NBR", "NUM":
	default:
		return false
	}
	if i == 0 || i+1 == len(words) {
		return false
	}
	n := words[i+1]
	return (n[0] >= '0' && n[0] <= '9') || isNumberWord(n)
}

// readNumber reads the number written by the words at the start of ws,
// returning it as a numeral (with an ordinal suffix if the last word is an
// ordinal) and how many words it took (at least one: ws[0] is a number word).
func readNumber(ws []string) (string, int) {
	total, cur, n := 0, 0, 0
	prev := "" // "unit", "tens", "scale": what the last word was
	for n < len(ws) {
		w := ws[n]
		if v, ok := ordinalUnits[w]; ok && (prev == "" || prev == "scale" || (prev == "tens" && v < 10)) {
			if v == 100 {
				cur = max(cur, 1) * 100
			} else {
				cur += v
			}
			return ordinal(total + cur), n + 1
		}
		if v, ok := numberUnits[w]; ok && (prev == "" || prev == "scale" || (prev == "tens" && v < 10)) {
			cur += v
			prev = "unit"
		} else if v, ok := numberTens[w]; ok && (prev == "" || prev == "scale") {
			cur += v
			prev = "tens"
		} else if v, ok := numberScales[w]; ok && prev != "" && prev != "scale" {
			if v == 1000 {
				total, cur = (total+cur)*v, 0
			} else {
				cur *= v
			}
			prev = "scale"
		} else {
			break
		}
		n++
	}
	return strconv.Itoa(total + cur), n
}

// ordinal writes n as 1ST, 2ND, 3RD, 11TH, 21ST.
func ordinal(n int) string {
	suffix := "TH"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			suffix = "ST"
		case 2:
			suffix = "ND"
		case 3:
			suffix = "RD"
		}
	}
	return strconv.Itoa(n) + suffix
}
