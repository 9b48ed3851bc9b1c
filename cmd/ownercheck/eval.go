package main

import "github.com/spf13/cobra"

// Placeholder until the eval issue lands; replaced by its owner.
func newEvalCmd() *cobra.Command    { return &cobra.Command{Use: "eval", Hidden: true} }
func newExplainCmd() *cobra.Command { return &cobra.Command{Use: "explain", Hidden: true} }
func newRulesCmd() *cobra.Command   { return &cobra.Command{Use: "rules", Hidden: true} }
