package archtest

import (
	"path"
	"regexp"
	"strings"
	"testing"
)

// TestImportsFollowTheLayerTable checks the dependency direction docs/architecture.md promises: its
// package table runs from the bottom layer up, so a package may import only packages in rows above
// its own. It also checks that the table and the module list the same packages.
func TestImportsFollowTheLayerTable(t *testing.T) {
	rows := packageTable(t)
	layer := map[string]int{}
	for i, r := range rows {
		if _, dup := layer[r.Path]; dup {
			t.Errorf("%s:%d: %s has two rows", architectureDoc, r.Line, r.Path)
		}
		layer[r.Path] = i
	}
	listed := map[string]bool{}
	for _, p := range listPackages(t) {
		listed[p.Path] = true
		own, ok := layer[p.Path]
		if !ok {
			t.Errorf("package %s has no row in %s's package table", p.Path, architectureDoc)
			continue
		}
		for _, imp := range p.Imports {
			if l, ok := layer[imp]; ok && l >= own {
				t.Errorf("%s imports %s, whose row (%s:%d) is not above its own (line %d)",
					p.Path, imp, architectureDoc, rows[l].Line, rows[own].Line)
			}
		}
	}
	for _, r := range rows {
		if !listed[r.Path] {
			t.Errorf("%s:%d: %s is in the package table but is no package of the module", architectureDoc, r.Line, r.Path)
		}
	}
}

// importWord is one word of the table's imports column that may name a package.
var importWord = regexp.MustCompile(`[a-z0-9/]+`)

// TestImportsColumnIsExact checks the table's imports column against go list, both ways: a package
// there is named by its path or its last element ("root" is the root package), "nothing" means no
// package of koomock's own, and "all of the above" or "everything" is not checked.
func TestImportsColumnIsExact(t *testing.T) {
	rows := packageTable(t)
	byName := map[string][]string{"root": {"."}}
	for _, r := range rows {
		byName[r.Path] = append(byName[r.Path], r.Path)
		if last := path.Base(r.Path); last != r.Path {
			byName[last] = append(byName[last], r.Path)
		}
	}
	actual := map[string][]string{}
	for _, p := range listPackages(t) {
		actual[p.Path] = p.Imports
	}
	for _, r := range rows {
		col := strings.ToLower(r.Imports)
		if strings.Contains(col, "all of the above") || strings.Contains(col, "everything") {
			continue
		}
		named := map[string]bool{}
		if col != "nothing" {
			for _, w := range importWord.FindAllString(col, -1) {
				switch ps := byName[w]; len(ps) {
				case 0: // an ordinary word
				case 1:
					named[ps[0]] = true
				default:
					t.Errorf("%s:%d: %q could be any of %v", architectureDoc, r.Line, w, ps)
				}
			}
		}
		imported := map[string]bool{}
		for _, imp := range actual[r.Path] {
			imported[imp] = true
			if !named[imp] {
				t.Errorf("%s:%d: %s imports %s, which its imports column does not name", architectureDoc, r.Line, r.Path, name(imp))
			}
		}
		for p := range named {
			if !imported[p] {
				t.Errorf("%s:%d: %s's imports column names %s, which it does not import", architectureDoc, r.Line, r.Path, name(p))
			}
		}
	}
}

// name is how the table's imports column names a package.
func name(p string) string {
	if p == "." {
		return "root"
	}
	return p
}

// consoleMayImport are the packages under mock/ the console may import: it drives koomock only
// through the control API (controlapi) and shows the journal's live feed, so it imports no flow.
var consoleMayImport = map[string]bool{"mock/feed": true}

// TestConsoleImportsNoFlow checks that the console names what it shows (activities, faults,
// thresholds, license actions) from the contract, controlapi and protocol, not from a flow package.
func TestConsoleImportsNoFlow(t *testing.T) {
	for _, p := range listPackages(t) {
		if p.Path != "mock/console" {
			continue
		}
		for _, imp := range p.Imports {
			if strings.HasPrefix(imp, "mock/") && !consoleMayImport[imp] {
				t.Errorf("mock/console imports %s: take the names it needs from controlapi or protocol", imp)
			}
		}
		return
	}
	t.Fatal("go list did not list mock/console")
}
