package evalcases

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
