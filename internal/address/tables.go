package address

// Dictionaries. Sources: USPS Publication 28 appendix C1 (street suffixes),
// C2 (secondary unit designators), B (state abbreviations) and 2.2.2
// (directionals). Keys are upper-case tokens as the tokenizer produces them
// (no dots, no apostrophes).

// suffixes maps every spelling of a street suffix in Pub 28 C1 to its
// standard abbreviation. TRAILER/TRLR is deliberately absent: in bank data
// it is the C2 unit designator far more often than a street suffix.
var suffixes = buildTable(map[string][]string{
	"ALY":  {"ALLEE", "ALLEY", "ALLY", "ALY"},
	"ANX":  {"ANEX", "ANNEX", "ANNX", "ANX"},
	"ARC":  {"ARC", "ARCADE"},
	"AVE":  {"AV", "AVE", "AVEN", "AVENU", "AVENUE", "AVN", "AVNUE"},
	"BYU":  {"BAYOO", "BAYOU", "BYU"},
	"BCH":  {"BCH", "BEACH"},
	"BND":  {"BEND", "BND"},
	"BLF":  {"BLF", "BLUF", "BLUFF"},
	"BLFS": {"BLUFFS", "BLFS"},
	"BTM":  {"BOT", "BTM", "BOTTM", "BOTTOM"},
	"BLVD": {"BLVD", "BOUL", "BOULEVARD", "BOULV", "BLV"},
	"BR":   {"BR", "BRNCH", "BRANCH"},
	"BRG":  {"BRDGE", "BRG", "BRIDGE"},
	"BRK":  {"BRK", "BROOK"},
	"BRKS": {"BROOKS", "BRKS"},
	"BG":   {"BURG", "BG"},
	"BGS":  {"BURGS", "BGS"},
	"BYP":  {"BYP", "BYPA", "BYPAS", "BYPASS", "BYPS"},
	"CP":   {"CAMP", "CP", "CMP"},
	"CYN":  {"CANYN", "CANYON", "CNYN", "CYN"},
	"CPE":  {"CAPE", "CPE"},
	"CSWY": {"CAUSEWAY", "CAUSWA", "CSWY"},
	"CTR":  {"CEN", "CENT", "CENTER", "CENTR", "CENTRE", "CNTER", "CNTR", "CTR"},
	"CTRS": {"CENTERS", "CTRS"},
	"CIR":  {"CIR", "CIRC", "CIRCL", "CIRCLE", "CRCL", "CRCLE"},
	"CIRS": {"CIRCLES", "CIRS"},
	"CLF":  {"CLF", "CLIFF"},
	"CLFS": {"CLFS", "CLIFFS"},
	"CLB":  {"CLB", "CLUB"},
	"CMN":  {"COMMON", "CMN"},
	"CMNS": {"COMMONS", "CMNS"},
	"COR":  {"COR", "CORNER"},
	"CORS": {"CORNERS", "CORS"},
	"CRSE": {"COURSE", "CRSE"},
	"CT":   {"COURT", "CT", "CRT"},
	"CTS":  {"COURTS", "CTS"},
	"CV":   {"COVE", "CV"},
	"CVS":  {"COVES", "CVS"},
	"CRK":  {"CREEK", "CRK"},
	"CRES": {"CRESCENT", "CRES", "CRSENT", "CRSNT"},
	"CRST": {"CREST", "CRST"},
	"XING": {"CROSSING", "CRSSNG", "XING"},
	"XRD":  {"CROSSROAD", "XRD"},
	"XRDS": {"CROSSROADS", "XRDS"},
	"CURV": {"CURVE", "CURV"},
	"DL":   {"DALE", "DL"},
	"DM":   {"DAM", "DM"},
	"DV":   {"DIV", "DIVIDE", "DV", "DVD"},
	"DR":   {"DR", "DRIV", "DRIVE", "DRV"},
	"DRS":  {"DRIVES", "DRS"},
	"EST":  {"EST", "ESTATE"},
	"ESTS": {"ESTATES", "ESTS"},
	"EXPY": {"EXP", "EXPR", "EXPRESS", "EXPRESSWAY", "EXPW", "EXPY"},
	"EXT":  {"EXT", "EXTENSION", "EXTN", "EXTNSN"},
	"EXTS": {"EXTS", "EXTENSIONS"},
	"FALL": {"FALL"},
	"FLS":  {"FALLS", "FLS"},
	"FRY":  {"FERRY", "FRRY", "FRY"},
	"FLD":  {"FIELD", "FLD"},
	"FLDS": {"FIELDS", "FLDS"},
	"FLT":  {"FLAT", "FLT"},
	"FLTS": {"FLATS", "FLTS"},
	"FRD":  {"FORD", "FRD"},
	"FRDS": {"FORDS", "FRDS"},
	"FRST": {"FOREST", "FORESTS", "FRST"},
	"FRG":  {"FORG", "FORGE", "FRG"},
	"FRGS": {"FORGES", "FRGS"},
	"FRK":  {"FORK", "FRK"},
	"FRKS": {"FORKS", "FRKS"},
	"FT":   {"FORT", "FRT", "FT"},
	"FWY":  {"FREEWAY", "FREEWY", "FRWAY", "FRWY", "FWY"},
	"GDN":  {"GARDEN", "GARDN", "GRDEN", "GRDN", "GDN"},
	"GDNS": {"GARDENS", "GDNS", "GRDNS"},
	"GTWY": {"GATEWAY", "GATEWY", "GATWAY", "GTWAY", "GTWY"},
	"GLN":  {"GLEN", "GLN"},
	"GLNS": {"GLENS", "GLNS"},
	"GRN":  {"GREEN", "GRN"},
	"GRNS": {"GREENS", "GRNS"},
	"GRV":  {"GROV", "GROVE", "GRV"},
	"GRVS": {"GROVES", "GRVS"},
	"HBR":  {"HARB", "HARBOR", "HARBR", "HBR", "HRBOR"},
	"HBRS": {"HARBORS", "HBRS"},
	"HVN":  {"HAVEN", "HVN"},
	"HTS":  {"HT", "HTS", "HEIGHTS", "HGTS"},
	"HWY":  {"HIGHWAY", "HIGHWY", "HIWAY", "HIWY", "HWAY", "HWY"},
	"HL":   {"HILL", "HL"},
	"HLS":  {"HILLS", "HLS"},
	"HOLW": {"HLLW", "HOLLOW", "HOLLOWS", "HOLW", "HOLWS"},
	"INLT": {"INLT", "INLET"},
	"IS":   {"IS", "ISLAND", "ISLND"},
	"ISS":  {"ISLANDS", "ISLNDS", "ISS"},
	"ISLE": {"ISLE", "ISLES"},
	"JCT":  {"JCT", "JCTION", "JCTN", "JUNCTION", "JUNCTN", "JUNCTON"},
	"JCTS": {"JCTNS", "JCTS", "JUNCTIONS"},
	"KY":   {"KEY", "KY"},
	"KYS":  {"KEYS", "KYS"},
	"KNL":  {"KNL", "KNOL", "KNOLL"},
	"KNLS": {"KNLS", "KNOLLS"},
	"LK":   {"LK", "LAKE"},
	"LKS":  {"LKS", "LAKES"},
	"LAND": {"LAND"},
	"LNDG": {"LANDING", "LNDG", "LNDNG"},
	"LN":   {"LANE", "LN"},
	"LGT":  {"LGT", "LIGHT"},
	"LGTS": {"LIGHTS", "LGTS"},
	"LF":   {"LF", "LOAF"},
	"LCK":  {"LCK", "LOCK"},
	"LCKS": {"LCKS", "LOCKS"},
	"LDG":  {"LDG", "LDGE", "LODG", "LODGE"},
	"LOOP": {"LOOP", "LOOPS"},
	"MALL": {"MALL"},
	"MNR":  {"MNR", "MANOR"},
	"MNRS": {"MANORS", "MNRS"},
	"MDW":  {"MEADOW"},
	"MDWS": {"MDW", "MDWS", "MEADOWS", "MEDOWS"},
	"MEWS": {"MEWS"},
	"ML":   {"MILL", "ML"},
	"MLS":  {"MILLS", "MLS"},
	"MSN":  {"MISSN", "MSSN", "MSN", "MISSION"},
	"MTWY": {"MOTORWAY", "MTWY"},
	"MT":   {"MNT", "MT", "MOUNT"},
	"MTN":  {"MNTAIN", "MNTN", "MOUNTAIN", "MOUNTIN", "MTIN", "MTN"},
	"MTNS": {"MNTNS", "MOUNTAINS", "MTNS"},
	"NCK":  {"NCK", "NECK"},
	"ORCH": {"ORCH", "ORCHARD", "ORCHRD"},
	"OVAL": {"OVAL", "OVL"},
	"OPAS": {"OVERPASS", "OPAS"},
	"PARK": {"PARK", "PRK", "PARKS"},
	"PKWY": {"PARKWAY", "PARKWY", "PKWAY", "PKWY", "PKY", "PARKWAYS", "PKWYS"},
	"PASS": {"PASS"},
	"PSGE": {"PASSAGE", "PSGE"},
	"PATH": {"PATH", "PATHS"},
	"PIKE": {"PIKE", "PIKES"},
	"PNE":  {"PINE", "PNE"},
	"PNES": {"PINES", "PNES"},
	"PL":   {"PL", "PLACE"},
	"PLN":  {"PLAIN", "PLN"},
	"PLNS": {"PLAINS", "PLNS"},
	"PLZ":  {"PLAZA", "PLZ", "PLZA"},
	"PT":   {"POINT", "PT"},
	"PTS":  {"POINTS", "PTS"},
	"PRT":  {"PORT", "PRT"},
	"PRTS": {"PORTS", "PRTS"},
	"PR":   {"PR", "PRAIRIE", "PRR"},
	"RADL": {"RAD", "RADIAL", "RADIEL", "RADL"},
	"RAMP": {"RAMP"},
	"RNCH": {"RANCH", "RANCHES", "RNCH", "RNCHS"},
	"RPD":  {"RAPID", "RPD"},
	"RPDS": {"RAPIDS", "RPDS"},
	"RST":  {"REST", "RST"},
	"RDG":  {"RDG", "RDGE", "RIDGE"},
	"RDGS": {"RDGS", "RIDGES"},
	"RIV":  {"RIV", "RIVER", "RVR", "RIVR"},
	"RD":   {"RD", "ROAD"},
	"RDS":  {"ROADS", "RDS"},
	"RTE":  {"ROUTE", "RTE"},
	"ROW":  {"ROW"},
	"RUE":  {"RUE"},
	"RUN":  {"RUN"},
	"SHL":  {"SHL", "SHOAL"},
	"SHLS": {"SHLS", "SHOALS"},
	"SHR":  {"SHOAR", "SHORE", "SHR"},
	"SHRS": {"SHOARS", "SHORES", "SHRS"},
	"SKWY": {"SKYWAY", "SKWY"},
	"SPG":  {"SPG", "SPNG", "SPRING", "SPRNG"},
	"SPGS": {"SPGS", "SPNGS", "SPRINGS", "SPRNGS"},
	"SPUR": {"SPUR", "SPURS"},
	"SQ":   {"SQ", "SQR", "SQRE", "SQU", "SQUARE"},
	"SQS":  {"SQRS", "SQUARES", "SQS"},
	"STA":  {"STA", "STATION", "STATN", "STN"},
	"STRA": {"STRA", "STRAV", "STRAVEN", "STRAVENUE", "STRAVN", "STRVN", "STRVNUE"},
	"STRM": {"STREAM", "STREME", "STRM"},
	"ST":   {"STREET", "STRT", "ST", "STR"},
	"STS":  {"STREETS", "STS"},
	"SMT":  {"SMT", "SUMIT", "SUMITT", "SUMMIT"},
	"TER":  {"TER", "TERR", "TERRACE"},
	"TRWY": {"THROUGHWAY", "TRWY"},
	"TRCE": {"TRACE", "TRACES", "TRCE"},
	"TRAK": {"TRACK", "TRACKS", "TRAK", "TRK", "TRKS"},
	"TRFY": {"TRAFFICWAY", "TRFY"},
	"TRL":  {"TRAIL", "TRAILS", "TRL", "TRLS"},
	"TUNL": {"TUNEL", "TUNL", "TUNLS", "TUNNEL", "TUNNELS", "TUNNL"},
	"TPKE": {"TRNPK", "TURNPIKE", "TURNPK", "TPKE"},
	"UPAS": {"UNDERPASS", "UPAS"},
	"UN":   {"UN", "UNION"},
	"UNS":  {"UNIONS", "UNS"},
	"VLY":  {"VALLEY", "VALLY", "VLLY", "VLY"},
	"VLYS": {"VALLEYS", "VLYS"},
	"VIA":  {"VDCT", "VIA", "VIADCT", "VIADUCT"},
	"VW":   {"VIEW", "VW"},
	"VWS":  {"VIEWS", "VWS"},
	"VLG":  {"VILL", "VILLAG", "VILLAGE", "VILLG", "VILLIAGE", "VLG"},
	"VLGS": {"VILLAGES", "VLGS"},
	"VL":   {"VILLE", "VL"},
	"VIS":  {"VIS", "VIST", "VISTA", "VST", "VSTA"},
	"WALK": {"WALK", "WALKS"},
	"WALL": {"WALL"},
	"WAY":  {"WY", "WAY"},
	"WAYS": {"WAYS"},
	"WL":   {"WELL", "WL"},
	"WLS":  {"WELLS", "WLS"},
})

