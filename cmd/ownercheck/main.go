// Command ownercheck tells an onboarding flow whether the person or business
// signing up owns the bank account they linked. This file only wires the
// subcommands; each lives in its own file and its logic under internal/.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := newRootCmd().ExecuteContext(ctx); err != nil {
		var ec exitCode
		if asExit(err, &ec) {
			os.Exit(int(ec))
		}
		fmt.Fprintln(os.Stderr, "ownercheck:", err)
		os.Exit(2)
	}
}

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "ownercheck",
		Short:         "Checks that a signing-up user owns the bank account they linked (Stripe Financial Connections)",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(newEvalCmd(), newExplainCmd(), newRulesCmd(), newServeCmd(), newReverifyCmd(), newSandboxCmd())
	return root
}

// exitCode is returned by a command that ran but must exit non-zero without
// an error message (e.g. eval --strict with a missed case).
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

func asExit(err error, ec *exitCode) bool {
	if e, ok := err.(exitCode); ok {
		*ec = e
		return true
	}
	return false
}
