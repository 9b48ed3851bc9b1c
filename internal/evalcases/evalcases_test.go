package evalcases

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ownercheck/ownercheck/internal/match"
)

func write(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const okCase = `{"id":"a","identity":{"type":"individual","name":"Ann Lee"},"owners":[{"name":"ANN LEE"}],"expect":"pass"}`

func TestReadReportsEveryBadLine(t *testing.T) {
	p := write(t, "c.jsonl", okCase+"\n\n"+
		`{"id":"b","identity":{"type":"individual","name":"X"},"owners":[],"expect":"maybe"}`+"\n"+
		`{"id":"c","identity":{"type":"individual","name":"X"},"owners":[],"expect":"pass","typo":1}`+"\n"+
		`not json`+"\n")
	cases, err := ReadFile(p)
	if len(cases) != 1 || cases[0].ID != "a" || cases[0].Line != 1 {
		t.Fatalf("good case not kept: %+v", cases)
	}
	if err == nil {
		t.Fatal("bad lines accepted")
	}
	for _, want := range []string{p + ":3:", `expect must be`, p + ":4:", `unknown field "typo"`, p + ":5:"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

func TestReadFilesRefusesDuplicateIDs(t *testing.T) {
	a := write(t, "a.jsonl", okCase+"\n")
	b := write(t, "b.jsonl", okCase+"\n")
	_, err := ReadFiles([]string{a, b})
	if err == nil || !strings.Contains(err.Error(), `duplicate id "a"`) || !strings.Contains(err.Error(), a+":1") {
		t.Fatalf("duplicate id not refused with its first place: %v", err)
	}
}

func TestMatrix(t *testing.T) {
	m := Matrix{}
	m.Add(Outcome{Expect: "pass", Decision: "pass"})
	m.Add(Outcome{Expect: "pass", Decision: "review"})
	m.Add(Outcome{Expect: "fail", Decision: "fail"})
	total, hits := m.Totals()
	if total != 3 || hits != 2 {
		t.Fatalf("totals %d/%d, want 2/3", hits, total)
	}
	var sb strings.Builder
	m.Write(&sb)
	if !strings.Contains(sb.String(), "2/3 cases as expected") {
		t.Fatalf("matrix output:\n%s", sb.String())
	}
}

func TestSummaryHistogramsAndList(t *testing.T) {
	s := NewSummary()
	score := func(v int) *int { return &v }
	s.Add(Outcome{Expect: "pass", Decision: "pass", Rule: "r1", Scores: match.Scores{Name: score(100), Address: score(99)}})
	s.Add(Outcome{Expect: "pass", Decision: "fail", Rule: "r2", Scores: match.Scores{Name: score(0)}})
	name := s.Hist["name"]["pass"]
	if name.Bins[10] != 1 || name.Bins[0] != 1 || name.NotScored != 0 {
		t.Errorf("name bins %v", name.Bins)
	}
	if addr := s.Hist["address"]["pass"]; addr.Bins[9] != 1 || addr.NotScored != 1 {
		t.Errorf("address bins %v not scored %d", addr.Bins, addr.NotScored)
	}
	if r := s.Rules["r2"]; r.Total != 1 || r.Hits != 0 || r.ByExpect["pass"] != 1 {
		t.Errorf("rule count %+v", r)
	}
	for i := range MaxListed + 3 {
		s.List(Outcome{ID: fmt.Sprint(i), Case: &Case{File: "f", Line: i}}, nil)
	}
	if len(s.Listed) != MaxListed || s.Unlisted != 3 || s.Listed[1].Line != 1 || s.Listed[1].New.Case != nil {
		t.Errorf("listed %d, unlisted %d", len(s.Listed), s.Unlisted)
	}
}
