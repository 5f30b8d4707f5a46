package runner

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// The license client contract (docs/license-client.md). koomock runs the seller's license client once
// per use of the software (a day's first start), with these environment variables, and reads its
// decision from a marker line on its output or from its exit status.
const (
	// EnvURL is KooGallery's base URL: koomock's, in place of https://mkt.myhuaweicloud.com.
	EnvURL = "KOOMOCK_URL"
	// EnvAK and EnvSK are the access key and secret to sign the license API calls with.
	EnvAK = "KOOMOCK_AK"
	EnvSK = "KOOMOCK_SK"
	// EnvLicenseCode is the license code the buyer gave the software.
	EnvLicenseCode = "KOOMOCK_LICENSE_CODE"
	// EnvStateDir is a directory of the scenario's own, kept across its runs of the client: a client
	// that remembers its activation should keep it there, so scenarios side by side do not share it.
	EnvStateDir = "KOOMOCK_STATE_DIR"
	// CodePlaceholder in a client command is replaced by the license code, shell-quoted.
	CodePlaceholder = "{code}"
	// MarkerBlocked on a line of output: the software blocked the user.
	MarkerBlocked = "KOOMOCK-LICENSE-BLOCKED"
	// MarkerOK on a line of output: the software checked the license and runs; koomock need not wait
	// for it to exit.
	MarkerOK = "KOOMOCK-LICENSE-OK"
)

// DefaultClientWait is how long koomock waits for the client's decision (a marker or its exit).
const DefaultClientWait = 30 * time.Second

// stopGrace is how long a client gets to exit after koomock has its decision or stops waiting.
const stopGrace = 2 * time.Second

// LicenseClient is the seller's license client.
type LicenseClient interface {
	// Run runs the client once with env added to its environment and the license code, writing its
	// output to out, until it exits or ctx is done. It returns the exit status, or an error when the
	// client could not be run at all.
	Run(ctx context.Context, code string, env map[string]string, out io.Writer) (exit int, err error)
	// String describes the client in messages.
	String() string
}

// Command is a license client run as a shell command (sh -c), {code} replaced by the license code.
type Command string

// String implements LicenseClient.
func (c Command) String() string { return string(c) }

// Run implements LicenseClient. The command runs in its own process group, which is stopped (SIGTERM,
// then SIGKILL) when ctx is done, so nothing it started outlives the scenario.
func (c Command) Run(ctx context.Context, code string, env map[string]string, out io.Writer) (int, error) {
	script := strings.ReplaceAll(string(c), CodePlaceholder, shellQuote(code))
	cmd := exec.CommandContext(ctx, "sh", "-c", script)
	cmd.Env = os.Environ()
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Stdout, cmd.Stderr = out, out
	ownProcessGroup(cmd)
	cmd.WaitDelay = stopGrace
	err := cmd.Run()
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return 0, nil
	case errors.As(err, &exitErr) && exitErr.ExitCode() >= 0:
		if code := exitErr.ExitCode(); code == 126 || code == 127 {
			return code, fmt.Errorf("the license client command %q could not be run (sh exit %d: not found or not executable)", string(c), code)
		}
		return exitErr.ExitCode(), nil
	case ctx.Err() != nil:
		return -1, nil // stopped by koomock
	}
	return -1, fmt.Errorf("run the license client command %q: %w", string(c), err)
}

// shellQuote quotes s for sh.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// ClientFunc is a license client run in-process through the same contract: it reads the contract's
// variables with getenv and returns its exit status. koomock runs its bundled reference client this
// way, so that `koomock verify` needs neither a build step nor a Go toolchain.
type ClientFunc struct {
	Name string
	Main func(ctx context.Context, getenv func(string) string, stdout, stderr io.Writer) int
}

// String implements LicenseClient.
func (f ClientFunc) String() string { return f.Name }

// Run implements LicenseClient. A client that ignores ctx is left to finish on its own.
func (f ClientFunc) Run(ctx context.Context, code string, env map[string]string, out io.Writer) (int, error) {
	getenv := func(k string) string {
		if v, ok := env[k]; ok {
			return v
		}
		return os.Getenv(k)
	}
	return f.Main(ctx, getenv, out, out), nil
}

