package koomocktc_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"syscall"
	"testing"

	"github.com/testcontainers/testcontainers-go"
	tclog "github.com/testcontainers/testcontainers-go/log"

	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/koomocktc"
)

// requireDockerB is requireDocker for benchmarks, which SkipIfProviderIsNotHealthy does not take.
func requireDockerB(b *testing.B) {
	b.Helper()
	if testing.Short() {
		b.Skip("koomocktc: container benchmarks do not run under -short")
	}
	if err := dockerHealth(); err != nil {
		if os.Getenv(requireDockerVar) != "" {
			b.Fatalf("koomocktc: %s is set and no Docker engine answers: %v", requireDockerVar, err)
		}
		b.Skipf("koomocktc: no Docker engine answers (%v); the container benchmarks need one", err)
	}
}

func dockerHealth() (err error) {
	defer func() {
		if r := recover(); r != nil { // testcontainers panics when it finds no Docker host
			err = fmt.Errorf("%v", r)
		}
	}()
	p, err := testcontainers.NewDockerProvider()
	if err != nil {
		return err
	}
	defer p.Close()
	return p.Health(context.Background())
}

// BenchmarkContainerStart measures a container from start to healthy: koomocktc.Run creating and
// starting the image under test until /healthz answers through the mapped port (polled every 25 ms).
// Removing the container is not timed.
func BenchmarkContainerStart(b *testing.B) {
	requireDockerB(b)
	img := image(b, koomockImage)
	ctx := context.Background()
	for b.Loop() {
		ctr, err := koomocktc.Run(ctx, koomocktc.WithImage(img), testcontainers.WithLogger(tclog.NewNoopLogger()))
		b.StopTimer()
		if err == nil {
			err = ctr.Client().Health(ctx)
		}
		if ctr != nil {
			if terr := testcontainers.TerminateContainer(ctr); terr != nil {
				b.Error(terr)
			}
		}
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}

// BenchmarkBinaryStart measures the same binary started on the host, from exec to the first answer
// of /healthz: `koomock serve` on a fresh SQLite file, its banner read until it names the listen URL
// (printed once the listener is bound), then one GET /healthz. Stopping it is not timed.
func BenchmarkBinaryStart(b *testing.B) {
	dir, err := koomockContext()
	if err != nil {
		b.Fatal(err)
	}
	bin := filepath.Join(dir, "koomock")
	listening := regexp.MustCompile(`listening on +(http://\S+)`)
	ctx := context.Background()
	i := 0
	for b.Loop() {
		i++
		cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", filepath.Join(b.TempDir(), fmt.Sprintf("koomock-%d.db", i)))
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			b.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		base := ""
		for sc := bufio.NewScanner(stdout); base == "" && sc.Scan(); {
			if m := listening.FindStringSubmatch(sc.Text()); m != nil {
				base = m[1]
			}
		}
		if base == "" {
			cmd.Process.Kill()
			cmd.Wait()
			b.Fatal("koomock serve ended without naming its listen URL")
		}
		err = (&controlapi.Client{BaseURL: base}).Health(ctx)
		b.StopTimer()
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}
