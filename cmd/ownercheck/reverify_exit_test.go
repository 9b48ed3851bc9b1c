package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ownercheck/ownercheck/internal/sandbox"
)

// Issue 10 (the operator): a run whose output has error rows exits 3, and
// --retry-errors redoes them (here they fail again: still 3, still one
// line per ref). Runs against the in-process sandbox (no Stripe key).
func TestReverifyExitStatusForErrorRows(t *testing.T) {
	t.Setenv("STRIPE_SECRET_KEY", "")
	t.Setenv("REDIS_URL", "")
	dir := t.TempDir()
	var in bytes.Buffer
	for i, acct := range []string{"fca_gen_1", "fca_doesnotexist", "fca_gen_2"} {
		b, _ := json.Marshal(map[string]any{"ref": acct, "account": acct, "identity": sandbox.GeneratedIdentity(i + 1)})
		in.Write(append(b, '\n'))
	}
	input, output := filepath.Join(dir, "in.jsonl"), filepath.Join(dir, "out.jsonl")
	if err := os.WriteFile(input, in.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(extra ...string) (string, error) {
		cmd := newRootCmd()
		var stderr bytes.Buffer
		cmd.SetErr(&stderr)
		cmd.SetArgs(append([]string{"reverify", "--input", input, "--output", output, "--no-refresh", "--rps", "200"}, extra...))
		err := cmd.Execute()
		return stderr.String(), err
	}
	for _, args := range [][]string{nil, {"--retry-errors"}} {
		stderr, err := run(args...)
		var ec exitCode
		if !asExit(err, &ec) || ec != exitRowErrors {
			t.Fatalf("reverify %v: err %v, want exit status %d\n%s", args, err, exitRowErrors, stderr)
		}
		if !strings.Contains(stderr, "1 rows of the output ended in an error") {
			t.Errorf("reverify %v: stderr does not say how many rows failed:\n%s", args, stderr)
		}
		b, _ := os.ReadFile(output)
		if n := strings.Count(string(b), "\n"); n != 3 {
			t.Errorf("reverify %v: %d output lines, want 3 (one per ref):\n%s", args, n, b)
		}
	}
}
