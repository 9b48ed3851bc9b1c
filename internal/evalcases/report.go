package evalcases

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"time"

	"github.com/ownercheck/ownercheck/internal/match"
)

// The HTML report: one self-contained file (inline CSS and SVG, no script,
// nothing fetched), rendered with html/template so case text is escaped.

//go:embed report.html.tmpl
var reportTemplate string

var reportTmpl = template.Must(template.New("report").Funcs(template.FuncMap{
	"score": func(p *int) string {
		if p == nil {
			return "–"
		}
		return fmt.Sprint(*p)
	},
	"pct": func(n, total int) string {
		if total == 0 {
			return "–"
		}
		return fmt.Sprintf("%.1f%%", 100*float64(n)/float64(total))
	},
}).Parse(reportTemplate))

// Ruleset names a rules directory in a report.
type Ruleset struct {
	Label, Version, Digest string
}

// RulesetOf describes a loaded matcher.
func RulesetOf(label string, m *match.Matcher) Ruleset {
	return Ruleset{Label: label, Version: m.Version(), Digest: m.Digest()}
}

// Report is what WriteHTML renders: an eval (Old nil) or a rules diff.
type Report struct {
	Title     string
	Files     []string
	Rulesets  []Ruleset
	Warnings  []string
	Generated time.Time
	Matcher   *match.Matcher // orders the rule table
	New       *Summary
	Old       *Summary // a diff's old rules; nil for eval
	Changed   int      // a diff's counts
	Fixed     int
	Broken    int
}

// WriteHTML writes the report as one HTML document.
func WriteHTML(w io.Writer, r Report) error {
	return reportTmpl.Execute(w, newReportView(r))
}

type reportView struct {
	Report
	Diff       bool
	Total      int
	Hits       int
	Matrices   []matrixView
	Rules      []RuleCount
	Charts     [][]chartView // a row per score
	ListTitle  string
	Decisions  []string
	GeneratedS string
}

type matrixView struct {
	Caption string
	Rows    []matrixRow
	Total   int
	Hits    int
}

type matrixRow struct {
	Expect string
	Cells  []matrixCell
	Total  int
}

type matrixCell struct {
	N     int
	Class string // hit, miss or empty
}

func newReportView(r Report) reportView {
	v := reportView{Report: r, Diff: r.Old != nil, Decisions: Decisions, GeneratedS: r.Generated.UTC().Format(time.RFC3339)}
	v.Total, v.Hits = r.New.Matrix.Totals()
	if v.Diff {
		v.Matrices = append(v.Matrices, newMatrixView("old rules", r.Old.Matrix))
		v.Matrices = append(v.Matrices, newMatrixView("new rules", r.New.Matrix))
		v.ListTitle = "Cases that change decision"
	} else {
		v.Matrices = append(v.Matrices, newMatrixView("", r.New.Matrix))
		v.ListTitle = "Cases that miss their expected decision"
	}
	if r.Matcher != nil {
		v.Rules = r.New.RuleCounts(r.Matcher)
	}
	v.Charts = newCharts(r.New)
	return v
}

func newMatrixView(caption string, m Matrix) matrixView {
	mv := matrixView{Caption: caption}
	mv.Total, mv.Hits = m.Totals()
	for _, e := range Decisions {
		if e == match.Unverifiable && len(m[e]) == 0 {
			continue
		}
		row := matrixRow{Expect: e}
		for _, d := range Decisions {
			c := matrixCell{N: m[e][d]}
			switch {
			case c.N == 0:
			case d == e:
				c.Class = "hit"
			default:
				c.Class = "miss"
			}
			row.Cells = append(row.Cells, c)
			row.Total += c.N
		}
		mv.Rows = append(mv.Rows, row)
	}
	return mv
}

// Chart geometry, in SVG user units.
const (
	chartW, chartH = 330, 120
	barGap         = 3
	labelH         = 14
)

type chartView struct {
	Field  string
	Expect string
	Scored int
	Unsc   int
	Bars   []barView
	W, H   int
}

type barView struct {
	X, Y, W, H int
	LabelX     int
	N          int
	Range      string // in the tooltip
	Tick       string // under the bar: the bin's lower bound
}

// ChartAxisY is where the bin labels sit.
func (reportView) ChartAxisY() int { return chartH + labelH - 2 }

// newCharts draws, for each score, a row of small histograms, one per
// expected outcome, each scaled to its own tallest bin (counts are printed).
func newCharts(s *Summary) [][]chartView {
	var out [][]chartView
	for _, field := range HistFields {
		var row []chartView
		for _, expect := range Decisions {
			if h := s.Hist[field][expect]; h != nil {
				row = append(row, newChart(field, expect, h))
			}
		}
		if len(row) > 0 {
			out = append(out, row)
		}
	}
	return out
}

func newChart(field, expect string, h *Histogram) chartView {
	c := chartView{Field: field, Expect: expect, Unsc: h.NotScored, W: chartW, H: chartH + 2*labelH}
	peak := 0
	for _, n := range h.Bins {
		c.Scored += n
		peak = max(peak, n)
	}
	bw := chartW / len(h.Bins)
	for i, n := range h.Bins {
		b := barView{X: i*bw + barGap/2, W: bw - barGap, N: n, LabelX: i*bw + bw/2, Tick: fmt.Sprint(i * HistBin)}
		if peak > 0 {
			b.H = n * (chartH - labelH) / peak
		}
		b.Y = labelH + (chartH - labelH) - b.H
		if i == len(h.Bins)-1 {
			b.Range = "100"
		} else {
			b.Range = fmt.Sprintf("%d–%d", i*HistBin, i*HistBin+HistBin-1)
		}
		c.Bars = append(c.Bars, b)
	}
	return c
}
