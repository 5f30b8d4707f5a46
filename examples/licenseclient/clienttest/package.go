package clienttest

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// PackageName is the file Package writes: the reference client's package for the asset centre.
const PackageName = "licenseclient_linux.tar.gz"

// Package builds the reference License client for Linux (static, CGO off, with the go command) and
// packages it as a seller packages a deployable for the asset centre: a .tar.gz in dir holding the
// binary and the install and start scripts of its deploy kit (kitDir, examples/licenseclient/deploy).
// It returns the package's path.
func Package(dir, kitDir string) (string, error) {
	bin := filepath.Join(dir, "licenseclient")
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w", "-o", bin, "github.com/koomock/koomock/examples/licenseclient/cmd/licenseclient")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build the license client: %w\n%s", err, out)
	}
	files := map[string]string{"install.sh": filepath.Join(kitDir, "install.sh"), "start.sh": filepath.Join(kitDir, "start.sh"), "licenseclient": bin}
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, name := range []string{"install.sh", "start.sh", "licenseclient"} {
		body, err := os.ReadFile(files[name])
		if err != nil {
			return "", err
		}
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o755, Size: int64(len(body)), Typeflag: tar.TypeReg}); err != nil {
			return "", err
		}
		if _, err := tw.Write(body); err != nil {
			return "", err
		}
	}
	if err := tw.Close(); err != nil {
		return "", err
	}
	if err := gz.Close(); err != nil {
		return "", err
	}
	pkg := filepath.Join(dir, PackageName)
	return pkg, os.WriteFile(pkg, buf.Bytes(), 0o644)
}
