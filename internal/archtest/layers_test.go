package archtest

import "testing"

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
