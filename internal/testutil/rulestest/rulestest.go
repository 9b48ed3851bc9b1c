// Package rulestest writes the rules that ship (rules/, embedded) to a
// temporary directory, one file edited, for tests that load or reload
// rules from disk.
package rulestest

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/ownercheck/ownercheck/rules"
)

// Copy writes the embedded rules to a new temp dir, applying edit (when
// not nil) to the named file, and returns the dir.
func Copy(t testing.TB, file string, edit func(string) string) string {
	t.Helper()
	dir := t.TempDir()
	entries, err := fs.ReadDir(rules.FS, ".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := fs.ReadFile(rules.FS, e.Name())
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		if e.Name() == file && edit != nil {
			s = edit(s)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
