package koomocktc

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
	tclog "github.com/testcontainers/testcontainers-go/log"
)

// modulePath is the module koomocktc belongs to, whose ./cmd/koomock Run builds the image from.
const modulePath = "github.com/koomock/koomock"

// BuiltImageRepo is the repository of the images Run builds when the engine has no DefaultImage:
// koomock:tc-HASH, HASH from the binary, so the same code is built once per engine and a changed
// checkout or another koomock version gets an image of its own.
const BuiltImageRepo = "koomock"

// buildTimeout bounds the go build and the docker build of one image; the library retries failed
// docker builds with back-off, and a broken build should fail in minutes, not hang a test run.
const buildTimeout = 5 * time.Minute

// imageNames are the defaults Run resolves an image with; a variable so the package's own test can
// name images no one else has.
var imageNames = struct{ def, builtRepo string }{DefaultImage, BuiltImageRepo}

// built remembers the image built in this process per repository, so that every Run after the
// first starts at once; the mutex also keeps parallel Runs from building the same image twice.
var built struct {
	sync.Mutex
	images map[string]string
}

// fix is what to do when Run cannot build the image: make it another way, or name one.
const fix = "run `make docker-build` in a koomock checkout, or pass koomocktc.WithImage(name)"

// resolveImage returns the image Run starts when no WithImage names one: DefaultImage when the
// engine has it (`make docker-build` made it: a checkout's build is what its owner wants), or else
// the image built from the koomock module this package was compiled from.
func resolveImage(ctx context.Context, p *testcontainers.DockerProvider) (string, error) {
	def, repo := imageNames.def, imageNames.builtRepo
	if ok, err := hasImage(ctx, p, def); err != nil || ok {
		return def, err
	}
	built.Lock()
	defer built.Unlock()
	if name, ok := built.images[repo]; ok {
		return name, nil
	}
	name, err := buildImage(ctx, p, repo)
	if err != nil {
		return "", fmt.Errorf("koomocktc: the engine has no %s, and building one from the koomock module failed: %w", def, err)
	}
	if built.images == nil {
		built.images = map[string]string{}
	}
	built.images[repo] = name
	return name, nil
}

// hasImage reports whether the engine has an image by that reference.
func hasImage(ctx context.Context, p *testcontainers.DockerProvider, ref string) (bool, error) {
	res, err := p.Client().ImageList(ctx, client.ImageListOptions{Filters: make(client.Filters).Add("reference", ref)})
	if err != nil {
		return false, fmt.Errorf("koomocktc: ask the Docker engine for %s: %w", ref, err)
	}
	return len(res.Items) > 0, nil
}

// buildImage builds koomock's image as `make docker-build` does, from the module's source: a
// static Linux binary of ./cmd/koomock for the engine's architecture, and Dockerfile.prebuilt's
// FROM scratch image around it. An image of the same binary already in the engine is reused.
func buildImage(ctx context.Context, p *testcontainers.DockerProvider, repo string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, buildTimeout)
	defer cancel()
	goBin, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("no Go toolchain (go on PATH) to build it with: install Go, or %s", fix)
	}
	dir, err := moduleDir(ctx, goBin)
	if err != nil {
		return "", err
	}
	arch := runtime.GOARCH
	if v, err := p.Client().ServerVersion(ctx, client.ServerVersionOptions{}); err == nil && v.Arch != "" {
		arch = v.Arch
	}
	bctx, err := os.MkdirTemp("", "koomocktc-image-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(bctx)
	sum, err := goBuild(ctx, goBin, dir, arch, filepath.Join(bctx, "koomock"))
	if err != nil {
		return "", err
	}
	name := repo + ":tc-" + sum[:12]
	if ok, err := hasImage(ctx, p, name); err != nil || ok {
		return name, err
	}
	df, err := os.ReadFile(filepath.Join(dir, "Dockerfile.prebuilt"))
	if err != nil {
		return "", fmt.Errorf("the koomock module at %s has no Dockerfile.prebuilt: %w", dir, err)
	}
	for _, d := range []string{"data", "tmp"} {
		if err := os.Mkdir(filepath.Join(bctx, d), 0o755); err != nil {
			return "", err
		}
	}
	if err := os.WriteFile(filepath.Join(bctx, "Dockerfile"), df, 0o644); err != nil {
		return "", err
	}
	tclog.Printf("🔨 koomocktc: building %s from %s (once; `make docker-build` makes %s instead)", name, dir, DefaultImage)
	var buildLog bytes.Buffer
	req := testcontainers.ContainerRequest{FromDockerfile: testcontainers.FromDockerfile{
		Context: bctx, Dockerfile: "Dockerfile", Repo: repo, Tag: strings.TrimPrefix(name, repo+":"),
		KeepImage: true, BuildLogWriter: &buildLog,
	}}
	if _, err := p.BuildImage(ctx, &req); err != nil {
		return "", fmt.Errorf("docker build of %s (or %s): %w\n%s", name, fix, err, buildLog.String())
	}
	return name, nil
}

// goBuild compiles ./cmd/koomock of the module in dir into out as the image wants it (no cgo,
// Linux, trimmed paths, so the same source gives the same bytes) and returns the binary's SHA-256.
func goBuild(ctx context.Context, goBin, dir, arch, out string) (string, error) {
	ldflags := "-s -w"
	if v := moduleVersion(); v != "" {
		ldflags += " -X main.version=" + v
	}
	cmd := exec.CommandContext(ctx, goBin, "build", "-trimpath", "-buildvcs=false", "-tags", "nodeploy", "-ldflags", ldflags, "-o", out, "./cmd/koomock")
	cmd.Dir = dir
	// The module's own go.mod decides the versions, as in `make docker-build`: no workspace of the
	// caller's, and no cgo, since the image has no C library.
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+arch, "GOWORK=off")
	if msg, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/koomock in %s (or %s): %w\n%s", dir, fix, err, msg)
	}
	f, err := os.Open(out)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// moduleDir returns the folder of the koomock module this package was compiled from: the source
// file's own folder's parent when the build kept full paths (go test does), or else what
// `go list -m` says from the working directory (the caller's module, which requires koomock).
func moduleDir(ctx context.Context, goBin string) (string, error) {
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		if dir := filepath.Dir(filepath.Dir(file)); isModule(dir) {
			return dir, nil
		}
	}
	out, err := exec.CommandContext(ctx, goBin, "list", "-m", "-f", "{{.Dir}}", modulePath).Output()
	dir := strings.TrimSpace(string(out))
	if err != nil || dir == "" || !isModule(dir) {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			err = fmt.Errorf("%w: %s", err, bytes.TrimSpace(ee.Stderr))
		}
		return "", fmt.Errorf("the source of %s was not found to build it from (go list -m: %q, %v): %s", modulePath, dir, err, fix)
	}
	return dir, nil
}

// isModule reports whether dir holds the koomock module: its go.mod names it.
func isModule(dir string) bool {
	f, err := os.Open(filepath.Join(dir, "go.mod"))
	if err != nil {
		return false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if fields := strings.Fields(sc.Text()); len(fields) == 2 && fields[0] == "module" {
			return strings.Trim(fields[1], `"`) == modulePath
		}
	}
	return false
}

// moduleVersion returns the koomock module's version in this program's build, for `koomock
// version` in the image; "" for a checkout or a replaced module, which the binary then reports as dev.
func moduleVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	m := &bi.Main
	for _, d := range bi.Deps {
		if d.Path == modulePath {
			m = d
		}
	}
	if m.Path != modulePath || m.Replace != nil || m.Version == "(devel)" {
		return ""
	}
	return m.Version
}
