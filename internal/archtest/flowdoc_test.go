package archtest

import (
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// addingAFlowDoc is the checklist a new flow follows.
const addingAFlowDoc = "docs/adding-a-flow.md"

var (
	// quoted is a backquoted span of Markdown.
	quoted = regexp.MustCompile("`([^`]+)`")
	// repoPath is a span that names a file or directory of the repository, relative to its root: no
	// spaces, and a slash (`mock/license`) or a file's extension (`license.go`). Routes start with a
	// slash and are not paths.
	repoPath = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_./-]*(/[A-Za-z0-9_.-]*|\.(go|md|yaml|sql|feature|html|json))$`)
	// link is a Markdown link's target.
	link = regexp.MustCompile(`\]\(([^)#\s]+)`)
)

// TestAddingAFlowNamesRealPaths checks that every path docs/adding-a-flow.md names exists: backquoted
// paths from the module root, links from the document's folder. Once a file moves, the checklist
// must say where to.
func TestAddingAFlowNamesRealPaths(t *testing.T) {
	root := repoRoot(t)
	exists := func(rel string) bool {
		_, err := os.Stat(filepath.Join(root, filepath.FromSlash(rel)))
		return err == nil
	}
	text := readRepoFile(t, addingAFlowDoc)
	checked := 0
	for i, line := range strings.Split(text, "\n") {
		for _, m := range quoted.FindAllStringSubmatch(line, -1) {
			if repoPath.MatchString(m[1]) {
				checked++
				if !exists(m[1]) {
					t.Errorf("%s:%d: %s does not exist", addingAFlowDoc, i+1, m[1])
				}
			}
		}
		for _, m := range link.FindAllStringSubmatch(line, -1) {
			if strings.Contains(m[1], "://") {
				continue
			}
			checked++
			if rel := path.Join(path.Dir(addingAFlowDoc), m[1]); !exists(rel) {
				t.Errorf("%s:%d: link to %s, which does not exist", addingAFlowDoc, i+1, rel)
			}
		}
	}
	if checked < 20 {
		t.Errorf("%s names only %d paths: is the pattern still finding them?", addingAFlowDoc, checked)
	}
}

// TestAddingAFlowIsLinked checks that the checklist can be found from README and docs/architecture.md.
func TestAddingAFlowIsLinked(t *testing.T) {
	for doc, target := range map[string]string{"README.md": addingAFlowDoc, architectureDoc: "adding-a-flow.md"} {
		if !strings.Contains(readRepoFile(t, doc), "]("+target+")") {
			t.Errorf("%s does not link to %s", doc, target)
		}
	}
}
