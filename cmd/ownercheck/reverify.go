package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/ownercheck/ownercheck/internal/app"
	"github.com/ownercheck/ownercheck/internal/config"
	"github.com/ownercheck/ownercheck/internal/fc"
	"github.com/ownercheck/ownercheck/internal/reverify"
)

func newReverifyCmd() *cobra.Command {
	var cfg reverify.Config
	var rulesDir, shard, summaryFile string
	var rps float64
	cmd := &cobra.Command{
		Use:   "reverify --input FILE --output FILE [flags]",
		Short: "Re-verify many accounts (JSONL or CSV), within Stripe's rate limits; resumable",
		Long: `Reads rows {"ref","account","identity"} (JSONL, or CSV with a header), refreshes each
account's ownership when Stripe allows (unless --no-refresh), waits for pending refreshes,
re-evaluates with the current rules, updates the verdict cache and writes one JSONL line per row.
Re-running with the same --output skips rows already written. Stripe and Redis settings come
from the same environment as serve (STRIPE_SECRET_KEY, STRIPE_API_BASE, REDIS_URL,
OWNERCHECK_CACHE_SECRET, STRIPE_RPS, OWNERCHECK_BATCH_SHARE, OWNERCHECK_REPLICAS) and is wired
the same way; with REDIS_URL it shares the fleet's Stripe budget at batch priority (serve's
verdicts go first). Without STRIPE_SECRET_KEY it runs against the offline sandbox.

Exit status (for schedulers):
  0  every row of the output is decided or unverifiable
  1  --dry-run found invalid rows
  2  the job could not run (configuration, input or output file)
  3  the output has rows that ended in an error (see the summary's errors;
     fix the cause and re-run with --retry-errors)
  4  stopped before the end (SIGINT/SIGTERM): re-run the same command to finish`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if cfg.Input == "" {
				return errors.New("--input is required")
			}
			if !cfg.DryRun && cfg.Output == "" {
				return errors.New("--output is required (or --dry-run)")
			}
			if cmd.Flags().Changed("rps") && rps <= 0 || cfg.Concurrency <= 0 || cfg.MaxPendingWait <= 0 {
				return errors.New("--rps, --concurrency and --max-pending-wait must be positive")
			}
			if shard != "" {
				i, n, ok := strings.Cut(shard, "/")
				si, err1 := strconv.Atoi(i)
				sn, err2 := strconv.Atoi(n)
				if !ok || err1 != nil || err2 != nil || sn <= 0 || si < 0 || si >= sn {
					return fmt.Errorf("--shard must be i/n with 0 <= i < n (got %q)", shard)
				}
				cfg.Shard, cfg.Shards = si, sn
			}
			cfg.Stderr = cmd.ErrOrStderr()
			cfg.Terminal = term.IsTerminal(int(os.Stderr.Fd()))
			cfg.Logger = slog.New(slog.NewJSONHandler(cmd.ErrOrStderr(), nil))
			if cfg.DryRun {
				_, err := reverify.Run(cmd.Context(), cfg, nil)
				if errors.Is(err, reverify.ErrBadRows) {
					return exitCode(1)
				}
				return err
			}
			env, err := config.FromEnv(nil)
			if err != nil {
				return err
			}
			if cmd.Flags().Changed("rules") {
				env.RulesDir = rulesDir
			}
			if cmd.Flags().Changed("rps") {
				env.StripeRPS = rps
			}
			rps = env.StripeRPS
			b, err := app.NewBatch(env, cfg.Logger)
			if err != nil {
				return err
			}
			defer b.Close()
			stats := b.Stats
			sum, runErr := reverify.Run(cmd.Context(), cfg, b.Verdicts)
			if sum == nil {
				return runErr
			}
			sum.WriteText(cmd.ErrOrStderr())
			st := stats()
			fmt.Fprintf(cmd.ErrOrStderr(), "  stripe:   %d requests (%.1f/s against STRIPE_RPS %g), %d answered 429, %d retries\n",
				st.Requests, float64(st.Requests)/max(sum.ElapsedSeconds, 1e-9), rps, st.RateLimited, st.Retries)
			if summaryFile != "" {
				b, _ := json.MarshalIndent(struct {
					*reverify.Summary
					Stripe fc.TransportStats `json:"stripe"`
					RPS    float64           `json:"rps"`
				}{sum, st, rps}, "", "  ")
				if err := os.WriteFile(summaryFile, append(b, '\n'), 0o644); err != nil {
					return fmt.Errorf("writing the summary: %w", err)
				}
			}
			if runErr != nil && cmd.Context().Err() != nil {
				fmt.Fprintf(cmd.ErrOrStderr(), "ownercheck: stopped (%v); re-run the same command to finish: rows already written are skipped\n", runErr)
				return exitCode(exitStopped)
			}
			if runErr != nil {
				return runErr
			}
			if n := sum.ErrorRows(); n > 0 {
				fmt.Fprintf(cmd.ErrOrStderr(), "ownercheck: %d rows of the output ended in an error; fix the cause and re-run with --retry-errors\n", n)
				return exitCode(exitRowErrors)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.Input, "input", "", "input file: JSONL, or CSV with a header (.csv)")
	f.StringVar(&cfg.Output, "output", "", "output JSONL file; rows already in it are skipped")
	f.StringVar(&summaryFile, "summary", "", "also write the summary as JSON to this file")
	f.Float64Var(&rps, "rps", 0, "overrides STRIPE_RPS (default 20): Stripe requests per second of the whole fleet with REDIS_URL (batch takes what serve leaves), of this job without")
	f.IntVar(&cfg.Concurrency, "concurrency", 8, "workers calling Stripe at once (rows waiting for a refresh do not hold one)")
	f.BoolVar(&cfg.NoRefresh, "no-refresh", false, "use the current ownership data; never start a refresh")
	f.BoolVar(&cfg.RetryErrors, "retry-errors", false, "do again the rows whose output line is an error (their old lines are replaced)")
	f.BoolVar(&cfg.DryRun, "dry-run", false, "validate the input only; report bad rows with line numbers; exit 1 if any")
	f.BoolVar(&cfg.CSV, "csv", false, "the input is CSV even without a .csv extension")
	f.StringVar(&shard, "shard", "", "process shard i of n (i/n, by a hash of the account id)")
	f.StringVar(&rulesDir, "rules", "", "rules directory (default: OWNERCHECK_RULES_DIR or the embedded rules)")
	f.DurationVar(&cfg.MaxPendingWait, "max-pending-wait", 2*time.Minute, "give up on a refresh still pending after this long (row: unverifiable, refresh_timeout)")
	f.IntVar(&cfg.MaxInFlight, "max-in-flight", 0, "rows started but not finished, most waiting for a pending refresh (default 64 x concurrency)")
	return cmd
}

// Exit statuses of reverify beyond 0, 1 (invalid rows) and 2 (could not run).
const (
	exitRowErrors = 3
	exitStopped   = 4
)
