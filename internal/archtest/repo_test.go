package archtest

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// architectureDoc is the document whose package table the tests read, relative to the module root.
const architectureDoc = "docs/architecture.md"

// repoRoot is the module's root directory: the tests run in this package's directory, two below it.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		t.Fatalf("no go.mod at the expected module root: %v", err)
	}
	return dir
}

// readRepoFile reads a file given relative to the module root.
func readRepoFile(t *testing.T, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot(t), filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// goPackage is one package of the module, as go list reports it; paths are relative to the module
// root ("." for the root package), and imports are only the module's own.
type goPackage struct {
	Path    string
	Imports []string
}

// listPackages runs go list over the whole module. Imports are the packages' non-test imports: a
// test may reach upwards (an external test of a flow may start the whole server), the build may not.
func listPackages(t *testing.T) []goPackage {
	t.Helper()
	root := repoRoot(t)
	run := func(args ...string) []byte {
		cmd := exec.Command("go", args...)
		cmd.Dir = root
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
		}
		return out
	}
	module := strings.TrimSpace(string(run("list", "-m")))
	rel := func(importPath string) (string, bool) {
		if importPath == module {
			return ".", true
		}
		p, ok := strings.CutPrefix(importPath, module+"/")
		return p, ok
	}
	var pkgs []goPackage
	sc := bufio.NewScanner(bytes.NewReader(run("list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, "./...")))
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			continue
		}
		path, _ := rel(fields[0])
		p := goPackage{Path: path}
		for _, imp := range fields[1:] {
			if r, ok := rel(imp); ok {
				p.Imports = append(p.Imports, r)
			}
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

// tableRow is one row of docs/architecture.md's package table.
type tableRow struct {
	Path    string // relative to the module root, "." for the root package
	Line    int    // in the document, for messages
	Imports string // the imports column, as written
}

// rowName is the table's first column: the package's path in backquotes.
var rowName = regexp.MustCompile("^\\|\\s*`([^`]+)`")

// packageTable parses the table under "## Packages" in docs/architecture.md, in its order. The root
// package is the row named for the module (`koomock`).
func packageTable(t *testing.T) []tableRow {
	t.Helper()
	var rows []tableRow
	in := false
	for i, line := range strings.Split(readRepoFile(t, architectureDoc), "\n") {
		if strings.HasPrefix(line, "## ") {
			in = line == "## Packages"
			continue
		}
		m := rowName.FindStringSubmatch(line)
		if !in || m == nil {
			continue
		}
		cells := strings.Split(strings.Trim(line, "| "), "|")
		path := m[1]
		if path == "koomock" {
			path = "."
		}
		rows = append(rows, tableRow{Path: path, Line: i + 1, Imports: strings.TrimSpace(cells[len(cells)-1])})
	}
	if len(rows) == 0 {
		t.Fatalf("%s: no package table under ## Packages", architectureDoc)
	}
	return rows
}