// clientRun is what one run of the license client showed.
type clientRun struct {
	// Blocked: a MarkerBlocked line, or a non-zero exit.
	Blocked bool
	// Exited and Exit: the client exited by itself, with that status.
	Exited bool
	Exit   int
	// Lingered: koomock stopped waiting before the client decided (no marker, no exit).
	Lingered bool
	// Output is the end of what the client printed.
	Output string
	Took   time.Duration
}

// describe says what the run did, for failure messages.
func (r clientRun) describe() string {
	var what string
	switch {
	case r.Lingered:
		what = fmt.Sprintf("was still running after %s without printing %s or %s", r.Took.Round(time.Millisecond), MarkerOK, MarkerBlocked)
	case r.Exited:
		what = fmt.Sprintf("exited with status %d after %s", r.Exit, r.Took.Round(time.Millisecond))
	default:
		what = fmt.Sprintf("printed its decision after %s", r.Took.Round(time.Millisecond))
	}
	if out := strings.TrimSpace(r.Output); out != "" {
		what += "; its output ends:\n    " + strings.ReplaceAll(out, "\n", "\n    ")
	}
	return what
}

// runClient runs the client until it decides (a marker, or its exit) or wait passes, then stops it.
func runClient(ctx context.Context, client LicenseClient, code string, env map[string]string, wait time.Duration) (clientRun, error) {
	if wait <= 0 {
		wait = DefaultClientWait
	}
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	out := newMarkerWriter()
	type result struct {
		exit int
		err  error
	}
	done := make(chan result, 1)
	start := time.Now()
	go func() {
		exit, err := client.Run(runCtx, code, env, out)
		done <- result{exit, err}
	}()
	timer := time.NewTimer(wait)
	defer timer.Stop()
	var run clientRun
	select {
	case res := <-done:
		if res.err != nil {
			return run, res.err
		}
		run.Exited, run.Exit = true, res.exit
	case <-out.decided:
	case <-timer.C:
		run.Lingered = true
	case <-ctx.Done():
		return run, ctx.Err()
	}
	run.Took = time.Since(start)
	if !run.Exited {
		cancel()
		select {
		case <-done:
		case <-time.After(stopGrace):
			// An in-process client that ignores its context keeps running; koomock does not wait for it.
		}
	}
	blocked, _ := out.markers()
	run.Blocked = blocked || (run.Exited && run.Exit != 0)
	run.Output = out.tail()
	return run, nil
}

// markerWriter collects a client's output and signals the first marker line.
type markerWriter struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	line    []byte
	blocked bool
	ok      bool
	decided chan struct{}
	once    sync.Once
}

func newMarkerWriter() *markerWriter { return &markerWriter{decided: make(chan struct{})} }

// maxOutput caps the output kept for messages.
const maxOutput = 4 << 10

func (w *markerWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if w.buf.Len() > 4*maxOutput {
		tail := append([]byte(nil), w.buf.Bytes()[w.buf.Len()-maxOutput:]...)
		w.buf.Reset()
		w.buf.Write(tail)
	}
	for _, b := range p {
		if b != '\n' {
			w.line = append(w.line, b)
			continue
		}
		w.scan(w.line)
		w.line = w.line[:0]
	}
	if len(w.line) > 0 {
		w.scan(w.line) // a marker without a newline yet counts too
	}
	return len(p), nil
}

func (w *markerWriter) scan(line []byte) {
	switch {
	case bytes.Contains(line, []byte(MarkerBlocked)):
		w.blocked = true
	case bytes.Contains(line, []byte(MarkerOK)):
		w.ok = true
	default:
		return
	}
	w.once.Do(func() { close(w.decided) })
}

func (w *markerWriter) markers() (blocked, ok bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.blocked, w.ok
}

func (w *markerWriter) tail() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	b := w.buf.Bytes()
	if len(b) > maxOutput {
		b = b[len(b)-maxOutput:]
	}
	return string(b)
}
