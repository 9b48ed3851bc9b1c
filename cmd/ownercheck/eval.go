package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ownercheck/ownercheck/internal/address"
	"github.com/ownercheck/ownercheck/internal/evalcases"
	"github.com/ownercheck/ownercheck/internal/match"
	"github.com/ownercheck/ownercheck/internal/names"
)

// loadMatcher loads the rules in dir, or the embedded repository rules.
func loadMatcher(dir string) (*match.Matcher, error) {
	if dir == "" {
		return match.Default()
	}
	return match.Load(dir)
}

func newEvalCmd() *cobra.Command {
	var rulesDir, htmlPath string
	var asJSON, strict bool
	cmd := &cobra.Command{
		Use:   "eval [--rules DIR] [--json] [--strict] [--html FILE] FILE...",
		Short: "Evaluate labeled case files (JSONL) with the rules and print a confusion matrix",
		Long: `Evaluates every case of the JSONL files (- for stdin; format in
fixtures/cases/README.md) with the rules (default: the rules embedded from the
repository's rules/). Prints a line per case, in input order, and a confusion
matrix (expect vs decision). Cases are streamed and evaluated on every core,
so memory stays flat however many there are.

With --json, stdout carries exactly one JSON object per case and the summary
goes to stderr. With --html, also writes a self-contained HTML report (matrix,
decisions per rule, score histograms, every missed case with its reasons).
With --strict, exits 1 when any case missed its expected decision. Bad lines
and duplicate ids are skipped, reported with file:line, and exit 2.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			m, err := loadMatcher(rulesDir)
			if err != nil {
				return fmt.Errorf("loading rules:\n%w", err)
			}
			out := bufio.NewWriterSize(cmd.OutOrStdout(), 64<<10)
			var summary io.Writer = out
			if asJSON {
				summary = cmd.ErrOrStderr()
			}
			enc := json.NewEncoder(out)
			sum := evalcases.NewSummary()
			readErr := evalcases.Each(cmd.Context(), args,
				func(c *evalcases.Case) evalcases.Outcome { return evalcases.Evaluate(m, c) },
				func(c *evalcases.Case, o evalcases.Outcome) error {
					sum.Add(o)
					if !o.Hit() {
						sum.List(o, nil)
					}
					if asJSON {
						return enc.Encode(o)
					}
					_, err := fmt.Fprintln(out, caseLine(o))
					return err
				})
			fmt.Fprintf(summary, "rules %s (%s)\n", m.Version(), m.Digest())
			sum.Matrix.Write(summary)
			if err := out.Flush(); err != nil {
				return err
			}
			if htmlPath != "" {
				err := writeReport(htmlPath, evalcases.Report{
					Title: "ownercheck eval", Files: args, Matcher: m, New: sum,
					Rulesets: []evalcases.Ruleset{evalcases.RulesetOf(rulesLabel(rulesDir), m)},
				})
				if err != nil {
					return err
				}
			}
			if readErr != nil {
				return fmt.Errorf("reading cases:\n%w", readErr)
			}
			if total, hits := sum.Matrix.Totals(); strict && hits < total {
				fmt.Fprintf(cmd.ErrOrStderr(), "eval --strict: %d case(s) missed their expected decision\n", total-hits)
				return exitCode(1)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&rulesDir, "rules", "", "rules directory (default: the embedded repository rules/)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "one JSON object per case on stdout, summary on stderr")
	cmd.Flags().BoolVar(&strict, "strict", false, "exit 1 when any case misses its expected decision")
	cmd.Flags().StringVar(&htmlPath, "html", "", "also write a self-contained HTML report to this file")
	return cmd
}

func rulesLabel(dir string) string {
	if dir == "" {
		return "embedded rules"
	}
	return dir
}

// writeReport writes the HTML report next to path and renames it into
// place, so a failed run never leaves half a report.
func writeReport(path string, r evalcases.Report) error {
	r.Generated = time.Now()
	f, err := os.CreateTemp(filepath.Dir(path), ".report-*.html")
	if err != nil {
		return fmt.Errorf("writing report: %w", err)
	}
	defer os.Remove(f.Name())
	w := bufio.NewWriter(f)
	if err := evalcases.WriteHTML(w, r); err != nil {
		f.Close()
		return fmt.Errorf("writing report: %w", err)
	}
	if err := errors.Join(w.Flush(), f.Chmod(0o644), f.Close()); err != nil {
		return fmt.Errorf("writing report: %w", err)
	}
	return os.Rename(f.Name(), path)
}

func caseLine(o evalcases.Outcome) string {
	status := "ok  "
	if !o.Hit() {
		status = "MISS"
	}
	return fmt.Sprintf("%s %-12s %-12s expect %-6s name=%s address=%s email=%s phone=%s rule=%s (%s:%d)",
		status, o.ID, o.Decision, o.Expect,
		score(o.Scores.Name), score(o.Scores.Address), score(o.Scores.Email), score(o.Scores.Phone),
		o.Rule, o.Case.File, o.Case.Line)
}

func score(p *int) string {
	if p == nil {
		return "-"
	}
	return fmt.Sprint(*p)
}

func newExplainCmd() *cobra.Command {
	var rulesDir, id string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "explain FILE... --id ID",
		Short: "Show one case in full: normalized forms, token alignment, scores, and the rule that fired",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			m, err := loadMatcher(rulesDir)
			if err != nil {
				return fmt.Errorf("loading rules:\n%w", err)
			}
			c, err := findCase(cmd.Context(), args, id)
			if err != nil {
				return err
			}
			ex := m.ExplainWith(c.Identity, c.Owners, c.SignalValues())
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(ex)
			}
			writeExplanation(cmd.OutOrStdout(), c, m, ex)
			return nil
		},
	}
	cmd.Flags().StringVar(&rulesDir, "rules", "", "rules directory (default: the embedded repository rules/)")
	cmd.Flags().StringVar(&id, "id", "", "id of the case to explain (required)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the explanation as JSON")
	_ = cmd.MarkFlagRequired("id")
	return cmd
}

// errFound stops the scan of the case files at the case sought.
var errFound = errors.New("found")

// findCase streams the files for the case with the id. Bad lines elsewhere
// do not hide a case that is there; they are reported when it is not.
func findCase(ctx context.Context, paths []string, id string) (*evalcases.Case, error) {
	var found *evalcases.Case
	err := evalcases.Each(ctx, paths,
		func(c *evalcases.Case) bool { return c.ID == id },
		func(c *evalcases.Case, hit bool) error {
			if !hit {
				return nil
			}
			cp := *c
			found = &cp
			return errFound
		})
	switch {
	case found != nil:
		return found, nil
	case err != nil:
		return nil, fmt.Errorf("no case with id %q found; reading cases:\n%w", id, err)
	default:
		return nil, fmt.Errorf("no case with id %q in %s", id, strings.Join(paths, ", "))
	}
}

// writeSignals shows the reuse counts the policy saw.
func writeSignals(w io.Writer, c *evalcases.Case, sig match.Signals) {
	from := "set by the case"
	if c.Signals == nil {
		from = "none in the case: zero, as on a first verdict"
	}
	fmt.Fprintf(w, "signals (%s)\n  identities_per_account 1d %d  30d %d; accounts_per_identity 1d %d  30d %d; available %v\n",
		from, sig.IdentitiesPerAccount1d, sig.IdentitiesPerAccount30d, sig.AccountsPerIdentity1d, sig.AccountsPerIdentity30d, sig.Available)
}

func writeExplanation(w io.Writer, c *evalcases.Case, m *match.Matcher, ex match.Explanation) {
	r := ex.Result
	fmt.Fprintf(w, "case %s (%s:%d): %s\n", c.ID, c.File, c.Line, c.Note)
	fmt.Fprintf(w, "decision %s (expect %s) by rule %s, owner %d; rules %s %s\n\n", r.Decision, c.Expect, r.Rule, r.Owner, m.Version(), m.Digest())
	idn := ex.Identity
	fmt.Fprintf(w, "identity (%s)\n  name     %q\n", idn.Type, idn.Name)
	if idn.DBA != "" {
		fmt.Fprintf(w, "  dba      %q\n", idn.DBA)
	}
	if idn.Address != nil {
		fmt.Fprintf(w, "  address  %s\n", jsonLine(idn.Address))
	}
	if idn.Email != "" || idn.Phone != "" {
		fmt.Fprintf(w, "  email    %q  phone %q\n", idn.Email, idn.Phone)
	}
	writeSignals(w, c, ex.Signals)
	for _, o := range ex.Owners {
		mark := " "
		if o.Index == r.Owner {
			mark = "*"
		}
		fmt.Fprintf(w, "\n%s owner %d: %s by rule %s (overall score %d)\n", mark, o.Index, o.Decision, o.Rule, o.Env.Score)
		if o.Name != nil {
			fmt.Fprintf(w, "  name     score %d  identity %q  owner %q\n", o.Name.Score, o.Name.Detail.Identity, o.Name.Detail.Owner)
			if o.Name.Detail.Candidate != "" {
				fmt.Fprintf(w, "           compared with %q\n", o.Name.Detail.Candidate)
			}
			for _, p := range o.Name.Detail.Alignment {
				fmt.Fprintf(w, "           %-16s ~ %-16s %s\n", p.A, p.B, p.How)
			}
			fmt.Fprintf(w, "           flags %s\n", trueFlags(o.Name.Facts))
			for _, reason := range names.Reasons(o.Name.Facts) {
				fmt.Fprintf(w, "           - %s\n", reason)
			}
		} else {
			fmt.Fprintln(w, "  name     (owner has no name)")
		}
		if o.Address != nil {
			fmt.Fprintf(w, "  address  parsed %s\n", jsonLine(o.Address))
		}
		if o.AddrCmp != nil {
			fmt.Fprintf(w, "           score %d flags %s\n", o.AddrCmp.Score, trueFlags(o.AddrCmp.Facts))
			for _, reason := range address.Reasons(o.AddrCmp.Facts) {
				fmt.Fprintf(w, "           - %s\n", reason)
			}
		}
		fmt.Fprintf(w, "  email    %s  phone %s\n", contact(o.Env.Email, o.Email), contact(o.Env.Phone, o.Phone))
		fmt.Fprintln(w, "  rules")
		for _, t := range o.Rules {
			state := "  no "
			if t.Matched {
				state = "  yes"
			}
			if t.Fired {
				state = "  >>>"
			}
			fmt.Fprintf(w, "  %s %-34s -> %-6s %s\n", state, t.Name, t.Decision, strings.Join(strings.Fields(t.When), " "))
		}
	}
}

func contact(e match.ContactEnv, normalized string) string {
	if !e.Present {
		if normalized == "" {
			return "(none)"
		}
		return fmt.Sprintf("%q (identity has none)", normalized)
	}
	return fmt.Sprintf("%q score %d", normalized, e.Score)
}

func jsonLine(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// trueFlags lists the true boolean fields of a facts struct by JSON name.
func trueFlags(facts any) string {
	b, err := json.Marshal(facts)
	if err != nil {
		return "?"
	}
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	var on []string
	for k, v := range m {
		if v == true {
			on = append(on, k)
		}
	}
	sort.Strings(on)
	if len(on) == 0 {
		return "(none)"
	}
	return strings.Join(on, " ")
}
