// Package evalcases reads labeled case files (JSONL) and runs them through a
// matcher: the analyst's check of a rule change before it ships.
package evalcases

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/ownercheck/ownercheck/internal/identity"
	"github.com/ownercheck/ownercheck/internal/match"
)

// Case is one labeled case: an identity, an account's owners, the decision
// an analyst expects.
type Case struct {
	ID       string            `json:"id"`
	Identity identity.Identity `json:"identity"`
	Owners   []identity.Owner  `json:"owners"`
	Expect   string            `json:"expect"`
	Note     string            `json:"note,omitempty"`

	// Where the case came from, for messages.
	File string `json:"-"`
	Line int    `json:"-"`
}

// maxLine bounds one JSONL line; a case is a few hundred bytes.
const maxLine = 1 << 20

// ReadFile reads a JSONL case file. Blank lines are skipped; every other
// line must be a valid case, and problems are reported as file:line.
func ReadFile(path string) ([]Case, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(f, path)
}

// Read reads JSONL cases from r; name labels errors.
func Read(r io.Reader, name string) ([]Case, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), maxLine)
	var cases []Case
	var errs []error
	for line := 1; sc.Scan(); line++ {
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var c Case
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&c); err != nil {
			errs = append(errs, fmt.Errorf("%s:%d: %v", name, line, err))
			continue
		}
		c.File, c.Line = name, line
		if err := c.validate(); err != nil {
			errs = append(errs, fmt.Errorf("%s:%d: %v", name, line, err))
			continue
		}
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		errs = append(errs, fmt.Errorf("%s: %w", name, err))
	}
	return cases, errors.Join(errs...)
}

func (c *Case) validate() error {
	if c.ID == "" {
		return errors.New("id is required")
	}
	if !slices.Contains([]string{match.Pass, match.Review, match.Fail}, c.Expect) {
		return fmt.Errorf("case %s: expect must be pass, review or fail (got %q)", c.ID, c.Expect)
	}
	if err := c.Identity.Validate("identity"); err != nil {
		return fmt.Errorf("case %s: %w", c.ID, err)
	}
	return nil
}

// ReadFiles reads several files and refuses duplicate ids across them.
func ReadFiles(paths []string) ([]Case, error) {
	var all []Case
	var errs []error
	seen := map[string]string{}
	for _, p := range paths {
		cs, err := ReadFile(p)
		if err != nil {
			errs = append(errs, err)
		}
		for _, c := range cs {
			if where, dup := seen[c.ID]; dup {
				errs = append(errs, fmt.Errorf("%s:%d: duplicate id %q (first at %s)", c.File, c.Line, c.ID, where))
				continue
			}
			seen[c.ID] = fmt.Sprintf("%s:%d", c.File, c.Line)
			all = append(all, c)
		}
	}
	return all, errors.Join(errs...)
}

// Outcome is a case's evaluation. Its JSON is the `eval --json` contract:
// {"id","decision","expect","scores","flags","reasons","owner"}.
type Outcome struct {
	ID       string          `json:"id"`
	Decision string          `json:"decision"`
	Expect   string          `json:"expect"`
	Scores   match.Scores    `json:"scores"`
	Flags    map[string]bool `json:"flags"`
	Reasons  []string        `json:"reasons"`
	Owner    int             `json:"owner"`

	Rule string `json:"-"`
	Case *Case  `json:"-"`
}

// Hit reports whether the decision is the expected one.
func (o Outcome) Hit() bool { return o.Decision == o.Expect }

// Evaluate runs one case.
func Evaluate(m *match.Matcher, c *Case) Outcome {
	r := m.Evaluate(c.Identity, c.Owners)
	return Outcome{ID: c.ID, Decision: r.Decision, Expect: c.Expect, Scores: r.Scores, Flags: r.Flags, Reasons: r.Reasons, Owner: r.Owner, Rule: r.Rule, Case: c}
}

// Decisions in matrix order.
var Decisions = []string{match.Pass, match.Review, match.Fail, match.Unverifiable}

// Matrix counts expect (rows) against decision (columns).
type Matrix map[string]map[string]int

// Add counts one outcome.
func (m Matrix) Add(o Outcome) {
	if m[o.Expect] == nil {
		m[o.Expect] = map[string]int{}
	}
	m[o.Expect][o.Decision]++
}

// Totals returns the number of cases and of hits.
func (m Matrix) Totals() (total, hits int) {
	for e, row := range m {
		for d, n := range row {
			total += n
			if e == d {
				hits += n
			}
		}
	}
	return total, hits
}

// Write prints the matrix as a small table.
func (m Matrix) Write(w io.Writer) {
	fmt.Fprintf(w, "%-14s", "expect\\got")
	for _, d := range Decisions {
		fmt.Fprintf(w, "%13s", d)
	}
	fmt.Fprintln(w)
	for _, e := range Decisions[:3] {
		fmt.Fprintf(w, "%-14s", e)
		for _, d := range Decisions {
			fmt.Fprintf(w, "%13d", m[e][d])
		}
		fmt.Fprintln(w)
	}
	total, hits := m.Totals()
	if total > 0 {
		fmt.Fprintf(w, "%d/%d cases as expected (%.1f%%)\n", hits, total, 100*float64(hits)/float64(total))
	}
}
