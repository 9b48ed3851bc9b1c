// Command ownercheck tells an onboarding flow whether the person or business
// signing up owns the bank account they linked. This file only wires the
// subcommands; each lives in its own file and its logic under internal/.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
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
		Version:       version(),
	}
	root.SetVersionTemplate("ownercheck {{.Version}}\n")
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

// version is the module version and VCS revision the binary was built from
// (go install and go build record them; go run records no revision).
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	v := bi.Main.Version
	var rev, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = "+dirty"
			}
		}
	}
	if rev != "" {
		v += " (" + rev + modified + ")"
	}
	return v + " " + bi.GoVersion
}