// strongSuffixes are the suffixes that, met after a street name in a string
// without commas, almost always end the street (rather than being part of a
// name such as LAKE SHORE or of a city such as PALM SPRINGS).
var strongSuffixes = map[string]bool{
	"ST": true, "AVE": true, "RD": true, "DR": true, "BLVD": true, "LN": true,
	"CT": true, "PL": true, "WAY": true, "PKWY": true, "HWY": true, "TER": true,
	"CIR": true, "TRL": true, "SQ": true, "PLZ": true, "EXPY": true, "FWY": true,
	"TPKE": true, "ALY": true, "CSWY": true, "BYP": true, "LOOP": true,
}

// unitDesignators is Pub 28 C2: secondary unit designators and their
// abbreviations, plus "#" and PMB. KEY is left out: in bank data it is a
// street or city word (KEY WEST, KEY LARGO) far more often than a unit.
var unitDesignators = buildTable(map[string][]string{
	"APT":  {"APT", "APARTMENT", "APPT", "APTS", "APP", "APPARTEMENT"}, // APP: French (Quebec)
	"BSMT": {"BSMT", "BASEMENT"},
	"BLDG": {"BLDG", "BUILDING", "BLD"},
	"DEPT": {"DEPT", "DEPARTMENT"},
	"FL":   {"FL", "FLOOR", "FLR"},
	"FRNT": {"FRNT", "FRONT"},
	"HNGR": {"HNGR", "HANGAR"},
	"LBBY": {"LBBY", "LOBBY"},
	"LOT":  {"LOT"},
	"LOWR": {"LOWR", "LOWER"},
	"OFC":  {"OFC", "OFFICE"},
	"PH":   {"PH", "PENTHOUSE"},
	"PIER": {"PIER"},
	"REAR": {"REAR"},
	"RM":   {"RM", "ROOM"},
	"SIDE": {"SIDE"},
	"SLIP": {"SLIP"},
	"SPC":  {"SPC", "SPACE"},
	"STOP": {"STOP"},
	"STE":  {"STE", "SUITE", "SUIT", "BUREAU"}, // BUREAU: French (Quebec) office suite
	"TRLR": {"TRLR", "TRAILER"},
	"UNIT": {"UNIT"},
	"UPPR": {"UPPR", "UPPER"},
	"PMB":  {"PMB"}, // private mailbox (not in C2, common in bank data)
	"#":    {"#"},
})

