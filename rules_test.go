package koomock_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/koomock/koomock"
)

// TestEveryRuleIsRegistered fails when a Rule constant of the root package has no RuleInfo, or a
// RuleInfo names a rule no constant declares: the registry is the one list reports and docs read.
func TestEveryRuleIsRegistered(t *testing.T) {
	declared := map[koomock.Rule]string{}
	files, _ := filepath.Glob("*.go")
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range src.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "Rule" {
					continue
				}
				for i, name := range vs.Names {
					lit, ok := vs.Values[i].(*ast.BasicLit)
					if !ok {
						t.Fatalf("%s: rule %s is not a string literal", f, name.Name)
					}
					v, _ := strconv.Unquote(lit.Value)
					declared[koomock.Rule(v)] = name.Name
				}
			}
		}
	}
	if len(declared) < 50 {
		t.Fatalf("found only %d rule constants; the parser missed some", len(declared))
	}
	seen := map[koomock.Rule]bool{}
	for _, info := range koomock.Rules() {
		if seen[info.Rule] {
			t.Errorf("rule %s is registered twice", info.Rule)
		}
		seen[info.Rule] = true
		if _, ok := declared[info.Rule]; !ok {
			t.Errorf("registered rule %s has no constant", info.Rule)
		}
		if info.Spec == "" || info.Doc == "" || info.Fix == "" {
			t.Errorf("rule %s lacks its spec section, doc or fix", info.Rule)
		}
		if info.Severity != koomock.Required && info.Severity != koomock.Advisory {
			t.Errorf("rule %s has severity %q", info.Rule, info.Severity)
		}
	}
	for rule, name := range declared {
		if !seen[rule] {
			t.Errorf("%s (%s) is not in the registry (rules.go)", name, rule)
		}
	}
}

// TestPolicy: a broken advisory rule is a warning, a broken required rule a failure, and --strict or a
// raising switch makes advisory rules fail.
func TestPolicy(t *testing.T) {
	broken := koomock.Verdict{Rule: koomock.RuleQueryMemo, Outcome: koomock.Fail}
	tests := []struct {
		name   string
		policy koomock.Policy
		v      koomock.Verdict
		want   koomock.Outcome
	}{
		{"advisory broken", koomock.Policy{}, broken, koomock.Warn},
		{"advisory strict", koomock.Policy{Strict: true}, broken, koomock.Fail},
		{"advisory raised", koomock.Policy{Raised: []koomock.Rule{koomock.RuleQueryMemo}}, broken, koomock.Fail},
		{"other rule raised", koomock.Policy{Raised: []koomock.Rule{koomock.RuleBodySign}}, broken, koomock.Warn},
		{"required broken", koomock.Policy{}, koomock.Verdict{Rule: koomock.RuleSchema, Outcome: koomock.Fail}, koomock.Fail},
		{"unregistered counts as required", koomock.Policy{}, koomock.Verdict{Rule: "no.such", Outcome: koomock.Fail}, koomock.Fail},
		{"pass stays", koomock.Policy{}, koomock.Verdict{Rule: koomock.RuleQueryMemo, Outcome: koomock.Pass}, koomock.Pass},
		{"warning stays under strict", koomock.Policy{Strict: true}, koomock.Verdict{Rule: koomock.RuleDeadline, Outcome: koomock.Warn}, koomock.Warn},
	}
	for _, tt := range tests {
		if got := tt.policy.Settle(tt.v).Outcome; got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
	}
	var e koomock.Exchange
	e.Judge(koomock.RuleQueryMemo, koomock.Fail, "raw UTF-8")
	e.Policy = koomock.Policy{Strict: true}
	e.Judge(koomock.RuleQueryMemo, koomock.Fail, "raw UTF-8")
	if e.Verdicts[0].Outcome != koomock.Warn || e.Verdicts[1].Outcome != koomock.Fail || !e.Failed() {
		t.Errorf("Exchange.Judge does not apply the exchange's policy: %+v", e.Verdicts)
	}
}

// TestNoVerdictAppendedDirectly keeps Exchange.Record the one way to give a verdict: a verdict appended
// to Exchange.Verdicts directly would skip the policy.
func TestNoVerdictAppendedDirectly(t *testing.T) {
	filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") || path == "exchange.go" {
			return nil
		}
		src, _ := os.ReadFile(path)
		if strings.Contains(string(src), "Verdicts = append(") {
			t.Errorf("%s appends to Exchange.Verdicts directly; use Exchange.Record or Judge", path)
		}
		return nil
	})
}
