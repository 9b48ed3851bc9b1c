package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

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
	var rulesDir string
	var asJSON, strict bool
	cmd := &cobra.Command{
		Use:   "eval [--rules DIR] [--json] [--strict] FILE...",
		Short: "Evaluate labeled case files (JSONL) with the rules and print a confusion matrix",
		Long: `Evaluates every case of the JSONL files with the rules (default: the rules
embedded from the repository's rules/). Prints a line per case and a
confusion matrix (expect vs decision). With --json, stdout carries exactly one
JSON object per case and the summary goes to stderr. With --strict, exits 1
when any case missed its expected decision.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			m, err := loadMatcher(rulesDir)
			if err != nil {
				return fmt.Errorf("loading rules:\n%w", err)
			}
			cases, err := evalcases.ReadFiles(args)
			if err != nil {
				return fmt.Errorf("reading cases:\n%w", err)
			}
			out, summary := cmd.OutOrStdout(), cmd.OutOrStdout()
			if asJSON {
				summary = cmd.ErrOrStderr()
			}
			enc := json.NewEncoder(out)
			matrix := evalcases.Matrix{}
			for i := range cases {
				o := evalcases.Evaluate(m, &cases[i])
				matrix.Add(o)
				if asJSON {
					if err := enc.Encode(o); err != nil {
						return err
					}
					continue
				}
				fmt.Fprintln(out, caseLine(o))
			}
			fmt.Fprintf(summary, "rules %s (%s)\n", m.Version(), m.Digest())
			matrix.Write(summary)
			if total, hits := matrix.Totals(); strict && hits < total {
				fmt.Fprintf(cmd.ErrOrStderr(), "eval --strict: %d case(s) missed their expected decision\n", total-hits)
				return exitCode(1)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&rulesDir, "rules", "", "rules directory (default: the embedded repository rules/)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "one JSON object per case on stdout, summary on stderr")
	cmd.Flags().BoolVar(&strict, "strict", false, "exit 1 when any case misses its expected decision")
	return cmd
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
		Use:   "explain FILE --id ID",
		Short: "Show one case in full: normalized forms, token alignment, scores, and the rule that fired",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			m, err := loadMatcher(rulesDir)
			if err != nil {
				return fmt.Errorf("loading rules:\n%w", err)
			}
			cases, err := evalcases.ReadFile(args[0])
			if err != nil {
				return fmt.Errorf("reading cases:\n%w", err)
			}
			for i := range cases {
				if cases[i].ID == id {
					ex := m.Explain(cases[i].Identity, cases[i].Owners)
					if asJSON {
						enc := json.NewEncoder(cmd.OutOrStdout())
						enc.SetIndent("", "  ")
						return enc.Encode(ex)
					}
					writeExplanation(cmd.OutOrStdout(), &cases[i], m, ex)
					return nil
				}
			}
			return fmt.Errorf("no case with id %q in %s", id, args[0])
		},
	}
	cmd.Flags().StringVar(&rulesDir, "rules", "", "rules directory (default: the embedded repository rules/)")
	cmd.Flags().StringVar(&id, "id", "", "id of the case to explain (required)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the explanation as JSON")
	_ = cmd.MarkFlagRequired("id")
	return cmd
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

func newRulesCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "rules", Short: "Check and compare rule sets"}
	cmd.AddCommand(&cobra.Command{
		Use:   "lint DIR",
		Short: "Load and type-check a rules directory; errors are printed as file:line:col",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			m, err := lintRules(cmd, args[0])
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: ok, version %s, digest %s, %d rules\n", args[0], m.Version(), m.Digest(), len(m.Policy().Rules))
			return nil
		},
	})
	var asJSON bool
	diff := &cobra.Command{
		Use:   "diff OLD NEW FILE...",
		Short: "List the cases whose decision changes between two rules directories",
		Args:  cobra.MinimumNArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			oldM, err := lintRules(cmd, args[0])
			if err != nil {
				return err
			}
			newM, err := lintRules(cmd, args[1])
			if err != nil {
				return err
			}
			cases, err := evalcases.ReadFiles(args[2:])
			if err != nil {
				return fmt.Errorf("reading cases:\n%w", err)
			}
			out := cmd.OutOrStdout()
			enc := json.NewEncoder(out)
			changed, fixed, broken := 0, 0, 0
			for i := range cases {
				a, b := evalcases.Evaluate(oldM, &cases[i]), evalcases.Evaluate(newM, &cases[i])
				if a.Decision == b.Decision {
					continue
				}
				changed++
				switch {
				case b.Hit():
					fixed++
				case a.Hit():
					broken++
				}
				if asJSON {
					_ = enc.Encode(map[string]string{"id": a.ID, "old": a.Decision, "new": b.Decision, "expect": a.Expect, "old_rule": a.Rule, "new_rule": b.Rule})
					continue
				}
				fmt.Fprintf(out, "%-12s %s -> %s (expect %s) rule %s -> %s (%s:%d)\n", a.ID, a.Decision, b.Decision, a.Expect, a.Rule, b.Rule, a.Case.File, a.Case.Line)
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "%d of %d cases change decision (%s %s -> %s %s): %d now as expected, %d no longer as expected\n",
				changed, len(cases), oldM.Version(), oldM.Digest(), newM.Version(), newM.Digest(), fixed, broken)
			return nil
		},
	}
	diff.Flags().BoolVar(&asJSON, "json", false, "one JSON object per changed case")
	cmd.AddCommand(diff)
	return cmd
}

// lintRules loads a rules directory; on error it prints each problem as
// file:line:col and returns exit status 1.
func lintRules(cmd *cobra.Command, dir string) (*match.Matcher, error) {
	m, err := match.Load(dir)
	if err != nil {
		printLoadErrors(cmd.ErrOrStderr(), err)
		return nil, exitCode(1)
	}
	return m, nil
}

// printLoadErrors prints each rule-file error on its own line.
func printLoadErrors(w io.Writer, err error) {
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range joined.Unwrap() {
			printLoadErrors(w, e)
		}
		return
	}
	var le *match.LoadError
	if errors.As(err, &le) {
		fmt.Fprintln(w, le.Error())
		return
	}
	fmt.Fprintln(w, err)
}