// valuelessUnits may stand without a value (Pub 28 C2 "does not require
// secondary range").
var valuelessUnits = map[string]bool{
	"BSMT": true, "FRNT": true, "LBBY": true, "LOWR": true, "OFC": true,
	"PH": true, "REAR": true, "SIDE": true, "UPPR": true,
}

// directionals maps one-token directionals to their abbreviation.
var directionals = map[string]string{
	"N": "N", "NORTH": "N", "S": "S", "SOUTH": "S", "E": "E", "EAST": "E", "W": "W", "WEST": "W",
	"NE": "NE", "NORTHEAST": "NE", "NW": "NW", "NORTHWEST": "NW",
	"SE": "SE", "SOUTHEAST": "SE", "SW": "SW", "SOUTHWEST": "SW",
}

// states maps state and territory names (Pub 28 appendix B), USPS codes
// and older (AP-style) abbreviations to the USPS code. Names are joined
// with single spaces, as the tokenizer yields them.
var stateNames = map[string]string{
	"ALABAMA": "AL", "ALASKA": "AK", "ARIZONA": "AZ", "ARKANSAS": "AR", "CALIFORNIA": "CA",
	"COLORADO": "CO", "CONNECTICUT": "CT", "DELAWARE": "DE", "DISTRICT OF COLUMBIA": "DC",
	"FLORIDA": "FL", "GEORGIA": "GA", "HAWAII": "HI", "IDAHO": "ID", "ILLINOIS": "IL",
	"INDIANA": "IN", "IOWA": "IA", "KANSAS": "KS", "KENTUCKY": "KY", "LOUISIANA": "LA",
	"MAINE": "ME", "MARYLAND": "MD", "MASSACHUSETTS": "MA", "MICHIGAN": "MI", "MINNESOTA": "MN",
	"MISSISSIPPI": "MS", "MISSOURI": "MO", "MONTANA": "MT", "NEBRASKA": "NE", "NEVADA": "NV",
	"NEW HAMPSHIRE": "NH", "NEW JERSEY": "NJ", "NEW MEXICO": "NM", "NEW YORK": "NY",
	"NORTH CAROLINA": "NC", "NORTH DAKOTA": "ND", "OHIO": "OH", "OKLAHOMA": "OK", "OREGON": "OR",
	"PENNSYLVANIA": "PA", "RHODE ISLAND": "RI", "SOUTH CAROLINA": "SC", "SOUTH DAKOTA": "SD",
	"TENNESSEE": "TN", "TEXAS": "TX", "UTAH": "UT", "VERMONT": "VT", "VIRGINIA": "VA",
	"WASHINGTON": "WA", "WEST VIRGINIA": "WV", "WISCONSIN": "WI", "WYOMING": "WY",
	"AMERICAN SAMOA": "AS", "GUAM": "GU", "NORTHERN MARIANA ISLANDS": "MP", "PUERTO RICO": "PR",
	"VIRGIN ISLANDS": "VI", "US VIRGIN ISLANDS": "VI", "FEDERATED STATES OF MICRONESIA": "FM",
	"MARSHALL ISLANDS": "MH", "PALAU": "PW",
	"ARMED FORCES AMERICAS": "AA", "ARMED FORCES EUROPE": "AE", "ARMED FORCES PACIFIC": "AP",
}

