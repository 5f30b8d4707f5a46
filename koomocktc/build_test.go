package koomocktc_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
	tclog "github.com/testcontainers/testcontainers-go/log"

	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/koomocktc"
)

// noImage makes the engine look to Run as one without koomock's image, under names unique to the
// test, removes what Run builds under them when the test ends, and returns the repository Run
// tags its builds in. It also clears every TESTCONTAINERS_* setting but the reaper's for the test,
// as on a machine where nobody set any.
func noImage(t *testing.T) string {
	t.Helper()
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "TESTCONTAINERS_") && k != "TESTCONTAINERS_RYUK_DISABLED" {
			t.Setenv(k, "") // restored when the test ends
			os.Unsetenv(k)
		}
	}
	var suffix [6]byte
	rand.Read(suffix[:])
	repo := fmt.Sprintf("koomocktc-build-%d-%s", os.Getpid(), hex.EncodeToString(suffix[:]))
	koomocktc.UseImageNames(t, repo+":latest", repo)
	koomocktc.ForgetBuilt()
	t.Cleanup(func() {
		koomocktc.ForgetBuilt()
		p, err := testcontainers.NewDockerProvider()
		if err != nil {
			t.Error(err)
			return
		}
		defer p.Close()
		ctx := context.Background()
		res, err := p.Client().ImageList(ctx, client.ImageListOptions{Filters: make(client.Filters).Add("reference", repo)})
		if err != nil {
			t.Error(err)
			return
		}
		for _, img := range res.Items {
			for _, tag := range img.RepoTags {
				if _, err := p.Client().ImageRemove(ctx, tag, client.ImageRemoveOptions{Force: true, PruneChildren: true}); err != nil {
					t.Errorf("remove %s: %v", tag, err)
				}
			}
		}
	})
	return repo
}

// logLines records what testcontainers logs (Run says so when it builds) until the test ends.
type logLines struct {
	mu    sync.Mutex
	lines []string
}

func (l *logLines) Printf(format string, v ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf(format, v...))
}

func (l *logLines) count(substr string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, s := range l.lines {
		if strings.Contains(s, substr) {
			n++
		}
	}
	return n
}

func recordLog(t *testing.T) *logLines {
	l := &logLines{}
	old := tclog.Default()
	tclog.SetDefault(l)
	t.Cleanup(func() { tclog.SetDefault(old) })
	return l
}

// The first-hour test: with no koomock image in the engine and no TESTCONTAINERS_* setting but
// the reaper's, a test that only calls Run and Buy passes. Run builds the image from this module
// (once per process, and once per engine for the same code) and finds the published port on
// localhost, also on a machine with a /.dockerenv, which testcontainers alone takes for a container
// beside the engine (CI here runs in one).
func TestRunBuildsTheImageWhenThereIsNone(t *testing.T) {
	requireDocker(t)
	repo := noImage(t)
	logs := recordLog(t)
	if _, err := os.Stat("/.dockerenv"); err == nil {
		t.Log("this machine has a /.dockerenv")
	}
	ctx := context.Background()
	run := func() *koomocktc.Container {
		t.Helper()
		ctr, err := koomocktc.Run(ctx)
		testcontainers.CleanupContainer(t, ctr)
		if err != nil {
			t.Fatal(err)
		}
		return ctr
	}

	ctr := run()
	if !strings.HasPrefix(ctr.Image, repo+":tc-") {
		t.Errorf("Run started %s, want an image it built, %s:tc-HASH", ctr.Image, repo)
	}
	p, err := ctr.Client().Buy(ctx, controlapi.BuyRequest{PeriodType: "year"})
	if err != nil {
		t.Fatal(err)
	}
	if p.Exchange == nil || p.Exchange.Failed() || p.Instance == nil {
		t.Fatalf("the first buy through the built image: %+v", p.Exchange)
	}

	// Another Run of the process starts the same image without building; so does a new process
	// (its record of builds empty), finding the image of the same binary in the engine.
	if again := run(); again.Image != ctr.Image {
		t.Errorf("the second Run started %s, want %s again", again.Image, ctr.Image)
	}
	koomocktc.ForgetBuilt()
	if again := run(); again.Image != ctr.Image {
		t.Errorf("Run in a fresh process started %s, want %s again", again.Image, ctr.Image)
	}
	if n := logs.count("koomocktc: building"); n != 1 {
		t.Errorf("three Runs built the image %d times, want once", n)
	}
}

// Without a Go toolchain to build the image with, or when the build fails, Run says what to do
// instead.
func TestRunThatCannotBuildNamesTheFix(t *testing.T) {
	requireDocker(t)
	noImage(t)
	failing := t.TempDir() // a go command that fails, as a broken toolchain or module would
	if err := os.WriteFile(filepath.Join(failing, "go"), []byte("#!/bin/sh\necho 'go: a broken toolchain' >&2\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct{ path, says string }{
		"no go":         {t.TempDir(), "no Go toolchain"},
		"failing build": {failing, "a broken toolchain"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Setenv("PATH", c.path)
			ctr, err := koomocktc.Run(context.Background())
			testcontainers.CleanupContainer(t, ctr)
			if err == nil {
				t.Fatal("Run succeeded")
			}
			t.Log(err)
			for _, want := range []string{c.says, "make docker-build", "koomocktc.WithImage"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not say %q", err, want)
				}
			}
			if ctr != nil {
				t.Errorf("a container came with the error: %s", ctr.GetContainerID())
			}
		})
	}
}
