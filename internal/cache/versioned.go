package cache

import (
	"bytes"
	"strconv"
	"strings"
)

// Versioned is how SetIfNewer stores a value: "v" + the version's
// elements (non-negative, comma-separated) + "|" + val. The version stays
// readable by the Redis script that compares it.
func Versioned(version []int64, val []byte) []byte {
	var b bytes.Buffer
	b.WriteByte('v')
	for i, n := range version {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(max(n, 0), 10))
	}
	b.WriteByte('|')
	b.Write(val)
	return b.Bytes()
}

// ParseVersioned splits a value stored by SetIfNewer.
func ParseVersioned(b []byte) (version []int64, val []byte, ok bool) {
	head, val, found := bytes.Cut(b, []byte("|"))
	if !found || len(head) < 2 || head[0] != 'v' {
		return nil, nil, false
	}
	for _, f := range strings.Split(string(head[1:]), ",") {
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil || n < 0 {
			return nil, nil, false
		}
		version = append(version, n)
	}
	return version, val, true
}

// compareVersions compares element by element (a missing element is 0),
// like the Redis script.
func compareVersions(a, b []int64) int {
	for i := range max(len(a), len(b)) {
		var x, y int64
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}