// oldStateAbbrevs are pre-USPS (AP style) abbreviations. They are only
// trusted where a state is expected (identity field, before a ZIP, alone
// between commas) because several are ordinary words.
var oldStateAbbrevs = map[string]string{
	"ALA": "AL", "ARIZ": "AZ", "ARK": "AR", "CALIF": "CA", "CAL": "CA", "COLO": "CO",
	"CONN": "CT", "DEL": "DE", "FLA": "FL", "ILL": "IL", "IND": "IN", "KAN": "KS",
	"KANS": "KS", "MASS": "MA", "MICH": "MI", "MINN": "MN", "MISS": "MS", "MONT": "MT",
	"NEB": "NE", "NEBR": "NE", "NEV": "NV", "OKLA": "OK", "ORE": "OR", "OREG": "OR",
	"PENN": "PA", "PENNA": "PA", "TENN": "TN", "TEX": "TX", "WASH": "WA", "WIS": "WI",
	"WISC": "WI", "WYO": "WY", "WVA": "WV",
}

// stateCodes is the set of valid USPS state and territory codes.
var stateCodes = func() map[string]bool {
	m := make(map[string]bool, len(stateNames))
	for _, c := range stateNames {
		m[c] = true
	}
	return m
}()

// ambiguousStateCodes are state codes that are also a street suffix or a
// directional (Pub 28 C1/2.2.2): CT court, NE northeast, MT mount, PR
// prairie, WY way, KY key. Without a ZIP after them they need context.
var ambiguousStateCodes = map[string]bool{"CT": true, "NE": true, "MT": true, "PR": true, "WY": true, "KY": true}

