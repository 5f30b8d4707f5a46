package deploy

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/wait"

	"github.com/koomock/koomock/koomocktc"
)

// UserDataPath is where the server's user_data is put, as cloud-init keeps it on an ECS.
const UserDataPath = "/var/lib/cloud/instance/user-data.txt"

// exitMarker is the line the container prints once the user_data has run, with its exit code.
const exitMarker = "KOOMOCK-USERDATA-EXIT="

var exitLine = regexp.MustCompile(exitMarker + `(\d+)`)

// runner is the shell wrapper the container starts: run the script (its #! line, or sh without
// one), print its exit code, and stay up for the software it started.
const runner = UserDataPath + `; echo "` + exitMarker + `$?"; while :; do sleep 3600; done`

// server is the buyer's server: a container that has run the user_data.
type server struct {
	ctr *testcontainers.DockerContainer
	// exit is the user_data's exit code.
	exit int
}

// lineWriter prefixes each line of the container's output.
type lineWriter struct {
	mu     sync.Mutex
	w      io.Writer
	prefix string
	hide   []string
}

// Accept implements testcontainers.LogConsumer.
func (l *lineWriter) Accept(log testcontainers.Log) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, line := range strings.Split(strings.TrimRight(string(log.Content), "\n"), "\n") {
		if strings.Contains(line, exitMarker) {
			continue
		}
		fmt.Fprintf(l.w, "%s%s\n", l.prefix, mask(line, l.hide))
	}
}

// mask replaces the secrets in s; one under four characters is no secret worth garbling every line for
// (KooGallery's ECS passwords have eight at least).
func mask(s string, secrets []string) string {
	for _, v := range secrets {
		if len(v) >= 4 {
			s = strings.ReplaceAll(s, v, "******")
		}
	}
	return s
}

// runUserData starts image with the script as its user_data and waits (at most timeout) for the
// script to finish. The container is returned running, for the caller to terminate.
// missing says the engine lacks the image, so that a failure to start is put as a failed pull.
func runUserData(ctx context.Context, image, script string, timeout time.Duration, out *lineWriter, missing bool) (*server, error) {
	req := testcontainers.GenericContainerRequest{Started: true, ContainerRequest: testcontainers.ContainerRequest{
		Image:      image,
		Entrypoint: []string{"/bin/sh", "-c", runner},
		Files:      []testcontainers.ContainerFile{{Reader: strings.NewReader(script), ContainerFilePath: UserDataPath, FileMode: 0o755}},
		HostConfigModifier: func(hc *container.HostConfig) {
			hc.ExtraHosts = append(hc.ExtraHosts, koomocktc.HostGateway+":host-gateway")
		},
		WaitingFor:     wait.ForLog(exitMarker).WithStartupTimeout(timeout).WithPollInterval(100 * time.Millisecond),
		LogConsumerCfg: &testcontainers.LogConsumerConfig{Consumers: []testcontainers.LogConsumer{out}},
		Labels:         map[string]string{"koomock.deploy": "user_data"},
	}}
	ctr, err := testcontainers.GenericContainer(ctx, req)
	dc, _ := ctr.(*testcontainers.DockerContainer)
	if err != nil {
		logs := ""
		if dc != nil {
			logs = tail(ctx, dc)
			dc.Terminate(context.WithoutCancel(ctx), testcontainers.StopTimeout(0))
		}
		if strings.Contains(err.Error(), "context deadline exceeded") && ctx.Err() == nil {
			return nil, fmt.Errorf("the user_data did not finish within %s%s", timeout, logs)
		}
		if missing {
			return nil, fmt.Errorf("the Docker engine has no image %s, and pulling it failed (build or load it first, or leave --image out for koomock's busybox image): %w", image, err)
		}
		return nil, fmt.Errorf("image %s cannot run the user_data (it needs /bin/sh; the default image has it): %w%s", image, err, logs)
	}
	s := &server{ctr: dc, exit: -1}
	rc, err := dc.Logs(ctx)
	if err != nil {
		return s, err
	}
	defer rc.Close()
	var buf bytes.Buffer
	io.Copy(&buf, rc)
	m := exitLine.FindSubmatch(buf.Bytes())
	if m == nil {
		return s, errors.New("the container's output lost the user_data's exit code")
	}
	s.exit, _ = strconv.Atoi(string(m[1]))
	return s, nil
}

// tail is the end of a container's output, for an error.
func tail(ctx context.Context, c *testcontainers.DockerContainer) string {
	rc, err := c.Logs(context.WithoutCancel(ctx))
	if err != nil {
		return ""
	}
	defer rc.Close()
	b, _ := io.ReadAll(io.LimitReader(rc, 64<<10))
	s := strings.TrimSpace(string(b))
	if s == "" {
		return ""
	}
	if len(s) > 2000 {
		s = "…" + s[len(s)-2000:]
	}
	return "\ncontainer output:\n" + s
}
