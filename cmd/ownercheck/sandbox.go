package main

import "github.com/spf13/cobra"

// Placeholder until the sandbox lands; replaced by its owner.
func newSandboxCmd() *cobra.Command { return &cobra.Command{Use: "sandbox", Hidden: true} }