// provinces are Canadian province codes and names, used only when the
// country is Canada.
var provinces = map[string]string{
	"AB": "AB", "ALBERTA": "AB", "BC": "BC", "BRITISH COLUMBIA": "BC", "MB": "MB", "MANITOBA": "MB",
	"NB": "NB", "NEW BRUNSWICK": "NB", "NL": "NL", "NEWFOUNDLAND AND LABRADOR": "NL", "NEWFOUNDLAND": "NL",
	"NS": "NS", "NOVA SCOTIA": "NS", "NT": "NT", "NORTHWEST TERRITORIES": "NT", "NU": "NU", "NUNAVUT": "NU",
	"ON": "ON", "ONTARIO": "ON", "PE": "PE", "PRINCE EDWARD ISLAND": "PE", "QC": "QC", "QUEBEC": "QC",
	"SK": "SK", "SASKATCHEWAN": "SK", "YT": "YT", "YUKON": "YT",
}

// countryNames maps country spellings accepted at the end of a raw address
// to ISO 3166-1 alpha-2. Two-letter codes other than US are not accepted
// there because they collide with state codes (CA, DE, IN, ...).
var countryNames = map[string]string{
	"US": "US", "USA": "US", "U S": "US", "U S A": "US", "UNITED STATES": "US",
	"UNITED STATES OF AMERICA": "US", "AMERICA": "US",
	"CANADA": "CA", "MEXICO": "MX", "UNITED KINGDOM": "GB", "UK": "GB", "GREAT BRITAIN": "GB",
	"ENGLAND": "GB", "SCOTLAND": "GB", "WALES": "GB", "IRELAND": "IE", "GERMANY": "DE",
	"DEUTSCHLAND": "DE", "FRANCE": "FR", "SPAIN": "ES", "ITALY": "IT", "NETHERLANDS": "NL",
	"BELGIUM": "BE", "SWITZERLAND": "CH", "AUSTRIA": "AT", "SWEDEN": "SE", "NORWAY": "NO",
	"DENMARK": "DK", "FINLAND": "FI", "PORTUGAL": "PT", "POLAND": "PL", "AUSTRALIA": "AU",
	"NEW ZEALAND": "NZ", "JAPAN": "JP", "CHINA": "CN", "INDIA": "IN", "BRAZIL": "BR",
	"ARGENTINA": "AR", "ISRAEL": "IL", "SINGAPORE": "SG", "PHILIPPINES": "PH",
}

