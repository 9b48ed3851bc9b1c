package names

// The score table: every score and deduction the comparison gives, in one
// place, on the scale described in the package comment. The bands the
// policy tests (strong_name, partial_name) are not here: they come from
// rules/policy.yaml.
const (
	// ---- levels --------------------------------------------------------------
	scoreIdentical = 100 // the same words after normalization
	// scoreSameButSpacing: the whole name spelled with other spacing
	// (ANNE MARIE / ANNEMARIE).
	scoreSameButSpacing = 98
	// scoreGivenSameRestSpacing: the given name the same, the rest spaced
	// differently (MARY ANNE MARIE LEE / MARY ANNEMARIE LEE).
	scoreGivenSameRestSpacing = 99
	// scoreNoOtherOrder: an alignment this good needs no other word order.
	scoreNoOtherOrder = 98
	// scoreCutBeforeFamily: a fixed-width field cut the name before the
	// family name; partial, since the family name is unseen.
	scoreCutBeforeFamily = 65
	// scoreMiddleNotFamily: the owner's last word is the identity's middle
	// name and the family name is missing.
	scoreMiddleNotFamily   = 65
	scoreFamilyInitialOnly = 62 // AMY C for AMY CHEN
	scoreOneNameOnly       = 62 // one word on one side, matching one name
	// scoreGoesByMiddle: one side's given name is the other's middle name
	// and the other has a full first given name this one lacks (DAVID JOHN
	// SMITH / JOHN SMITH): the same person going by the middle name, or a
	// family member at the same address; partial, for review.
	scoreGoesByMiddle = 70
	// scoreInitialThenMiddle: the owner's first given name is a bare initial
	// and the identity's given name its middle (J ROBERT SMITH / ROBERT
	// SMITH): how banks write a person known by the middle name; a given
	// word on one side only, like a middle name missing (97) less the doubt
	// of its standing in the given name's place.
	scoreInitialThenMiddle = 95
	scoreSingleTypo        = 88 // a one-word name with one typo
	scoreOtherGiven        = 30 // family names agree, given names differ
	scoreOtherFamily       = 35 // family names differ
	scoreOtherPerson       = 10 // nothing agrees, or a company for a person
	scorePersonForCompany  = 10 // a person's name where a company was expected

	// ---- person deductions and caps -----------------------------------------
	costNickname = 8 // ROBERT / BOB: the same person, a less certain form
	// capNickSibling: two nicknames of one name (MOLLY / POLLY, IAN / IVAN)
	// are as often two of a family as one person: partial, for review.
	capNickSibling     = 72
	costTypo           = 12 // one edit in a given or family name
	capInitial         = 72 // a bare initial for the given name
	costTruncatedGiven = 8  // the bank cut the given name
	// costTruncatedFamily applies when the cut kept at least half (and four
	// letters) of the family name; a heavier cut is capped at capHeavyCut.
	costTruncatedFamily = 8
	capHeavyCut         = 70
	minKeptLetters      = 4
	costParticle        = 4  // a particle dropped: VAN BEETHOVEN / BEETHOVEN
	costMiddleConflict  = 25 // JOHN R and JOHN T: maybe father and son
	costMiddleMissing   = 3  // a middle name on one side only
	costCompoundOrder   = 1  // GARCIA LOPEZ / LOPEZ GARCIA
	costOrderSwapped    = 2  // LAST FIRST without a comma
	// costSwapAndTypo: a swapped order and a typo together are two
	// deviations (ADAM WEST / WEST ADAMS).
	costSwapAndTypo  = 10
	costSuffixMissed = 1 // a generational suffix on one side only
	// capSlip: a misspelling beyond the typo budget (two edits in a long
	// family name, one in a three-letter name) with the other name the
	// same: partial, for review.
	capSlip       = 72
	minTwoTypoLen = 7 // letters the longer family name needs for a two-edit budget ...
	minShortLen   = 6 // ... and the shorter; both need as many for a first-letter slip
	maxMiddles    = 8 // middle words an alignment pairs; more is no one person's name
	// capSuffixConflict: JR vs SR names another person of the same name, so
	// the score sits in the different-name band (below any sensible
	// partial_name), not at 100.
	capSuffixConflict = 40

	// ---- companies -----------------------------------------------------------
	scoreAcronym         = 72 // IBM / INTERNATIONAL BUSINESS MACHINES
	costCompanyTypo      = 8  // one edit in a company word
	costCompanyAbbrev    = 3  // PAC NW / PACIFIC NORTHWEST
	costCompanyReorder   = 6  // WIDGETS ACME / ACME WIDGETS
	costCompanyTruncated = 6  // the last word cut by the bank
	scoreCompanyCut      = 92 // the bank cut the name after the distinctive words
	// scoreSeriesCut: a cut name whose missing tail holds a fund or series
	// number (NORTHGATE CAPITAL FUND / ... FUND II): maybe the cut, maybe a
	// sister entity; review, never a pass.
	scoreSeriesCut = 70
	// minCutLength: an owner string this long (in characters) may have been
	// cut by the bank's field after a whole word; a shorter one is read as
	// complete unless its last word is itself cut (ROSE GARDEN H).
	minCutLength = 18
	// minWordsBeforeLetter: a single trailing letter is read as a cut word
	// (ROSE GARDEN H) only after this many agreeing words; SUNRISE B is too
	// short to tell a cut from another name: scoreShortCut, review.
	minWordsBeforeLetter  = 2
	scoreShortCut         = 70
	scoreGenericBase      = 15 // generic words only: a base ...
	scoreGenericPerWord   = 5  // ... plus this per shared generic word ...
	capGenericOnly        = 40 // ... never more than this
	scoreWordMissing      = 70 // SWEET CRUMB / SWEET CRUMB BAKERY
	scoreDistinctiveOther = 45 // a distinctive word differs
	// scoreSisterEntity: the names agree but for a fund, series or class
	// designator (FUND II / FUND III, SERIES A / SERIES B): another legal
	// entity of the same family, in the different-name band.
	scoreSisterEntity  = 45
	costLegalFormOther = 12 // INC vs LLC
	scoreSurnameLink   = 65 // PAUL KOWALCZYK for KOWALCZYK ROOFING
	// capCompanySlip: one letter put for another in a word the
	// dictionaries know (LAKESIDE LODGE / LAKESIDE LEDGE): as often
	// another word as a slip of the keys; partial, for review.
	capCompanySlip = 72
	// minSubstitutionTypo: one letter put for another in a company word
	// shorter than this is a slip (capCompanySlip), not a typo: most such
	// neighbours of a short word are other words or names (MILLER /
	// MULLER, LOPEZ / LOPES, GLASS / GRASS).
	minSubstitutionTypo = 7
	// capDBAOtherHolder: the trade names agree but the legal names before
	// the DBA differ (JANE SMITH DBA SMITH PLUMBING for John Smith DBA
	// Smith Plumbing): maybe a spouse or a new owner; review, never a pass.
	capDBAOtherHolder = 70
	// capProperSwap: two neighbouring proper words swapped (LAKE FOREST /
	// FOREST LAKE): as often another firm as a clerk's slip; review.
	capProperSwap = 75
	capNamedAfter = 80 // JOHN DOE for JOHN DOE INC: the person, not the company
)

// midCostOf is what an aligned middle word costs, by how it matched: a
// middle initial for the full name is close, not identical.
var midCostOf = [...]int{howExact: 0, howNickname: 2, howAbbrev: 1, howTypo: 5, howTruncated: 1, howInitial: 1, howSlip: 5, howNickSibling: 5}
