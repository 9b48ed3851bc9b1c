package reverify

import (
	"context"
	"path/filepath"
	"testing"
)

// reverify reads the reuse signals through the verdict service and writes
// them per line; a second run over the same rows (the same account and
// identity pairs) does not raise them.
func TestSignalsNotInflatedByRechecks(t *testing.T) {
	svc, _ := setup(t, 0, 0, nil)
	in := writeInput(t, "in.jsonl", genRows(3))
	for run := range 2 {
		cfg := quiet()
		cfg.Input, cfg.Output = in, filepath.Join(t.TempDir(), "out.jsonl")
		if _, err := Run(context.Background(), cfg, svc); err != nil {
			t.Fatal(err)
		}
		out := readOutput(t, cfg.Output)
		exactlyOnce(t, out, 3)
		for ref, lines := range out {
			o := lines[0]
			if o.Status != "decided" || o.Signals == nil || o.Signals.IdentitiesPerAccount30d != 1 || o.Signals.AccountsPerIdentity30d != 1 || !o.Signals.Available {
				t.Errorf("run %d, %s: %s with signals %+v, want decided with 1 identity per account and 1 account per identity", run+1, ref, o.Status, o.Signals)
			}
		}
	}
}
