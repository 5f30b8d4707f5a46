package archtest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readmeStructure parses README.md's "## Project structure" block: one entry per line that does not
// start with a space, its first field a directory relative to the module root ("./" is the root);
// indented lines continue the entry above. It returns each entry's directory ("." for the root) and
// its line.
func readmeStructure(t *testing.T) map[string]int {
	t.Helper()
	lines := strings.Split(readRepoFile(t, "README.md"), "\n")
	start := -1
	for i, l := range lines {
		if l == "## Project structure" {
			start = i
			break
		}
	}
	if start < 0 {
		t.Fatal("README.md: no ## Project structure section")
	}
	entries := map[string]int{}
	fence := 0
	for i := start + 1; i < len(lines) && fence < 2; i++ {
		l := lines[i]
		switch {
		case strings.HasPrefix(l, "```"):
			fence++
		case fence == 1 && l != "" && !strings.HasPrefix(l, " "):
			dir := strings.TrimSuffix(strings.Fields(l)[0], "/")
			if dir == "" {
				dir = "." // "./" with its slash trimmed
			}
			entries[dir] = i + 1
		}
	}
	if len(entries) == 0 {
		t.Fatal("README.md: the project structure lists nothing")
	}
	return entries
}

// TestReadmeStructureNamesEveryPackage checks README's project structure against docs/architecture.md's
// package table (which the layer test holds to go list): every package in one is in the other, and
// every other entry of the structure is a directory that exists.
func TestReadmeStructureNamesEveryPackage(t *testing.T) {
	entries := readmeStructure(t)
	inTable := map[string]bool{}
	for _, r := range packageTable(t) {
		inTable[r.Path] = true
		if _, ok := entries[r.Path]; !ok {
			t.Errorf("README.md's project structure lacks %s (%s:%d)", r.Path, architectureDoc, r.Line)
		}
	}
	root := repoRoot(t)
	for dir, line := range entries {
		if inTable[dir] {
			continue
		}
		fi, err := os.Stat(filepath.Join(root, filepath.FromSlash(dir)))
		switch {
		case err != nil || !fi.IsDir():
			t.Errorf("README.md:%d: %s is no directory of the repository", line, dir)
		case hasGoFiles(t, filepath.Join(root, filepath.FromSlash(dir))):
			t.Errorf("README.md:%d: %s is a package but has no row in %s", line, dir, architectureDoc)
		}
	}
}

// hasGoFiles tells whether a directory holds Go source, i.e. is a package the table should list.
func hasGoFiles(t *testing.T, dir string) bool {
	t.Helper()
	matches, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	return len(matches) > 0
}
