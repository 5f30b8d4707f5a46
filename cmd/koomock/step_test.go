package main

import (
	"bufio"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/koomock/koomock/examples/seller"
	"github.com/koomock/koomock/examples/seller/sellertest"
	"github.com/koomock/koomock/fixtures"
)

// cliIn runs koomock in-process with stdin.
func cliIn(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb syncBuffer
	e := &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb,
		getenv: func(string) string { return "" }, lookupEnv: func(string) (string, bool) { return "", false }}
	code := run(context.Background(), e, args)
	return code, out.String(), errb.String()
}

func TestStepThroughReadsKeys(t *testing.T) {
	t.Run("enter, skip, quit", func(t *testing.T) {
		code, out, errOut := cliIn(t, "\ns\nq\n", "verify", "--tags", "@failure && ~@exclusive && ~@license", "--step", "--seed", "1")
		if code != exitUsage {
			t.Fatalf("exit %d, want %d (stopped before the end)\n%s\n%s", code, exitUsage, out, errOut)
		}
		for _, want := range []string{"▶ Scenario: ", "next step: ", "last exchange: none yet in this scenario",
			"[Enter] run it · s skip the rest of the scenario · q quit > ", "✓ passed in", "re-send it while paused: koomock replay ",
			"skipping the rest of this scenario", "quitting: the remaining scenarios are skipped",
			"You stopped stepping through before the end", "skipped 2: not run: you quit stepping through (q)"} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
		if n := strings.Count(out, "next step: "); n != 3 {
			t.Errorf("paused %d times, want 3 (run, skip, quit):\n%s", n, out)
		}
	})
	t.Run("enter through everything", func(t *testing.T) {
		code, out, errOut := cliIn(t, strings.Repeat("\n", 40), "verify", "--tags", "@failure && ~@exclusive && ~@license", "--step", "--concurrency", "4")
		if code != exitOK || !strings.Contains(out, "4 scenarios, 4 passed, 0 failed") {
			t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
		}
		if strings.Count(out, "next step: ") != 17 {
			t.Errorf("paused %d times, want once per step (17)", strings.Count(out, "next step: "))
		}
	})
	t.Run("a slow seller fails where the step says", func(t *testing.T) {
		slow, _ := sellertest.Lookup("slow")
		url := referenceSeller(t, slow.Handler(seller.Config{AccessKey: fixtures.DemoAccessKey}))
		code, out, _ := cliIn(t, strings.Repeat("\n", 40), "verify", "--seller-url", url, "--timeout", "300ms",
			"--tags", "@failure && @newInstance", "--step")
		if code != exitRule || !strings.Contains(out, "✗ failed in") || !strings.Contains(out, "answer.deadline") {
			t.Errorf("exit %d\n%s", code, out)
		}
	})
	t.Run("input ends", func(t *testing.T) {
		code, out, _ := cliIn(t, "", "verify", "--tags", "@failure", "--step")
		if code != exitUsage || !strings.Contains(out, "(input closed: stopping)") {
			t.Errorf("exit %d\n%s", code, out)
		}
	})
}

// TestStepThroughInTmux drives koomock verify --step in a real terminal: tmux runs it, send-keys
// types, the pane's output streams through a FIFO the test blocks on, and capture-pane reads the
// screen at the end.
func TestStepThroughInTmux(t *testing.T) {
	if testing.Short() {
		t.Skip("builds koomock and runs it under tmux")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed (apt-get install -y tmux; .ci/run installs it)")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "koomock")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	fifo := filepath.Join(dir, "pane")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(dir, "tmux.sock")
	tmux := func(args ...string) string {
		t.Helper()
		out, err := exec.Command("tmux", append([]string{"-S", sock, "-f", "/dev/null"}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("tmux %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	// The shell waits for a first Enter, so the pipe is in place before koomock prints anything; it
	// keeps the pane open after koomock exits so its exit code can be read.
	script := "read start; " + bin + " verify --tags @failure --step --seed 1; echo koomock exited $?; read end"
	tmux("new-session", "-d", "-s", "step", "-x", "150", "-y", "60", "sh", "-c", script)
	t.Cleanup(func() { exec.Command("tmux", "-S", sock, "kill-server").Run() })
	tmux("pipe-pane", "-t", "step", "-o", "cat >> "+fifo)

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	pane := newPaneReader(t, ctx, fifo)
	tmux("send-keys", "-t", "step", "Enter")

	// The terminal is in single-key mode: each choice is one key, with no Enter after it.
	pane.waitFor("next step: ")
	pane.waitFor("(one key) > ")
	tmux("send-keys", "-t", "step", "Enter") // run the first step
	pane.waitFor("✓ passed in")
	pane.waitFor("(one key) > ")
	tmux("send-keys", "-t", "step", "s") // skip the rest of the scenario
	pane.waitFor("skipping the rest of this scenario")
	pane.waitFor("(one key) > ")
	tmux("send-keys", "-t", "step", "q")
	pane.waitFor("koomock exited 2")

	screen := tmux("capture-pane", "-t", "step", "-p", "-S", "-")
	for _, want := range []string{"▶ Scenario: ", "You stopped stepping through before the end", "koomock exited 2"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the terminal does not show %q:\n%s", want, screen)
		}
	}
}

// paneReader collects what a tmux pane prints, read from a FIFO, and lets the test block until some
// text has appeared.
type paneReader struct {
	t      *testing.T
	ctx    context.Context
	chunks chan string
	seen   strings.Builder
}

func newPaneReader(t *testing.T, ctx context.Context, fifo string) *paneReader {
	p := &paneReader{t: t, ctx: ctx, chunks: make(chan string)}
	go func() {
		f, err := os.Open(fifo) // blocks until tmux's cat opens the other end
		if err != nil {
			close(p.chunks)
			return
		}
		defer f.Close()
		r := bufio.NewReader(f)
		buf := make([]byte, 4096)
		for {
			n, err := r.Read(buf)
			if n > 0 {
				select {
				case p.chunks <- string(buf[:n]):
				case <-ctx.Done():
					return
				}
			}
			if err != nil {
				if err != io.EOF {
					t.Log("pane:", err)
				}
				close(p.chunks)
				return
			}
		}
	}()
	return p
}

// waitFor blocks until text appears in the pane after what earlier waits consumed.
func (p *paneReader) waitFor(text string) {
	p.t.Helper()
	for {
		s := p.seen.String()
		if i := strings.Index(s, text); i >= 0 {
			rest := s[i+len(text):]
			p.seen.Reset()
			p.seen.WriteString(rest)
			return
		}
		select {
		case c, ok := <-p.chunks:
			if !ok {
				p.t.Fatalf("the pane closed before %q appeared; it showed:\n%s", text, s)
			}
			p.seen.WriteString(c)
		case <-p.ctx.Done():
			p.t.Fatalf("%q did not appear in the pane; it showed:\n%s", text, s)
		}
	}
}