// countryDisplay is the name String prints for a country code, chosen so
// that it parses back to the same code (a bare "CA" would read as California).
var countryDisplay = map[string]string{
	"US": "US", "CA": "CANADA", "MX": "MEXICO", "GB": "UNITED KINGDOM", "IE": "IRELAND",
	"DE": "GERMANY", "FR": "FRANCE", "ES": "SPAIN", "IT": "ITALY", "NL": "NETHERLANDS",
	"BE": "BELGIUM", "CH": "SWITZERLAND", "AT": "AUSTRIA", "SE": "SWEDEN", "NO": "NORWAY",
	"DK": "DENMARK", "FI": "FINLAND", "PT": "PORTUGAL", "PL": "POLAND", "AU": "AUSTRALIA",
	"NZ": "NEW ZEALAND", "JP": "JAPAN", "CN": "CHINA", "IN": "INDIA", "BR": "BRAZIL",
	"AR": "ARGENTINA", "IL": "ISRAEL", "SG": "SINGAPORE", "PH": "PHILIPPINES",
}

// ordinalWords spells ordinals 1..19 (and the round tens) as words.
var ordinalWords = map[string]int{
	"FIRST": 1, "SECOND": 2, "THIRD": 3, "FOURTH": 4, "FIFTH": 5, "SIXTH": 6, "SEVENTH": 7,
	"EIGHTH": 8, "NINTH": 9, "TENTH": 10, "ELEVENTH": 11, "TWELFTH": 12, "THIRTEENTH": 13,
	"FOURTEENTH": 14, "FIFTEENTH": 15, "SIXTEENTH": 16, "SEVENTEENTH": 17, "EIGHTEENTH": 18,
	"NINETEENTH": 19, "TWENTIETH": 20, "THIRTIETH": 30, "FORTIETH": 40, "FIFTIETH": 50,
	"SIXTIETH": 60, "SEVENTIETH": 70, "EIGHTIETH": 80, "NINETIETH": 90, "HUNDREDTH": 100,
}

