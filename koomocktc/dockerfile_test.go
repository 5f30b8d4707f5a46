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
	fromLine  = regexp.MustCompile(`(?i)^FROM\s`)
	fromBuild = regexp.MustCompile(`^COPY (.*)--from=build (.*)/out/`)
)

// finalStage returns the instructions of a Dockerfile's last stage, continued lines joined, comments
// and blank lines dropped.
func finalStage(dockerfile string) []string {
	var stage []string
	for line := range strings.Lines(strings.ReplaceAll(dockerfile, "\\\n", " ")) {
		line = strings.Join(strings.Fields(line), " ")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if fromLine.MatchString(line) {
			stage = nil
		}
		stage = append(stage, line)
	}
	return stage
}

// checkDockerfiles checks that the registry-free Dockerfile.prebuilt (what tests and CI build) and
// the Dockerfile users build make the same image: the final stages have the same instructions but
// for where the files come from (the build context, or /out/ of the build stage).
func checkDockerfiles(full, prebuilt string) error {
	want := finalStage(prebuilt)
	if n := len(regexp.MustCompile(`(?im)^FROM\s`).FindAllString(prebuilt, -1)); n != 1 {
		return fmt.Errorf("Dockerfile.prebuilt has %d stages; it must have one, FROM scratch, needing no registry", n)
	}
	if len(want) == 0 || !strings.HasPrefix(want[0], "FROM scratch") {
		return errors.New("Dockerfile.prebuilt must start FROM scratch")
	}
	got := finalStage(full)
	for i, line := range got {
		got[i] = fromBuild.ReplaceAllString(line, "COPY $1$2")
	}
	if !slices.Equal(got, want) {
		return errors.New("the final stages differ:\nDockerfile.prebuilt:\n  " + strings.Join(want, "\n  ") +
			"\nDockerfile (build paths removed):\n  " + strings.Join(got, "\n  "))
	}
	return nil
}

func TestDockerfilesAgree(t *testing.T) {
	read := func(name string) string {
		data, err := os.ReadFile(filepath.Join(repoRoot, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	full, prebuilt := read("Dockerfile"), read("Dockerfile.prebuilt")
	if err := checkDockerfiles(full, prebuilt); err != nil {
		t.Fatal(err)
	}
	// The check catches the drifts it is for.
	for name, broken := range map[string][2]string{
		"another user":             {strings.Replace(full, "USER 65532:65532", "USER 0", 1), prebuilt},
		"no volume":                {full, strings.Replace(prebuilt, `VOLUME ["/data"]`, "", 1)},
		"binary elsewhere":         {strings.Replace(full, "/out/koomock /usr/local/bin/koomock", "/out/koomock /koomock", 1), prebuilt},
		"another health check":     {full, strings.Replace(prebuilt, "--interval=10s", "--interval=1m", 1)},
		"a stage after the image":  {full + "\nFROM scratch AS debug\n", prebuilt},
		"prebuilt needing a build": {full, "FROM golang AS build\n" + prebuilt},
	} {
		if broken[0] == full && broken[1] == prebuilt {
			t.Errorf("%s: the mutation changed nothing", name)
		}
		if err := checkDockerfiles(broken[0], broken[1]); err == nil {
			t.Errorf("%s: not caught", name)
		}
	}
}
