package koomocktc_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
)

// The images under test are built from this checkout, once per test binary run, the registry-free
// way: the binaries are compiled here with CGO off into a folder that becomes the build context, so
// the image always holds the code under test. Their tags are unique to the run (other checkouts may
// share the Docker engine) and TestMain removes them.

// repoRoot is the module root, relative to this package's folder (where go test runs).
const repoRoot = ".."

var (
	koomockContext   = sync.OnceValues(func() (string, error) { return buildContext("koomock", "./cmd/koomock", "Dockerfile.prebuilt") })
	refsellerContext = sync.OnceValues(func() (string, error) {
		return buildContext("refseller", "./examples/seller/cmd/refseller", "examples/seller/cmd/refseller/Dockerfile")
	})
	koomockImage   = sync.OnceValues(func() (string, error) { return buildImage("koomock", koomockContext) })
	refsellerImage = sync.OnceValues(func() (string, error) { return buildImage("refseller", refsellerContext) })

	builtMu     sync.Mutex
	builtImages []string
	builtDirs   []string
)

// TestMain turns the resource reaper off before any testcontainers call (its image cannot be pulled
// where there is no registry, and the configuration is read once), and removes what the run built.
// It sets nothing else: Run finds its published ports itself, on machines with a /.dockerenv too.
func TestMain(m *testing.M) {
	os.Setenv("TESTCONTAINERS_RYUK_DISABLED", "true")
	code := m.Run()
	removeBuilt()
	os.Exit(code)
}

// requireDocker skips a Docker-backed test under -short or when no Docker engine answers, and turns
// the reaper off (again: TestMain already did, before testcontainers read its configuration). In CI
// (KOOMOCK_REQUIRE_DOCKER, which .ci/run sets) a missing engine fails the test instead: there the
// container tests must run.
func requireDocker(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("koomocktc: container tests do not run under -short")
	}
	t.Setenv("TESTCONTAINERS_RYUK_DISABLED", "true")
	if os.Getenv(requireDockerVar) != "" {
		if err := dockerHealth(); err != nil {
			t.Fatalf("koomocktc: %s is set and no Docker engine answers: %v", requireDockerVar, err)
		}
	}
	testcontainers.SkipIfProviderIsNotHealthy(t)
}

// requireDockerVar, set, makes a missing Docker engine fail the container tests instead of skipping
// them, as KOOMOCK_REQUIRE_BROWSER does for the browser tests.
const requireDockerVar = "KOOMOCK_REQUIRE_DOCKER"

// image returns the image built from build, failing the test if it could not be built.
func image(t testing.TB, build func() (string, error)) string {
	t.Helper()
	name, err := build()
	if err != nil {
		t.Fatal(err)
	}
	return name
}

// buildContext compiles pkg for Linux with CGO off into a fresh folder, with the empty data/ and
// tmp/ folders koomock's image copies and the Dockerfile: a registry-free build context.
func buildContext(name, pkg, dockerfile string) (string, error) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("the go command is needed to build %s: %w", name, err)
	}
	dir, err := os.MkdirTemp("", "koomocktc-"+name+"-")
	if err != nil {
		return "", err
	}
	builtMu.Lock()
	builtDirs = append(builtDirs, dir)
	builtMu.Unlock()
	// koomock's image is built as make docker-build builds it: without template deploy (nodeploy).
	cmd := exec.Command(goBin, "build", "-trimpath", "-tags", "nodeploy", "-ldflags", "-s -w -X main.version=koomocktc-test", "-o", filepath.Join(dir, name), pkg)
	cmd.Dir = repoRoot
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build %s: %w\n%s", pkg, err, out)
	}
	for _, d := range []string{"data", "tmp"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o755); err != nil {
			return "", err
		}
	}
	df, err := os.ReadFile(filepath.Join(repoRoot, dockerfile))
	if err != nil {
		return "", err
	}
	return dir, os.WriteFile(filepath.Join(dir, "Dockerfile"), df, 0o644)
}

// buildImage builds the image in the build context makeContext returns.
func buildImage(name string, makeContext func() (string, error)) (string, error) {
	dir, err := makeContext()
	if err != nil {
		return "", err
	}
	var suffix [6]byte
	rand.Read(suffix[:])
	var log bytes.Buffer
	req := testcontainers.ContainerRequest{FromDockerfile: testcontainers.FromDockerfile{
		Context: dir, Dockerfile: "Dockerfile",
		Repo: "koomocktc-" + name, Tag: fmt.Sprintf("test-%d-%s", os.Getpid(), hex.EncodeToString(suffix[:])),
		KeepImage: true, BuildLogWriter: &log,
	}}
	p, err := testcontainers.NewDockerProvider()
	if err != nil {
		return "", err
	}
	defer p.Close()
	// The library retries failed builds with back-off; a broken Dockerfile should fail in minutes.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	tag, err := p.BuildImage(ctx, &req)
	if err != nil {
		return "", fmt.Errorf("docker build %s: %w\n%s", name, err, log.String())
	}
	builtMu.Lock()
	builtImages = append(builtImages, tag)
	builtMu.Unlock()
	return tag, nil
}

// removeBuilt removes the images and build contexts of this run.
func removeBuilt() {
	builtMu.Lock()
	defer builtMu.Unlock()
	for _, d := range builtDirs {
		os.RemoveAll(d)
	}
	if len(builtImages) == 0 {
		return
	}
	p, err := testcontainers.NewDockerProvider()
	if err != nil {
		fmt.Fprintf(os.Stderr, "koomocktc: cannot remove the test images %v: %v\n", builtImages, err)
		return
	}
	defer p.Close()
	for _, img := range builtImages {
		if _, err := p.Client().ImageRemove(context.Background(), img, client.ImageRemoveOptions{Force: true, PruneChildren: true}); err != nil {
			fmt.Fprintf(os.Stderr, "koomocktc: remove test image %s: %v\n", img, err)
		}
	}
}
