package main

import (
	"os"

	"github.com/spf13/cobra"

	"github.com/ownercheck/ownercheck/internal/app"
	"github.com/ownercheck/ownercheck/internal/config"
)

func newServeCmd() *cobra.Command {
	var flags *config.Flags
	cmd := &cobra.Command{
		Use:   "serve [--addr HOST:PORT]",
		Short: "Run the HTTP service (the offline sandbox when STRIPE_SECRET_KEY is unset)",
		Long: `Runs the ownercheck API. Configuration comes from the environment (see the
README's Configuration table); the flags below override it.

Without STRIPE_SECRET_KEY the service runs in sandbox mode: Stripe is emulated
in-process under /sandbox/ and the API key is "sandbox-key" unless
OWNERCHECK_API_KEYS is set. SIGHUP reloads the rules.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := config.Load(nil, flags)
			if err != nil {
				return err
			}
			logOut := app.NewBufferedLog(os.Stderr)
			defer logOut.Close()
			a, err := app.New(cfg, logOut)
			if err != nil {
				return err
			}
			defer a.Close()
			return a.Run(cmd.Context())
		},
	}
	flags = config.BindFlags(cmd.Flags())
	return cmd
}
