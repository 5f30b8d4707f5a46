package deploy

import (
	"context"
	"crypto/sha256"
	"debug/elf"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
)

// ImageRepo is the repository of the default image BuildImage makes: koomock-deploy:busybox-HASH,
// HASH from its contents, so it is built once per engine.
const ImageRepo = "koomock-deploy"

// BusyboxVar names the static busybox binary to build the default image from, when it is not at
// /bin/busybox or /usr/bin/busybox.
const BusyboxVar = "KOOMOCK_BUSYBOX"

// ErrNoBusybox means no static busybox was found to build the default image with.
var ErrNoBusybox = errors.New("no static busybox to build the deploy image with: install Debian's busybox-static (apt-get install busybox-static), set " + BusyboxVar + ", or pass --image IMAGE")

// dockerfile builds a server out of busybox alone: no registry, no network.
const dockerfile = `FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "mkdir", "-p", "/usr/bin", "/usr/sbin", "/sbin", "/tmp", "/opt", "/root", "/etc", "/home", "/usr/local/bin", "/var/log", "/var/tmp", "/var/lib/cloud/instance"]
RUN ["/bin/busybox", "--install", "-s"]
RUN ["/bin/busybox", "chmod", "1777", "/tmp"]
COPY curl /usr/bin/curl
COPY nohup /usr/bin/nohup
COPY bash /bin/bash
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
WORKDIR /root
`

// curlShim stands in for curl with busybox's wget, for the download lines templates usually have.
const curlShim = `#!/bin/sh
# koomock's deploy image: busybox has no curl; this maps curl's common download flags to its wget.
out="-" url="" remote=""
while [ $# -gt 0 ]; do
  case "$1" in
    -o|--output) out="$2"; shift 2 ;;
    -O|--remote-name) remote=1; shift ;;
    -H|--header|--retry|--connect-timeout|--max-time|-m|-u|-A|-e|--retry-delay) shift 2 ;;
    -*) shift ;;
    *) url="$1"; shift ;;
  esac
done
[ -n "$url" ] || { echo "curl (koomock's busybox image): no URL" >&2; exit 2; }
[ -z "$remote" ] || out=$(basename "${url%%\?*}")
exec wget -q -O "$out" "$url"
`

// nohupShim: Debian's busybox has no nohup applet; user_data scripts start daemons with it.
const nohupShim = `#!/bin/sh
# koomock's deploy image: busybox has no nohup; ignore SIGHUP and run the command.
trap '' HUP
exec "$@"
`

// bashShim runs bash scripts with busybox's ash, which takes most of what user_data scripts use.
const bashShim = `#!/bin/busybox ash
# koomock's deploy image: no bash; busybox's ash runs the script.
exec /bin/busybox ash "$@"
`

// FindBusybox returns a static busybox binary: $KOOMOCK_BUSYBOX, /bin/busybox or /usr/bin/busybox.
func FindBusybox() (string, error) {
	candidates := []string{"/bin/busybox", "/usr/bin/busybox"}
	if p := os.Getenv(BusyboxVar); p != "" {
		candidates = []string{p}
	}
	var problems []string
	for _, p := range candidates {
		if err := isStatic(p); err != nil {
			if !errors.Is(err, os.ErrNotExist) {
				problems = append(problems, err.Error())
			}
			continue
		}
		return p, nil
	}
	if len(problems) > 0 {
		return "", fmt.Errorf("%w (%s)", ErrNoBusybox, strings.Join(problems, "; "))
	}
	return "", ErrNoBusybox
}

// isStatic checks that path is an ELF executable needing no dynamic loader: FROM scratch has none.
func isStatic(path string) error {
	f, err := elf.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return err
		}
		return fmt.Errorf("%s is not an ELF executable: %v", path, err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return fmt.Errorf("%s is linked dynamically (the busybox package); the image needs busybox-static", path)
		}
	}
	return nil
}

// BuildImage builds the default image from busybox (FindBusybox when empty) and returns its name;
// an image of the same contents already in the engine is reused.
func BuildImage(ctx context.Context, busybox string) (string, error) {
	if busybox == "" {
		var err error
		if busybox, err = FindBusybox(); err != nil {
			return "", err
		}
	} else if err := isStatic(busybox); err != nil {
		return "", fmt.Errorf("%w: %v", ErrNoBusybox, err)
	}
	bin, err := os.ReadFile(busybox)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	shims := map[string]string{"curl": curlShim, "nohup": nohupShim, "bash": bashShim}
	for _, part := range [][]byte{bin, []byte(dockerfile), []byte(curlShim), []byte(nohupShim), []byte(bashShim)} {
		h.Write(part)
	}
	tag := "busybox-" + hex.EncodeToString(h.Sum(nil))[:12]
	name := ImageRepo + ":" + tag
	p, err := provider(ctx)
	if err != nil {
		return "", err
	}
	defer p.Close()
	if ok, err := hasImage(ctx, p, name); err != nil || ok {
		return name, err
	}
	dir, err := os.MkdirTemp("", "koomock-deploy-image-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	shims["Dockerfile"] = dockerfile
	for file, content := range shims {
		if err := os.WriteFile(filepath.Join(dir, file), []byte(content), 0o755); err != nil {
			return "", err
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "busybox"), bin, 0o755); err != nil {
		return "", err
	}
	var log strings.Builder
	req := testcontainers.ContainerRequest{FromDockerfile: testcontainers.FromDockerfile{
		Context: dir, Dockerfile: "Dockerfile", Repo: ImageRepo, Tag: tag, KeepImage: true, BuildLogWriter: &log,
	}}
	if _, err := p.BuildImage(ctx, &req); err != nil {
		return "", fmt.Errorf("docker build of %s from %s: %w\n%s", name, busybox, err, log.String())
	}
	return name, nil
}

// hasImage reports whether the engine has an image by that reference.
func hasImage(ctx context.Context, p *testcontainers.DockerProvider, ref string) (bool, error) {
	res, err := p.Client().ImageList(ctx, client.ImageListOptions{Filters: make(client.Filters).Add("reference", ref)})
	if err != nil {
		return false, fmt.Errorf("ask the Docker engine for %s: %w", ref, err)
	}
	return len(res.Items) > 0, nil
}

// provider reaches the Docker engine, with an error saying what to do when none answers.
func provider(ctx context.Context) (p *testcontainers.DockerProvider, err error) {
	defer func() {
		if r := recover(); r != nil { // testcontainers panics when it finds no Docker host at all
			p, err = nil, fmt.Errorf("%w: %v", ErrNoDocker, r)
		}
	}()
	p, err = testcontainers.NewDockerProvider()
	if err == nil {
		if err = p.Health(ctx); err != nil {
			p.Close()
		}
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNoDocker, err)
	}
	return p, nil
}

// ErrNoDocker means no Docker engine answered.
var ErrNoDocker = errors.New("no Docker engine answers (template deploy runs the user_data in a container: start Docker, or set DOCKER_HOST)")
