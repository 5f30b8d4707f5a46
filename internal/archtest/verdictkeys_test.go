package archtest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// TestVerdictsCarryAKey checks that koomock's code makes a verdict with a catalog key (i18n.Verdict,
// VerdictAt, Judge), so every reader can render it in its language: outside package i18n, no
// koomock.Verdict literal sets Message without setting Key too (a literal that copies a finding's Key
// and Args, as readiness does, is fine), and none calls Exchange.Judge, which records a bare English
// message: it is the tests' shorthand. Tests may build any verdict they like.
func TestVerdictsCarryAKey(t *testing.T) {
	root := repoRoot(t)
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel := filepath.ToSlash(strings.TrimPrefix(p, root+string(filepath.Separator)))
		if d.IsDir() {
			if strings.HasPrefix(d.Name(), ".") || rel == "i18n" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(rel, ".go") || strings.HasSuffix(rel, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		// In the root package the type is spelled Verdict, elsewhere koomock.Verdict.
		root := f.Name.Name == "koomock"
		ast.Inspect(f, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok && callsExchangeJudge(call) && rel != exchangeJudgeFile {
				t.Errorf("%s: Exchange.Judge records a message without a key: use i18n.Judge", fset.Position(call.Pos()))
			}
			lit, ok := n.(*ast.CompositeLit)
			if !ok || !isVerdictType(lit.Type, root) {
				return true
			}
			fields := map[string]bool{}
			for _, e := range lit.Elts {
				if kv, ok := e.(*ast.KeyValueExpr); ok {
					if id, ok := kv.Key.(*ast.Ident); ok {
						fields[id.Name] = true
					}
				}
			}
			if fields["Message"] && !fields["Key"] && rel != exchangeJudgeFile {
				t.Errorf("%s: a verdict with a Message and no Key: make it with i18n.Verdict and a catalog key", fset.Position(lit.Pos()))
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// isVerdictType reports whether expr names koomock.Verdict (Verdict inside the root package).
func isVerdictType(expr ast.Expr, root bool) bool {
	switch x := expr.(type) {
	case *ast.SelectorExpr:
		id, ok := x.X.(*ast.Ident)
		return ok && id.Name == "koomock" && x.Sel.Name == "Verdict"
	case *ast.Ident:
		return root && x.Name == "Verdict"
	}
	return false
}

// exchangeJudgeFile defines Exchange.Judge, the tests' shorthand for a verdict without a key.
const exchangeJudgeFile = "exchange.go"

// callsExchangeJudge reports whether call is x.Judge(koomock.RuleX, ...) (or Judge(RuleX, ...) in the
// root package): Exchange.Judge, whose first argument is the rule, unlike i18n.Judge and
// inbound.Judge, whose first is the exchange or the request's context.
func callsExchangeJudge(call *ast.CallExpr) bool {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Judge" || len(call.Args) != 3 {
		return false
	}
	switch a := call.Args[0].(type) {
	case *ast.SelectorExpr:
		return strings.HasPrefix(a.Sel.Name, "Rule")
	case *ast.Ident:
		return strings.HasPrefix(a.Name, "Rule")
	}
	return false
}
