// Package site_test holds the rule that keeps the engine's data flowing one
// way: each stage may import only the stages listed before it here.
package site_test

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/coachbook/coachbook/"

// allowed lists, for each engine package, the project packages it may import.
var allowed = map[string][]string{
	"site/diag":                 {},
	"site/civil":                {},
	"site/internal/par":         {},
	"site/internal/linkfs":      {},
	"site/internal/sitetest":    {},
	"site/internal/browsertest": {},
	"site/internal/goldentest":  {},
	"site/internal/vkey":        {},
	"site/orggen":               {},
	"site/changes":              {},
	"site/metric":               {},
	"site/search":               {"site/internal/par"},
	"site/config":               {"site/diag", "site/civil"},
	"site/content":              {"site/diag", "site/metric", "site/internal/par", "site/internal/linkfs"},
	"site/data":                 {"site/diag", "site/civil", "site/config", "site/metric"},
	"site/report":               {"site/diag", "site/civil", "site/config", "site/metric", "site/data", "site/internal/vkey"},
	"site/render":               {"site/diag", "site/civil", "site/config", "site/metric", "site/content", "site/data", "site/report", "site/search", "site/internal/par", "site/internal/vkey", "themes", "site/changes"},
	"site/access":               {"site/diag", "site/civil", "site/config"},
	"site/seal":                 {},
	"site/build":                {"site/diag", "site/civil", "site/config", "site/metric", "site/content", "site/data", "site/report", "site/render", "site/access", "site/seal", "site/internal/par", "site/changes", "site/internal/linkfs"},
	"site/serve":                {"site/diag", "site/config", "site/content", "site/report", "site/build", "site/render", "site/seal", "site/internal/par", "site/internal/linkfs"},
	"themes":                    {},
}

func TestDependencyDirection(t *testing.T) {
	root := ".."
	for pkg, ok := range allowed {
		dir := filepath.Join(root, filepath.FromSlash(pkg))
		entries, err := os.ReadDir(dir)
		if os.IsNotExist(err) {
			continue // a stage not written yet
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			name := e.Name()
			if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(dir, name), nil, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, imp := range f.Imports {
				path, _ := strconv.Unquote(imp.Path.Value)
				dep, isOurs := strings.CutPrefix(path, module)
				if !isOurs {
					continue
				}
				found := false
				for _, a := range ok {
					found = found || a == dep
				}
				if !found {
					t.Errorf("%s/%s imports %s, which the one-way flow does not allow", pkg, name, dep)
				}
			}
		}
	}
}