// tensWords start compound ordinals: TWENTY FIRST -> 21ST.
var tensWords = map[string]int{
	"TWENTY": 20, "THIRTY": 30, "FORTY": 40, "FIFTY": 50, "SIXTY": 60, "SEVENTY": 70,
	"EIGHTY": 80, "NINETY": 90,
}

// namePrefixes are abbreviations expanded when they begin a street or city
// name (ST LOUIS = SAINT LOUIS); as the last word of a street they are
// suffixes instead.
var namePrefixes = map[string]string{
	"ST": "SAINT", "STE": "SAINTE", "FT": "FORT", "MT": "MOUNT", "PT": "POINT",
}

// cityWords expands abbreviations common in bank-formatted city names
// (COLORADO SPGS, SHAKER HTS).
var cityWords = map[string]string{
	"HTS": "HEIGHTS", "HGTS": "HEIGHTS", "SPGS": "SPRINGS", "SPRGS": "SPRINGS", "BCH": "BEACH",
	"VLG": "VILLAGE", "JCT": "JUNCTION", "CTR": "CENTER", "FLS": "FALLS", "PK": "PARK",
	"LK": "LAKE", "SPG": "SPRING", "MTN": "MOUNTAIN", "VLY": "VALLEY", "HBR": "HARBOR",
	"TWP": "TOWNSHIP", "CY": "CITY", "GDNS": "GARDENS", "HLS": "HILLS", "PT": "POINT",
	"ST": "SAINT", "STE": "SAINTE", "FT": "FORT", "MT": "MOUNT",
}

// cityAliases are other names of one city, by state, that banks and users
// write for it: the USPS's own short forms (NYC, NY CITY, NEW YORK CITY,
// MANHATTAN and NY for NEW YORK; BKLYN; PHILA; SLC are acceptable names in
// its City State file) and short forms that name no other place in their
// state (LA is Los Angeles only where the state is CA; alone it reads as
// Louisiana). Boroughs and neighbourhoods are not aliases: BROOKLYN and
// NEW YORK both have a 100 BROADWAY, so they are the same place only when
// the ZIPs agree (Compare, CityAlternate).
var cityAliases = map[string]map[string]string{
	"NY": {"NYC": "NEW YORK", "NY CITY": "NEW YORK", "NEW YORK CITY": "NEW YORK", "NY": "NEW YORK",
		"MANHATTAN": "NEW YORK", "BKLYN": "BROOKLYN"},
	"PA": {"PHILA": "PHILADELPHIA", "PHILLY": "PHILADELPHIA"},
	"UT": {"SLC": "SALT LAKE CITY"},
	"CA": {"LA": "LOS ANGELES", "SF": "SAN FRANCISCO"},
	"LA": {"NOLA": "NEW ORLEANS"},
	"MO": {"KC": "KANSAS CITY"},
	"KS": {"KC": "KANSAS CITY"},
}

