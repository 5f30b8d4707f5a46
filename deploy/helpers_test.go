package deploy_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/testcontainers/testcontainers-go"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/deploy"
	"github.com/koomock/koomock/examples/licenseclient/clienttest"
	"github.com/koomock/koomock/mock/mocktest"
)

func TestMain(m *testing.M) {
	os.Setenv("TESTCONTAINERS_RYUK_DISABLED", "true") // nothing can be pulled; the tests remove their containers
	os.Exit(m.Run())
}

// requireDockerVar, set (as .ci/run sets it), makes a missing engine or busybox fail the container
// tests instead of skipping them.
const requireDockerVar = "KOOMOCK_REQUIRE_DOCKER"

// requireDocker skips (or in CI fails) a test when no Docker engine answers or no static busybox is
// there to build the default image from, and returns that image.
func requireDocker(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("deploy: container tests do not run under -short")
	}
	skip := t.Skipf
	if os.Getenv(requireDockerVar) != "" {
		skip = t.Fatalf
	}
	ctx := context.Background()
	if _, err := deploy.FindBusybox(); err != nil {
		skip("deploy: %v", err)
	}
	image, err := deploy.BuildImage(ctx, "")
	if errors.Is(err, deploy.ErrNoDocker) {
		skip("deploy: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	return image
}

// newKoomock is koomock in this process, on a virtual clock standing at the real time (the
// container's software signs with its own clock, which must fall within the gateway's window).
func newKoomock(t *testing.T) *controlapi.Client {
	t.Helper()
	return mocktest.New(t, mocktest.Options{NoSeller: true, Start: time.Now().UTC()}).API
}

// example is the reference License client's deploy kit: install and start scripts, template.
const example = "../examples/licenseclient/deploy/"

func read(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(example + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// clientPackage is the reference License client packaged as a seller would, with its deploy kit's
// install and start scripts.
func clientPackage(t *testing.T) string {
	t.Helper()
	pkg, err := clienttest.Package(t.TempDir(), example)
	if err != nil {
		t.Fatal(err)
	}
	return pkg
}

// templateFor is the reference client's template (main.tf.example) for the asset, written to a
// file, with its install line replaced unless it is startClient.
func templateFor(t *testing.T, assetID, install string) string {
	t.Helper()
	src := strings.ReplaceAll(read(t, "main.tf.example"), "ASSET_ID", assetID)
	if install != startClient {
		src = strings.ReplaceAll(src, startClient, install)
	}
	path := filepath.Join(t.TempDir(), "main.tf")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// seller uploads the packaged client as an asset and attaches its template, as the seller does in
// the asset centre; it returns the asset and the template's path.
func seller(t *testing.T, api *controlapi.Client, install string) (koomock.Asset, string) {
	t.Helper()
	ctx := context.Background()
	a, err := api.CreateAsset(ctx, controlapi.AssetRequest{Name: "License-client", DeployedType: koomock.DeploySoftwarePackage})
	if err != nil {
		t.Fatal(err)
	}
	pkg := clientPackage(t)
	f, err := os.Open(pkg)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	info, _ := f.Stat()
	if _, err := api.UploadAssetVersion(ctx, a.ID, "V1.0", controlapi.AssetUpload{PackageName: filepath.Base(pkg), Body: f, Size: info.Size()}); err != nil {
		t.Fatal(err)
	}
	tf := templateFor(t, a.ID, install)
	content, _ := os.ReadFile(tf)
	if a, err = api.AttachTemplate(ctx, a.ID, "main.tf", content); err != nil {
		t.Fatal(err)
	}
	return a, tf
}

// noShell is an image FROM scratch without a shell: one that cannot run a user_data.
func noShell(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte("FROM scratch\nCOPY motd /etc/motd\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "motd"), []byte("no shell here\n"), 0o644)
	p, err := testcontainers.NewDockerProvider()
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	req := testcontainers.ContainerRequest{FromDockerfile: testcontainers.FromDockerfile{Context: dir, Repo: "koomock-deploy-test", Tag: "noshell", KeepImage: true}}
	name, err := p.BuildImage(context.Background(), &req)
	if err != nil {
		t.Fatal(err)
	}
	return name
}
