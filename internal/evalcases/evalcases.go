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
	// Signals are the account's reuse counts as the service would see
	// them (match.Signals; available defaults to true when signals are
	// given); none means all zero, as on a first verdict.
	Signals *match.Signals `json:"signals,omitempty"`

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
	var cases []Case
	var errs []error
	err := scanLines(r, func(line int, b []byte) error {
		c, err := decodeCase(b, name, line)
		if err != nil {
			errs = append(errs, err)
			return nil
		}
		cases = append(cases, c)
		return nil
	})
	if err != nil {
		errs = append(errs, fmt.Errorf("%s: %w", name, err))
	}
	return cases, errors.Join(errs...)
}

// scanLines calls fn with each non-blank line (trimmed) and its number. The
// slice is only valid during the call.
func scanLines(r io.Reader, fn func(line int, b []byte) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), maxLine)
	for line := 1; sc.Scan(); line++ {
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		if err := fn(line, b); err != nil {
			return err
		}
	}
	return sc.Err()
}

// decodeCase strictly decodes and validates one line; errors name file:line.
func decodeCase(b []byte, name string, line int) (Case, error) {
	var c Case
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return Case{}, fmt.Errorf("%s:%d: %v", name, line, err)
	}
	c.File, c.Line = name, line
	if c.Signals != nil {
		// Counts given are counts read: available unless the case says not.
		var probe struct {
			Signals map[string]json.RawMessage `json:"signals"`
		}
		if json.Unmarshal(b, &probe) == nil {
			if _, set := probe.Signals["available"]; !set {
				c.Signals.Available = true
			}
		}
	}
	if err := c.validate(); err != nil {
		return Case{}, fmt.Errorf("%s:%d: %v", name, line, err)
	}
	return c, nil
}

func (c *Case) validate() error {
	if c.ID == "" {
		return errors.New("id is required")
	}
	if !slices.Contains(Decisions, c.Expect) {
		return fmt.Errorf("case %s: expect must be pass, review, fail or unverifiable (got %q)", c.ID, c.Expect)
	}
	if err := c.Identity.Validate("identity"); err != nil {
		return fmt.Errorf("case %s: %w", c.ID, err)
	}
	if g := c.Signals; g != nil && min(g.IdentitiesPerAccount1d, g.IdentitiesPerAccount30d, g.AccountsPerIdentity1d, g.AccountsPerIdentity30d) < 0 {
		return fmt.Errorf("case %s: signals: counts cannot be negative", c.ID)
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
// {"id","decision","expect","rule","scores","flags","reasons","owner"}.
type Outcome struct {
	ID       string          `json:"id"`
	Decision string          `json:"decision"`
	Expect   string          `json:"expect"`
	Rule     string          `json:"rule"` // the policy rule that decided ("default", "no_owners")
	Scores   match.Scores    `json:"scores"`
	Flags    map[string]bool `json:"flags"`
	Reasons  []string        `json:"reasons"`
	Owner    int             `json:"owner"`

	Case *Case `json:"-"`
}

// Hit reports whether the decision is the expected one.
func (o Outcome) Hit() bool { return o.Decision == o.Expect }

// Evaluate runs one case.
func Evaluate(m *match.Matcher, c *Case) Outcome {
	r := m.EvaluateWith(c.Identity, c.Owners, c.SignalValues())
	return Outcome{ID: c.ID, Decision: r.Decision, Expect: c.Expect, Scores: r.Scores, Flags: r.Flags, Reasons: r.Reasons, Owner: r.Owner, Rule: r.Rule, Case: c}
}

// SignalValues are the case's signals, zero when it sets none.
func (c *Case) SignalValues() match.Signals {
	if c.Signals == nil {
		return match.Signals{}
	}
	return *c.Signals
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
	for _, e := range Decisions {
		if e == match.Unverifiable && len(m[e]) == 0 {
			continue // the row only shows when a case expects it
		}
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
