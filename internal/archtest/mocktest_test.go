package archtest

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var (
	// callsMockNew is a call of mock.New from another package's tests.
	callsMockNew = regexp.MustCompile(`\bmock\.New\(`)
	// callsNew is a call of New inside package mock's own tests.
	callsNew = regexp.MustCompile(`(^|[^.\w])New\(`)
)

// mayCallMockNew are the test files that build a server without mock/mocktest, each with its reason:
// they test New and Open themselves (refused settings, listen addresses, a restart on the same
// address or database), or are package mock's own tests, which mocktest (importing mock) cannot serve.
var mayCallMockNew = map[string]string{
	"mock/server_test.go":          "refused settings; a second server on a taken port",
	"mock/saas_lifecycle_test.go":  "a restart on the same address and database",
	"mock/listen_test.go":          "listening on every interface",
	"mock/tls_test.go":             "refused HTTPS settings",
	"mock/assets/assets_test.go":   "a refused path spelling",
	"mock/console/guard_test.go":   "listen addresses that need an admin token",
	"mock/control_openapi_test.go": "package mock's own test",
	"mock/routes_test.go":          "package mock's own test",
}

// TestTestsStartKoomockThroughMocktest checks that tests start koomock through mocktest.New, the one
// test environment, and not with a copied helper around mock.New: only mock/mocktest and the files
// of mayCallMockNew call it.
func TestTestsStartKoomockThroughMocktest(t *testing.T) {
	root := repoRoot(t)
	seen := map[string]bool{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel := filepath.ToSlash(strings.TrimPrefix(p, root+string(filepath.Separator)))
		if d.IsDir() {
			if strings.HasPrefix(d.Name(), ".") || rel == "mock/mocktest" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(rel, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		src := string(b)
		calls := callsMockNew.MatchString(src)
		if filepath.ToSlash(filepath.Dir(rel)) == "mock" && strings.HasPrefix(src, "package mock\n") {
			calls = calls || callsNew.MatchString(src)
		}
		if !calls {
			return nil
		}
		seen[rel] = true
		if _, ok := mayCallMockNew[rel]; !ok {
			t.Errorf("%s calls mock.New: start koomock with mocktest.New (mock/mocktest)", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for f := range mayCallMockNew {
		if !seen[f] {
			t.Errorf("%s no longer calls mock.New: take it off mayCallMockNew", f)
		}
	}
}
