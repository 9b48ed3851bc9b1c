package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/ownercheck/ownercheck/internal/evalcases"
	"github.com/ownercheck/ownercheck/internal/match"
)

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
	cmd.AddCommand(newRulesDiffCmd())
	return cmd
}

func newRulesDiffCmd() *cobra.Command {
	var asJSON, strict bool
	var htmlPath string
	cmd := &cobra.Command{
		Use:   "diff [--json] [--strict] [--html FILE] OLD NEW FILE...",
		Short: "List the cases whose decision changes between two rules directories",
		Long: `Evaluates every case of the JSONL files with both rules directories and
prints the cases whose decision changes (summary on stderr). Warns when the
rule files differ but policy.yaml's version does not. With --strict, exits 1
when any case changes decision. With --html, also writes a self-contained HTML
report (both matrices, decisions per rule, score histograms, every changed
case with its old and new reasons).`,
		Args: cobra.MinimumNArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			oldM, err := lintRules(cmd, args[0])
			if err != nil {
				return err
			}
			newM, err := lintRules(cmd, args[1])
			if err != nil {
				return err
			}
			var warnings []string
			if oldM.Digest() != newM.Digest() && oldM.Version() == newM.Version() {
				w := fmt.Sprintf("the rule files differ (%s -> %s) but both are version %q: change version in %s/policy.yaml, since every verdict names it", oldM.Digest(), newM.Digest(), newM.Version(), args[1])
				warnings = append(warnings, w)
				fmt.Fprintln(cmd.ErrOrStderr(), "warning:", w)
			}
			d := &ruleDiff{oldSum: evalcases.NewSummary(), newSum: evalcases.NewSummary(), asJSON: asJSON}
			out := bufio.NewWriterSize(cmd.OutOrStdout(), 64<<10)
			d.out, d.enc = out, json.NewEncoder(out)
			readErr := evalcases.Each(cmd.Context(), args[2:],
				func(c *evalcases.Case) [2]evalcases.Outcome {
					return [2]evalcases.Outcome{evalcases.Evaluate(oldM, c), evalcases.Evaluate(newM, c)}
				}, d.add)
			if err := out.Flush(); err != nil {
				return err
			}
			total, _ := d.newSum.Matrix.Totals()
			fmt.Fprintf(cmd.ErrOrStderr(), "%d of %d cases change decision (%s %s -> %s %s): %d now as expected, %d no longer as expected\n",
				d.changed, total, oldM.Version(), oldM.Digest(), newM.Version(), newM.Digest(), d.fixed, d.broken)
			if htmlPath != "" {
				err := writeReport(htmlPath, evalcases.Report{
					Title: "ownercheck rules diff", Files: args[2:], Warnings: warnings, Matcher: newM,
					Rulesets: []evalcases.Ruleset{evalcases.RulesetOf("old "+args[0], oldM), evalcases.RulesetOf("new "+args[1], newM)},
					New:      d.newSum, Old: d.oldSum, Changed: d.changed, Fixed: d.fixed, Broken: d.broken,
				})
				if err != nil {
					return err
				}
			}
			if readErr != nil {
				return fmt.Errorf("reading cases:\n%w", readErr)
			}
			if strict && d.changed > 0 {
				fmt.Fprintf(cmd.ErrOrStderr(), "rules diff --strict: %d case(s) change decision\n", d.changed)
				return exitCode(1)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "one JSON object per changed case")
	cmd.Flags().BoolVar(&strict, "strict", false, "exit 1 when any case changes decision")
	cmd.Flags().StringVar(&htmlPath, "html", "", "also write a self-contained HTML report to this file")
	return cmd
}

// ruleDiff gathers a rules diff one case at a time.
type ruleDiff struct {
	oldSum, newSum         *evalcases.Summary
	changed, fixed, broken int
	asJSON                 bool
	out                    io.Writer
	enc                    *json.Encoder
}

func (d *ruleDiff) add(c *evalcases.Case, p [2]evalcases.Outcome) error {
	a, b := p[0], p[1]
	d.oldSum.Add(a)
	d.newSum.Add(b)
	if a.Decision == b.Decision {
		return nil
	}
	d.changed++
	switch {
	case b.Hit():
		d.fixed++
	case a.Hit():
		d.broken++
	}
	d.newSum.List(b, &a)
	if d.asJSON {
		return d.enc.Encode(map[string]string{"id": a.ID, "old": a.Decision, "new": b.Decision, "expect": a.Expect, "old_rule": a.Rule, "new_rule": b.Rule})
	}
	_, err := fmt.Fprintf(d.out, "%-12s %s -> %s (expect %s) rule %s -> %s (%s:%d)\n", a.ID, a.Decision, b.Decision, a.Expect, a.Rule, b.Rule, c.File, c.Line)
	return err
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
