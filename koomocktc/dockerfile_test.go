package koomocktc_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var (
	fromAs    = regexp.MustCompile(`(?i)^FROM\s+\S+\s+AS\s+(\S+)$`)
	fromBuild = regexp.MustCompile(`^COPY (.*)--from=build (.*)/out/`)
)

// checkStages checks a Dockerfile's two ways to the image: the registry-free stage "prebuilt" (what
// tests and CI build) and the stage "runtime" users build must have the same instructions but for
// the stage name and where the files come from (the build context, or /out/ of the build stage).
// prebuilt must come first, so that the classic builder never reaches the stage that pulls the Go
// image, and runtime last, so that a plain `docker build .` builds it.
func checkStages(dockerfile string) error {
	text := strings.ReplaceAll(dockerfile, "\\\n", " ")
	var order []string
	lines := map[string][]string{}
	for line := range strings.Lines(text) {
		line = strings.Join(strings.Fields(line), " ")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if m := fromAs.FindStringSubmatch(line); m != nil {
			order = append(order, m[1])
		}
		if len(order) > 0 {
			stage := order[len(order)-1]
			lines[stage] = append(lines[stage], line)
		}
	}
	if len(order) < 2 || order[0] != "prebuilt" || order[len(order)-1] != "runtime" {
		return fmt.Errorf("stages %v: want prebuilt first and runtime last", order)
	}
	prebuilt := lines["prebuilt"]
	runtime := make([]string, len(lines["runtime"]))
	for i, line := range lines["runtime"] {
		line = strings.Replace(line, " AS runtime", " AS prebuilt", 1)
		runtime[i] = fromBuild.ReplaceAllString(line, "COPY $1$2")
	}
	if !slices.Equal(prebuilt, runtime) {
		return errors.New("the stages differ:\nprebuilt:\n  " + strings.Join(prebuilt, "\n  ") +
			"\nruntime (build paths removed):\n  " + strings.Join(runtime, "\n  "))
	}
	return nil
}

func TestDockerfileStagesAgree(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	df := string(data)
	if err := checkStages(df); err != nil {
		t.Fatal(err)
	}
	// The check catches the drifts it is for.
	for name, broken := range map[string]string{
		"runtime with another user":  replaceLast(df, "USER 65532:65532", "USER 0"),
		"prebuilt without a volume":  strings.Replace(df, `VOLUME ["/data"]`, "", 1),
		"runtime copying elsewhere":  replaceLast(df, "/usr/local/bin/koomock", "/koomock"),
		"runtime no longer the last": df + "\nFROM scratch AS debug\n",
	} {
		if err := checkStages(broken); err == nil {
			t.Errorf("%s: not caught", name)
		}
	}
}

func replaceLast(s, old, new string) string {
	i := strings.LastIndex(s, old)
	if i < 0 {
		return s
	}
	return s[:i] + new + s[i+len(old):]
}
