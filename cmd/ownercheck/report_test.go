package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// parseReport parses an HTML report and checks it is self-contained: no
// script, nothing loaded from elsewhere.
func parseReport(t *testing.T, path string) *html.Node {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("report not written: %v", err)
	}
	defer f.Close()
	doc, err := html.Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	walk(doc, func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		switch n.Data {
		case "script", "link", "img", "iframe", "object", "embed":
			t.Errorf("report has a <%s> element", n.Data)
		case "style":
			if css := text(n); strings.Contains(css, "url(") || strings.Contains(css, "@import") {
				t.Errorf("report style loads something: %q", css)
			}
		}
		for _, a := range n.Attr {
			k := strings.ToLower(a.Key)
			if k == "src" || k == "href" || k == "action" || strings.HasPrefix(k, "on") {
				t.Errorf("<%s %s=%q> in a self-contained report", n.Data, a.Key, a.Val)
			}
		}
	})
	return doc
}

func walk(n *html.Node, fn func(*html.Node)) {
	fn(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, fn)
	}
}

func text(n *html.Node) string {
	var sb strings.Builder
	walk(n, func(c *html.Node) {
		if c.Type == html.TextNode {
			sb.WriteString(c.Data)
		}
	})
	return sb.String()
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// find returns the elements with the tag whose class (or id) is as given.
func find(doc *html.Node, tag, key, val string) []*html.Node {
	var out []*html.Node
	walk(doc, func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == tag && (key == "" || attr(n, key) == val) {
			out = append(out, n)
		}
	})
	return out
}

const hostileNote = `{"id":"t-3","identity":{"type":"individual","name":"Robert Smith"},"owners":[{"name":"ROBERT SMITH"}],"expect":"fail","note":"<script>alert(1)</script> mislabeled on purpose"}`

func TestEvalHTMLReport(t *testing.T) {
	p := writeCases(t, twoCases+hostileNote+"\n")
	out := filepath.Join(t.TempDir(), "report.html")
	stdout, _, err := runCmd(t, "eval", "--html", out, p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout, "MISS t-2") || !strings.Contains(stdout, "1/3 cases as expected") {
		t.Errorf("terminal output changed:\n%s", stdout)
	}
	doc := parseReport(t, out)

	matrices := find(doc, "table", "class", "matrix")
	if len(matrices) != 1 {
		t.Fatalf("%d matrices, want 1", len(matrices))
	}
	// Row "pass": t-1 passed (hit), t-2 failed (miss).
	var passRow []string
	for _, tr := range find(matrices[0], "tr", "", "") {
		cells := find(tr, "td", "", "")
		if th := find(tr, "th", "", ""); len(th) > 0 && text(th[0]) == "pass" {
			for _, c := range cells {
				passRow = append(passRow, text(c)+":"+attr(c, "class"))
			}
		}
	}
	if want := "1:hit 0: 1:miss 0: 2:"; strings.Join(passRow, " ") != want {
		t.Errorf("matrix pass row %v, want %s", passRow, want)
	}

	rules := text(find(doc, "table", "class", "rules")[0])
	if !strings.Contains(rules, "different_given_name") {
		t.Errorf("rule table lacks the rule that failed t-2:\n%s", rules)
	}
	if svgs := find(doc, "svg", "", ""); len(svgs) == 0 || len(find(svgs[0], "rect", "", "")) != 11 {
		t.Errorf("no histogram with 11 bins (%d svgs)", len(svgs))
	}

	if len(find(doc, "tr", "id", "case-t-1")) != 0 {
		t.Error("a case that hit is listed")
	}
	for _, id := range []string{"case-t-2", "case-t-3"} {
		rows := find(doc, "tr", "id", id)
		if len(rows) != 1 {
			t.Fatalf("missed case %s not listed", id)
		}
		if len(find(rows[0], "li", "", "")) == 0 {
			t.Errorf("%s listed without reasons", id)
		}
	}
	if row := text(find(doc, "tr", "id", "case-t-3")[0]); !strings.Contains(row, "<script>alert(1)</script>") {
		t.Errorf("the note is not shown as text: %q", row)
	}
}

func TestRulesDiffHTMLReport(t *testing.T) {
	p := writeCases(t, twoCases)
	out := filepath.Join(t.TempDir(), "diff.html")
	if _, _, err := runCmd(t, "rules", "diff", "--html", out, filepath.Join("..", "..", "rules"), strictRules(t, false), p); err != nil {
		t.Fatal(err)
	}
	doc := parseReport(t, out)
	if n := len(find(doc, "table", "class", "matrix")); n != 2 {
		t.Errorf("%d matrices, want old and new", n)
	}
	if w := find(doc, "p", "class", "warn"); len(w) != 1 || !strings.Contains(text(w[0]), "change version") {
		t.Error("no version warning in the report")
	}
	rows := find(doc, "tr", "id", "case-t-1")
	if len(rows) != 1 {
		t.Fatal("changed case t-1 not listed")
	}
	row := text(rows[0])
	for _, want := range []string{"pass → fail", "exact_only", "test <b>markup</b>", "old", "new"} {
		if !strings.Contains(row, want) {
			t.Errorf("changed case row lacks %q: %q", want, row)
		}
	}
	if len(find(doc, "tr", "id", "case-t-2")) != 0 {
		t.Error("an unchanged case is listed")
	}
}
