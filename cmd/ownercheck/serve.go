package main

import (
	"os"

	"github.com/spf13/cobra"

	"github.com/ownercheck/ownercheck/internal/app"
	"github.com/ownercheck/ownercheck/internal/config"
)

func newServeCmd() *cobra.Command {
	var addr, rulesDir string
	cmd := &cobra.Command{
		Use:   "serve [--addr HOST:PORT] [--rules DIR]",
		Short: "Run the HTTP service (offline sandbox when STRIPE_SECRET_KEY is unset)",
		Long:  "Runs the ownercheck API. Configuration comes from the environment (see README, Configuration); flags override it.",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := config.FromEnv(nil)
			if err != nil {
				return err
			}
			if cmd.Flags().Changed("addr") {
				cfg.Addr = addr
			}
			if cmd.Flags().Changed("rules") {
				cfg.RulesDir = rulesDir
			}
			a, err := app.New(cfg, os.Stderr)
			if err != nil {
				return err
			}
			defer a.Close()
			return a.Run(cmd.Context())
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "listen address (env OWNERCHECK_ADDR)")
	cmd.Flags().StringVar(&rulesDir, "rules", "", "rules directory (env OWNERCHECK_RULES_DIR; default: embedded rules)")
	return cmd
}
