package address

import "strings"

// commonStreetNames are words that are themselves the names of many US
// streets: the most frequent street names (trees, numbers aside, presidents,
// landmarks) and the given and family names towns name streets after. Two
// of them one edit apart (MAIN / MAINE, GRAND / GRANT, ROSE / ROSS, PINE /
// VINE) are as often two streets of one town as a typo, so they are
// another real word (otherWord), like two Pub 28 street words (MILL /
// HILL). Only the pairs matter: a word with no neighbour here changes
// nothing. Spelling variants of one name (CENTER / CENTRE, HARBOR /
// HARBOUR, GRAY / GREY) are left out on purpose.
var commonStreetNames = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range []string{
		// landmarks and features
		"MAIN", "MAINE", "GRAND", "GRANT", "CHURCH", "MARKET", "WATER", "BRIDGE",
		"MILL", "MILLS", "SCHOOL", "COLLEGE", "COURT", "COUNT", "CENTRAL", "UNION",
		"STATE", "STATES", "STATION", "SPRING", "RIVER", "RIDGE", "LAKE", "LAKES",
		"PARK", "PARKS", "FOREST", "HIGH", "HIGHLAND", "HIGHLANDS", "SUNSET", "SUNRISE",
		"VIEW", "VISTA", "MEADOW", "MEADOWS", "ORCHARD", "PRAIRIE", "VALLEY", "CANYON",
		"BEACH", "BEECH", "OCEAN", "HARBOR", "SHORE", "SHORES", "BAYVIEW", "FAIRVIEW",
		// trees and plants
		"OAK", "PINE", "VINE", "LINE", "WINE", "PINES", "VINES", "MAPLE", "CEDAR", "CEDARS",
		"ELM", "ELMS", "BIRCH", "ASPEN", "ALDER", "WALNUT", "CHESTNUT", "HICKORY",
		"SPRUCE", "POPLAR", "LOCUST", "WILLOW", "WILLOWS", "MAGNOLIA", "DOGWOOD",
		"SYCAMORE", "CYPRESS", "LAUREL", "LAUREN", "HOLLY", "HOLLEY", "JUNIPER",
		"LINDEN", "HAWTHORN", "HAWTHORNE", "ROSE", "ROSES", "ROSS", "ROSA", "LILAC",
		"IVY", "PEACH", "PEAR", "PEARL", "EARL", "CHERRY", "APPLE", "OLIVE", "OLIVER",
		// presidents and founders
		"WASHINGTON", "LINCOLN", "JEFFERSON", "JACKSON", "MADISON", "MONROE", "ADAMS",
		"HARRISON", "WILSON", "WILLSON", "TAYLOR", "TAYLER", "POLK", "PIERCE", "PIERRE",
		"TYLER", "HAYES", "HAYS", "KENNEDY", "ROOSEVELT", "FRANKLIN", "HAMILTON",
		"CLEVELAND", "GARFIELD", "HARDING", "HARDIN", "CLAY", "CLAYS",
		// given and family names
		"JOHN", "JOHNS", "JAMES", "MARY", "MARTY", "ANN", "ANNA", "ANNE", "ELLEN", "ALLEN",
		"ALAN", "ALLAN", "DEAN", "DEANE", "DALE", "GALE", "HALE", "VALE", "YALE",
		"BELL", "BALL", "HALL", "HILL", "HILLS", "WALL", "BELLE", "BROWN", "BROWNE",
		"CLARK", "CLARKE", "CARTER", "CARVER", "PARKER", "BARKER", "BAKER", "BAILEY",
		"MILLER", "MILLEN", "WALKER", "WALTER", "WALTERS", "WARREN", "WARNER", "TURNER",
		"MORGAN", "MORTON", "NORTON", "HORTON", "BURTON", "BARTON", "DAVIS", "DAVID",
		"MARTIN", "MARION", "MARIAN", "LEWIS", "LOUIS", "WEBSTER", "DEWEY", "DREW",
	} {
		m[w] = true
	}
	return m
}()

// streetAliases are the short forms of the people streets are most often
// named after, as banks abbreviate them (MLK JR BLVD for MARTIN LUTHER
// KING JR BLVD). Each maps to the full name; a JR after it is dropped,
// since the signs write it both ways.
var streetAliases = []struct{ short, full string }{
	{"MLK", "MARTIN LUTHER KING"},
	{"M L K", "MARTIN LUTHER KING"},
	{"M L KING", "MARTIN LUTHER KING"},
	{"MARTIN L KING", "MARTIN LUTHER KING"},
	{"DR MARTIN LUTHER KING", "MARTIN LUTHER KING"},
	{"JFK", "JOHN F KENNEDY"},
	{"JOHN FITZGERALD KENNEDY", "JOHN F KENNEDY"},
	{"CESAR E CHAVEZ", "CESAR CHAVEZ"},
}

// expandAlias returns name with a leading short form spelled out and a JR
// after a full name dropped, or name unchanged.
func expandAlias(name string) string {
	for _, a := range streetAliases {
		if name == a.short || strings.HasPrefix(name, a.short+" ") {
			name = a.full + name[len(a.short):]
			break
		}
	}
	for _, a := range streetAliases {
		if name == a.full+" JR" || strings.HasPrefix(name, a.full+" JR ") {
			return a.full + name[len(a.full)+3:]
		}
	}
	return name
}