// routeKinds are the route forms that take a number ("HWY 61", "STATE ROUTE
// 9"). Each entry is a token sequence and its canonical spelling; longer
// sequences come first so that the longest match wins.
var routeKinds = []struct {
	words []string
	canon string
}{
	{[]string{"UNITED", "STATES", "HIGHWAY"}, "US HWY"},
	{[]string{"FARM", "TO", "MARKET", "ROAD"}, "FM"},
	{[]string{"FARM", "TO", "MARKET"}, "FM"},
	{[]string{"US", "HWY"}, "US HWY"},
	{[]string{"US", "HIGHWAY"}, "US HWY"},
	{[]string{"US", "ROUTE"}, "US HWY"},
	{[]string{"US", "RTE"}, "US HWY"},
	{[]string{"STATE", "ROUTE"}, "STATE ROUTE"},
	{[]string{"STATE", "RTE"}, "STATE ROUTE"},
	{[]string{"ST", "RT"}, "STATE ROUTE"},
	{[]string{"ST", "RTE"}, "STATE ROUTE"},
	{[]string{"STATE", "HWY"}, "STATE HWY"},
	{[]string{"STATE", "HIGHWAY"}, "STATE HWY"},
	{[]string{"ST", "HWY"}, "STATE HWY"},
	{[]string{"STATE", "ROAD"}, "STATE RD"},
	{[]string{"STATE", "RD"}, "STATE RD"},
	{[]string{"ST", "RD"}, "STATE RD"},
	{[]string{"COUNTY", "ROAD"}, "COUNTY ROAD"},
	{[]string{"COUNTY", "RD"}, "COUNTY ROAD"},
	{[]string{"CO", "RD"}, "COUNTY ROAD"},
	{[]string{"CNTY", "RD"}, "COUNTY ROAD"},
	{[]string{"COUNTY", "HWY"}, "COUNTY HWY"},
	{[]string{"COUNTY", "HIGHWAY"}, "COUNTY HWY"},
	{[]string{"CO", "HWY"}, "COUNTY HWY"},
	{[]string{"CNTY", "HWY"}, "COUNTY HWY"},
	{[]string{"RURAL", "ROUTE"}, "RR"},
	{[]string{"RURAL", "RTE"}, "RR"},
	{[]string{"HIGHWAY", "CONTRACT", "ROUTE"}, "HC"},
	{[]string{"HIGHWAY", "CONTRACT"}, "HC"},
	{[]string{"STAR", "ROUTE"}, "HC"},
	{[]string{"FM", "RD"}, "FM"},
	{[]string{"HIGHWAY"}, "HWY"},
	{[]string{"HWY"}, "HWY"},
	{[]string{"HIWAY"}, "HWY"},
	{[]string{"HIWY"}, "HWY"},
	{[]string{"HWAY"}, "HWY"},
	{[]string{"HIGHWY"}, "HWY"},
	{[]string{"US"}, "US HWY"},
	{[]string{"SR"}, "STATE ROUTE"},
	{[]string{"SH"}, "STATE HWY"},
	{[]string{"CR"}, "COUNTY ROAD"},
	{[]string{"ROUTE"}, "ROUTE"},
	{[]string{"RTE"}, "ROUTE"},
	{[]string{"RT"}, "ROUTE"},
	{[]string{"INTERSTATE"}, "INTERSTATE"},
	{[]string{"I"}, "INTERSTATE"},
	{[]string{"FM"}, "FM"},
	{[]string{"RR"}, "RR"},
	{[]string{"RFD"}, "RR"},
	{[]string{"HC"}, "HC"},
	{[]string{"HCR"}, "HC"},
}

func buildTable(groups map[string][]string) map[string]string {
	m := make(map[string]string, 4*len(groups))
	for std, variants := range groups {
		m[std] = std
		for _, v := range variants {
			m[v] = std
		}
	}
	return m
}

// cityStarters are suffix words that more often begin a city name than end
// a street when a street without suffix is followed by its city and no
// separator (3020 N BROADWAY LAKE FOREST IL).
var cityStarters = map[string]bool{
	"LAKE": true, "LK": true, "FORT": true, "FT": true, "MOUNT": true, "MT": true,
	"PORT": true, "PARK": true, "GLEN": true, "FALLS": true, "SPRING": true,
	"SPRINGS": true, "VALLEY": true, "CAPE": true, "GREEN": true, "MILL": true,
	"POINT": true, "PT": true, "HARBOR": true, "ISLAND": true, "VILLAGE": true,
	"CENTER": true, "ST": true, "STE": true, "KEY": true, "FOREST": true,
}

// directionWords spells the directional abbreviations out, for city names.
var directionWords = map[string]string{
	"N": "NORTH", "S": "SOUTH", "E": "EAST", "W": "WEST",
	"NE": "NORTHEAST", "NW": "NORTHWEST", "SE": "SOUTHEAST", "SW": "SOUTHWEST",
}

// numberWords are house numbers spelled as words, as office buildings
// write them (ONE MARKET PLAZA).
var numberWords = map[string]string{
	"ONE": "1", "TWO": "2", "THREE": "3", "FOUR": "4", "FIVE": "5", "SIX": "6",
	"SEVEN": "7", "EIGHT": "8", "NINE": "9", "TEN": "10",
}

// zeroZIPStates are the states and territories whose ZIP codes begin with
// 0 (New England, NJ, PR, VI, military Europe): a bank or a spreadsheet
// that stored the ZIP as a number writes 2139 for 02139.
var zeroZIPStates = map[string]bool{
	"CT": true, "MA": true, "ME": true, "NH": true, "NJ": true, "RI": true, "VT": true,
	"PR": true, "VI": true, "AE": true,
}
