package httpapi

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// Issue 7: gin stays in the HTTP layer. The feature services import
// neither gin nor the HTTP adapter (tests may, to drive these routes).
func TestServicesKnowNoHTTPFramework(t *testing.T) {
	for _, dir := range []string{"../verdict", "../session", "../webhooks"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: %v", dir, err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			ast, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, imp := range ast.Imports {
				p := strings.Trim(imp.Path.Value, `"`)
				if strings.Contains(p, "gin-gonic") || strings.HasSuffix(p, "/internal/api") || strings.HasSuffix(p, "/internal/httpapi") {
					t.Errorf("%s imports %s", f, p)
				}
			}
		}
	}
}
