package names

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/probes.txt with the current bands (review the diff!)")

// band places a result where the policy draws its lines: strong (pass
// territory), partial (review) or differ (fail territory).
func band(c *Comparer, r Result) string {
	f := r.Facts
	switch {
	case r.Score < c.bands.Partial || f.SuffixConflict || f.FirstNameMismatch || f.SurnameMismatch ||
		f.PersonNameForCompany || f.CompanyNameForPerson ||
		((f.DistinctiveMismatch || f.GenericOnly) && r.Score < c.bands.Strong):
		return "differ"
	case r.Score >= c.bands.Strong:
		return "strong"
	default:
		return "partial"
	}
}

// TestProbes runs the hand-reviewed probe corpus in testdata/probes.txt:
// variants beyond fixtures/cases, each labeled with the band it belongs in.
// go test ./internal/names -run TestProbes -update rewrites the bands; the
// diff must then be reviewed line by line.
func TestProbes(t *testing.T) {
	c := repoComparer(t)
	const path = "testdata/probes.txt"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(data))
	n, rows := 0, 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			out.WriteString(line + "\n")
			continue
		}
		p := strings.Split(line, "|")
		if len(p) != 5 {
			t.Fatalf("%s:%d: want band|kind|name|dba|owner, got %q", path, n, line)
		}
		kind := "individual"
		if p[1] == "c" {
			kind = "company"
		}
		rows++
		if self := c.Compare(kind, p[2], p[3], p[2]); strings.TrimSpace(p[2]) != "" && self.Score < 96 {
			t.Errorf("%s:%d: %q against itself scored %d (%v)", path, n, p[2], self.Score, Reasons(self.Facts))
		}
		r := c.Compare(kind, p[2], p[3], p[4])
		got := band(c, r)
		if *update {
			p[0] = got
		} else if got != p[0] {
			t.Errorf("%s:%d: %s %q vs %q: want %s, got %s (score %d, %v)", path, n, kind, p[2], p[4], p[0], got, r.Score, Reasons(r.Facts))
		}
		out.WriteString(strings.Join(p, "|") + "\n")
	}
	if rows < 400 {
		t.Errorf("only %d probes in %s", rows, path)
	}
	if *update {
		if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		fmt.Println("updated", path)
	}
}
