package build

import (
	"go/ast"
	"go/parser"
	"go/token"
	"testing"
)

// TestStagesSetNoFieldOfAnotherStage holds the one-way rule of stages.go:
// a stage keeps what it makes in a field of the Builder (b.renderer,
// b.content, b.data, ...) and hands the stages after it values as
// arguments; it never sets a field of another stage's value
// (b.renderer.Reuse = ...), which would make that stage's result depend on
// which stages ran since. It reads the source, as vet would: an assignment
// to b.<result>.<field> (or an element of one) anywhere in stages.go
// fails. b.stats is the Builder's own record of the build, not a stage's
// result.
func TestStagesSetNoFieldOfAnotherStage(t *testing.T) {
	t.Parallel()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "stages.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	own := map[string]bool{"stats": true}
	check := func(lhs ast.Expr) {
		// Strip indexes and pointer dereferences: b.x.y[i] sets b.x.y.
		for {
			switch e := lhs.(type) {
			case *ast.IndexExpr:
				lhs = e.X
				continue
			case *ast.StarExpr:
				lhs = e.X
				continue
			case *ast.ParenExpr:
				lhs = e.X
				continue
			}
			break
		}
		sel, ok := lhs.(*ast.SelectorExpr)
		if !ok {
			return
		}
		// Walk down to the selector right under the Builder: b.<result>.
		inner, ok := sel.X.(*ast.SelectorExpr)
		if !ok {
			return
		}
		for {
			next, ok := inner.X.(*ast.SelectorExpr)
			if !ok {
				break
			}
			inner = next
		}
		if id, ok := inner.X.(*ast.Ident); ok && id.Name == "b" && !own[inner.Sel.Name] {
			t.Errorf("%s: a stage sets %s.%s, a field of another stage's value (b.%s); pass it as an argument instead",
				fset.Position(lhs.Pos()), exprString(sel.X), sel.Sel.Name, inner.Sel.Name)
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				check(l)
			}
		case *ast.IncDecStmt:
			check(n.X)
		}
		return true
	})
}

// exprString writes a selector chain as it reads: b.renderer.
func exprString(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		return exprString(e.X) + "." + e.Sel.Name
	}
	return "…"
}
