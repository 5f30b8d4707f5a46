package koomocktc_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"maps"
	"net"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/testcontainers/testcontainers-go"
	tcexec "github.com/testcontainers/testcontainers-go/exec"
	"github.com/testcontainers/testcontainers-go/wait"

	"github.com/koomock/koomock/koomocktc"
)

// maxImageSize is the budget for the image, as docker images counts them: 25 MB at first, 30 MB since
// koomock template check (hcl/v2, cty) and the workbench's 375 px check in verify (chromedp) are in
// the binary (docs/benchmarks.md).
const maxImageSize = 30_000_000

// The image is what users run: non-root, koomock as the entrypoint with serve by default, port 8080
// (and 8443 for HTTPS when KOOMOCK_TLS_ADDR is set), the SQLite file and the local CA in the /data volume, a HEALTHCHECK without a shell, and under 30 MB.
func TestImageConfig(t *testing.T) {
	requireDocker(t)
	name := image(t, koomockImage)
	p, err := testcontainers.NewDockerProvider()
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	img, err := p.Client().ImageInspect(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	cfg := img.Config
	if cfg.User != "65532:65532" {
		t.Errorf("user %q, want 65532:65532", cfg.User)
	}
	if !slices.Equal(cfg.Entrypoint, []string{"koomock"}) || !slices.Equal(cfg.Cmd, []string{"serve"}) {
		t.Errorf("entrypoint %q, cmd %q; want [koomock] [serve]", cfg.Entrypoint, cfg.Cmd)
	}
	for _, port := range []string{"8080/tcp", "8443/tcp"} {
		if _, ok := cfg.ExposedPorts[port]; !ok {
			t.Errorf("exposed ports %v, want %s", slices.Collect(maps.Keys(cfg.ExposedPorts)), port)
		}
	}
	if _, ok := cfg.Volumes["/data"]; !ok {
		t.Errorf("volumes %v, want /data", slices.Collect(maps.Keys(cfg.Volumes)))
	}
	for _, want := range []string{"KOOMOCK_ADDR=0.0.0.0:8080", "KOOMOCK_DB=/data/koomock.db", "KOOMOCK_PUBLIC_URL=http://localhost:8080", "KOOMOCK_TLS_DIR=/data/tls"} {
		if !slices.Contains(cfg.Env, want) {
			t.Errorf("environment %q lacks %s", cfg.Env, want)
		}
	}
	if cfg.Healthcheck == nil || !slices.Equal(cfg.Healthcheck.Test, []string{"CMD", "koomock", "healthcheck"}) {
		t.Errorf("healthcheck %+v, want CMD koomock healthcheck (no shell in the image)", cfg.Healthcheck)
	}
	if img.Size >= maxImageSize {
		t.Errorf("image is %.1f MB, over the 30 MB budget", float64(img.Size)/1e6)
	}
	t.Logf("image size %.1f MB", float64(img.Size)/1e6)
}

// The image runs as `docker run` starts it, on its own defaults and the one setting it cannot have,
// an admin token (koomock listens beyond loopback): Docker's HEALTHCHECK finds it healthy, the
// healthcheck command reports a server that is not there, and the non-root user writes the database
// into the volume.
func TestImageRunsOnItsDefaults(t *testing.T) {
	requireDocker(t)
	ctx := context.Background()
	ctr, err := testcontainers.Run(ctx, image(t, koomockImage),
		testcontainers.WithExposedPorts("8080/tcp"),
		testcontainers.WithEnv(map[string]string{"KOOMOCK_ADMIN_TOKEN": "a-test-token"}),
		// The image's own check, run often so the test need not wait out its 10 s interval.
		testcontainers.WithConfigModifier(func(c *container.Config) {
			c.Healthcheck = &container.HealthConfig{Interval: 100 * time.Millisecond}
		}),
		testcontainers.WithWaitStrategy(wait.ForHealthCheck().WithStartupTimeout(time.Minute).WithPollInterval(50*time.Millisecond)))
	testcontainers.CleanupContainer(t, ctr)
	if err != nil {
		t.Fatal(err)
	}

	code, out, err := ctr.Exec(ctx, []string{"koomock", "healthcheck", "--addr", "127.0.0.1:9"}, tcexec.Multiplexed())
	if err != nil {
		t.Fatal(err)
	}
	msg, _ := io.ReadAll(out)
	if code != 1 || !strings.Contains(string(msg), "127.0.0.1:9/healthz") {
		t.Errorf("healthcheck of nothing: exit %d, %q; want 1 and the URL checked", code, msg)
	}

	// The image is built without template deploy (-tags nodeploy: no Docker engine inside, and no
	// Docker client in the binary); the command says to run it from the host.
	code, out, err = ctr.Exec(ctx, []string{"koomock", "template", "deploy", "main.tf"}, tcexec.Multiplexed())
	if err != nil {
		t.Fatal(err)
	}
	msg, _ = io.ReadAll(out)
	if code != 2 || !strings.Contains(string(msg), "run it on the host") {
		t.Errorf("template deploy in the image: exit %d, %q; want 2 and where to run it", code, msg)
	}

	db, err := ctr.CopyFileFromContainer(ctx, "/data/koomock.db")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	head := make([]byte, 16)
	if _, err := io.ReadFull(db, head); err != nil || string(head) != "SQLite format 3\x00" {
		t.Errorf("/data/koomock.db is not a SQLite database: %q, %v", head, err)
	}
}

// Without a Docker engine the container tests skip, saying why, instead of failing: the test binary
// runs one of them again in a mount namespace where Docker's socket is hidden (testcontainers falls
// back to the default socket whatever DOCKER_HOST says, so only hiding it shows an engine-less host).
func TestContainerTestsSkipWithoutDocker(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the test binary again; not under -short")
	}
	const sock = "/var/run/docker.sock"
	if _, err := os.Stat(sock); err != nil {
		t.Skipf("no %s to hide: %v", sock, err)
	}
	unshare, err := exec.LookPath("unshare")
	if err != nil {
		t.Skip("unshare(1) is needed to hide the Docker socket from a child process")
	}
	cmd := exec.Command(unshare, "--mount", "--", "sh", "-c", `mount --bind /dev/null `+sock+` && exec "$0" "$@"`,
		os.Args[0], "-test.run", "^TestRunStartsKoomockAndTalksToIt$", "-test.v")
	for _, kv := range os.Environ() {
		// The child must show the skip a machine without Docker sees, even in CI.
		if !strings.HasPrefix(kv, "DOCKER_HOST=") && !strings.HasPrefix(kv, requireDockerVar+"=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	out, err := cmd.CombinedOutput()
	if !strings.Contains(string(out), "=== RUN") {
		t.Skipf("cannot hide the Docker socket from a child process here (%v): %s", err, out)
	}
	if err != nil {
		t.Fatalf("without Docker the test failed instead of skipping: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "--- SKIP: TestRunStartsKoomockAndTalksToIt") || !strings.Contains(string(out), "Docker is not running") {
		t.Errorf("no skip with a reason:\n%s", out)
	}
}

// With KOOMOCK_TLS_ADDR the image serves HTTPS on 8443, under KooGallery's name, with a certificate
// from the CA it keeps in its volume: a client trusting only /data/tls/ca.pem verifies it.
func TestImageServesHTTPS(t *testing.T) {
	requireDocker(t)
	ctx := context.Background()
	ctr, err := testcontainers.Run(ctx, image(t, koomockImage),
		testcontainers.WithExposedPorts("8080/tcp", "8443/tcp"),
		testcontainers.WithEnv(map[string]string{"KOOMOCK_ADMIN_TOKEN": "a-test-token", "KOOMOCK_TLS_ADDR": "0.0.0.0:8443"}),
		testcontainers.WithConfigModifier(func(c *container.Config) {
			c.Healthcheck = &container.HealthConfig{Interval: 100 * time.Millisecond}
		}),
		testcontainers.WithWaitStrategy(wait.ForHealthCheck().WithStartupTimeout(time.Minute).WithPollInterval(50*time.Millisecond)))
	testcontainers.CleanupContainer(t, ctr)
	if err != nil {
		t.Fatal(err)
	}
	caFile, err := ctr.CopyFileFromContainer(ctx, "/data/tls/ca.pem")
	if err != nil {
		t.Fatal(err)
	}
	caPEM, _ := io.ReadAll(caFile)
	caFile.Close()
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(caPEM) {
		t.Fatalf("/data/tls/ca.pem: %q", caPEM)
	}
	// Where Run would dial: testcontainers alone picks the default gateway on a machine with a
	// /.dockerenv.
	host := koomocktc.PublishedHost(t)
	if host == "" {
		if host, err = ctr.Host(ctx); err != nil {
			t.Fatal(err)
		}
	}
	port, err := ctr.MappedPort(ctx, "8443/tcp")
	if err != nil {
		t.Fatal(err)
	}
	// -p 443:8443 and a hosts-file entry, without either: the dialer sends KooGallery's name there.
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: roots},
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return dialer.DialContext(ctx, network, net.JoinHostPort(host, port.Port()))
		},
	}}
	resp, err := client.Get("https://mkt.myhuaweicloud.com/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET https://mkt.myhuaweicloud.com/healthz: %s", resp.Status)
	}
}
