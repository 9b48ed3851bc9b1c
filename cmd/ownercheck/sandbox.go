package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/ownercheck/ownercheck/internal/sandbox"
)

func newSandboxCmd() *cobra.Command {
	var addr, statsFile, webhookURL, webhookSecret string
	var rps float64
	var pending time.Duration
	var genRows, genFrom int
	cmd := &cobra.Command{
		Use:   "sandbox [--addr HOST:PORT] [--rps N] [--pending D] [--webhook-url URL]",
		Short: "Run the offline Stripe Financial Connections emulator on its own",
		Long: `Serves the sandbox emulator standalone (Stripe's API shapes for the calls ownercheck makes,
the /link/{session} page, generated accounts fca_gen_<n>), e.g. for the batch job's benchmark:
STRIPE_SECRET_KEY=sk_test_x STRIPE_API_BASE=http://ADDR ownercheck reverify ...
With --webhook-url it posts signed webhooks there (secret: --webhook-secret or STRIPE_WEBHOOK_SECRET),
e.g. http://127.0.0.1:8080/v1/webhooks/stripe for a service run with STRIPE_API_BASE pointing here.
The test banks of the /link page are listed in fixtures/sandbox/README.md.
GET /_sandbox/stats answers the request counts so far (requests, rate_limited, …).
With --gen-input N it prints N reverify input rows for fca_gen_<n> accounts and exits; of every 10
rows six pass, two go to review, one fails and one is unverifiable (fixtures/sandbox/README.md).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if genRows > 0 {
				w := bufio.NewWriter(cmd.OutOrStdout())
				enc := json.NewEncoder(w)
				for n := genFrom; n < genFrom+genRows; n++ {
					account, id, _ := sandbox.GeneratedRow(n)
					enc.Encode(map[string]any{"ref": fmt.Sprintf("row-%d", n), "account": account, "identity": id})
				}
				return w.Flush()
			}
			log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
			if webhookSecret == "" {
				webhookSecret = os.Getenv("STRIPE_WEBHOOK_SECRET") // not a flag default: --help would print it
			}
			if webhookURL != "" && webhookSecret == "" {
				return fmt.Errorf("--webhook-url needs --webhook-secret (or STRIPE_WEBHOOK_SECRET): the service verifies signatures")
			}
			emu, err := sandbox.New(sandbox.Config{RPS: rps, PendingFor: pending, Logger: log,
				WebhookURL: webhookURL, WebhookSecret: webhookSecret})
			if err != nil {
				return err
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return err
			}
			// GET /_sandbox/stats: the counts so far, for load scripts that
			// measure a phase (the emulator does not count this request).
			mux := http.NewServeMux()
			mux.HandleFunc("GET /_sandbox/stats", func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				json.NewEncoder(w).Encode(emu.Stats())
			})
			mux.Handle("/", emu)
			srv := &http.Server{Handler: mux}
			go func() {
				<-cmd.Context().Done()
				srv.Close()
			}()
			log.Info("sandbox listening", "addr", ln.Addr().String(), "rps", rps, "pending", pending.String())
			err = srv.Serve(ln)
			if statsFile != "" {
				b, _ := json.Marshal(emu.Stats())
				os.WriteFile(statsFile, b, 0o644)
			}
			if err == http.ErrServerClosed {
				return nil
			}
			return err
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:12111", "listen address")
	cmd.Flags().Float64Var(&rps, "rps", 0, "answer 429 above this many requests per second (0: unlimited)")
	cmd.Flags().DurationVar(&pending, "pending", 2*time.Second, "how long an ownership refresh stays pending")
	cmd.Flags().StringVar(&webhookURL, "webhook-url", "", "post signed Stripe webhooks (refreshed_ownership, disconnected, …) to this URL")
	cmd.Flags().StringVar(&webhookSecret, "webhook-secret", "", "webhook signing secret (whsec_…; default $STRIPE_WEBHOOK_SECRET)")
	cmd.Flags().StringVar(&statsFile, "stats", "", "write request counts as JSON to this file on exit")
	cmd.Flags().IntVar(&genRows, "gen-input", 0, "print this many reverify input rows (pass, review, fail and unverifiable mixed) and exit")
	cmd.Flags().IntVar(&genFrom, "gen-from", 0, "first n of --gen-input")
	return cmd
}
