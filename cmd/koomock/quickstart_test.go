package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const quickstartDoc = "../../docs/quickstart.md"

// quickstartToken is the placeholder docs/quickstart.md uses for the token the container's banner prints.
const quickstartToken = "the-token-from-the-banner"

// quickstartGoSubstitutions are the differences koomocktc/quickstart_test.go may have from the Go test
// docs/quickstart.md prints.
var quickstartGoSubstitutions = [][2]string{
	{"package myservice_test", "package koomocktc_test"},
	{"testcontainers.SkipIfProviderIsNotHealthy(t)", "requireDocker(t)"},
	{"koomocktc.Run(ctx)", "koomocktc.Run(ctx, koomocktc.WithImage(image(t, koomockImage)))"},
}

// quickstartBlocks returns the command lines of the quickstart's sh blocks, in order, and its Go block.
func quickstartBlocks(t *testing.T) (lines []docCurl, goCode string) {
	t.Helper()
	f, err := os.Open(quickstartDoc)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	lang, n := "", 0
	var code strings.Builder
	for sc.Scan() {
		line := sc.Text()
		n++
		switch {
		case strings.HasPrefix(line, "```") && lang == "":
			lang = strings.TrimPrefix(line, "```")
		case strings.HasPrefix(line, "```"):
			lang = ""
		case lang == "go":
			code.WriteString(line + "\n")
		case lang == "sh" && strings.TrimSpace(line) != "" && !strings.HasPrefix(line, "#"):
			lines = append(lines, docCurl{where: fmt.Sprintf("quickstart.md:%d", n), cmd: line})
		}
	}
	return lines, code.String()
}

// TestQuickstartGoTestIsPrinted: the quickstart's Go test is koomocktc/quickstart_test.go, which the
// container tests run, but for the substitutions that file's header names.
func TestQuickstartGoTestIsPrinted(t *testing.T) {
	_, code := quickstartBlocks(t)
	if code == "" {
		t.Fatal("docs/quickstart.md has no Go block")
	}
	for _, s := range quickstartGoSubstitutions {
		if !strings.Contains(code, s[0]) {
			t.Errorf("the quickstart's Go test lacks %q", s[0])
		}
		code = strings.Replace(code, s[0], s[1], 1)
	}
	raw, err := os.ReadFile("../../koomocktc/quickstart_test.go")
	if err != nil {
		t.Fatal(err)
	}
	file := string(raw)
	file = file[strings.Index(file, "\npackage ")+1:]
	if file != code {
		t.Errorf("koomocktc/quickstart_test.go is not docs/quickstart.md's Go test; want:\n%s", code)
	}
}

// TestQuickstartCommandsWorkAsPrinted runs every command of docs/quickstart.md in order, as printed:
// koomock's in-process (serve with only its database moved to a temporary directory and its address
// to a free port, which curl is led to as the docs-curl test does), each curl with the real curl. What
// needs Docker has a stand-in that checks what can be checked here: `make` targets exist (make -n),
// `docker run` and `docker compose up` start the koomock the image would (guarded by a token, beside a
// reference seller) for the commands that follow, the compose file exists, and `go test -run` names a
// test that exists (the container tests run it).
func TestQuickstartCommandsWorkAsPrinted(t *testing.T) {
	lines, _ := quickstartBlocks(t)
	if len(lines) < 10 {
		t.Fatalf("found only %d commands in docs/quickstart.md", len(lines))
	}
	vars := map[string]string{}
	var stop func() int
	var sh *curlShell
	defer func() {
		if stop != nil {
			stop()
		}
	}()
	// serve starts the koomock the next commands talk to, in place of the one before.
	serve := func(where string, args ...string) {
		t.Helper()
		if stop != nil {
			stop()
		}
		env := map[string]string{"KOOMOCK_DB": filepath.Join(t.TempDir(), "koomock.db")}
		for k, v := range vars {
			env[k] = v
		}
		api, out, s := startServeEnv(t, env, args...)
		stop = s
		sh = newCurlShell(t, api.BaseURL, "")
		t.Logf("%s: koomock serve %s at %s", where, strings.Join(args, " "), api.BaseURL)
		if len(args) == 0 && !strings.Contains(out.String(), bundledSellerNote) {
			t.Errorf("%s: serve with no seller URL does not name the bundled seller:\n%s", where, out)
		}
	}
	for _, l := range lines {
		cmd := strings.ReplaceAll(l.cmd, "http://localhost:8081/produce", referenceSeller(t, nil))
		words := shellWords(t, l.where, cmd, vars)
		switch {
		case len(words) == 0:
			t.Errorf("%s: nothing to run: %s", l.where, l.cmd)
		case words[0] == "export":
			k, v, _ := strings.Cut(words[1], "=")
			vars[k] = v
		case words[0] == "curl":
			if sh == nil {
				t.Errorf("%s: a curl before any koomock runs", l.where)
				continue
			}
			sh.env = nil
			for k, v := range vars {
				sh.env = append(sh.env, k+"="+v)
			}
			status, body, err := sh.run(cmd)
			if err != nil || status < 200 || status > 299 || strings.Contains(body, `"outcome":"fail"`) {
				t.Errorf("%s: HTTP %d %s %v", l.where, status, body, err)
			}
		case len(words) > 3 && strings.Join(words[:3], " ") == "go run ./cmd/koomock" && words[3] == "serve":
			serve(l.where, words[4:]...)
		case len(words) > 3 && strings.Join(words[:3], " ") == "go run ./cmd/koomock":
			args := words[3:]
			for i, a := range args {
				if a == "http://127.0.0.1:8080" && sh != nil {
					args[i] = "http://" + strings.TrimPrefix(sh.connectTo[1], "127.0.0.1:8080:")
				}
			}
			if code, out, errOut := cli(t, vars, args...); code != exitOK {
				t.Errorf("%s: exit %d\n%s\n%s", l.where, code, out, errOut)
			}
		case words[0] == "make":
			c := exec.Command("make", append([]string{"-n"}, words[1:]...)...)
			c.Dir = "../.."
			if out, err := c.CombinedOutput(); err != nil {
				t.Errorf("%s: make -n: %v\n%s", l.where, err, out)
			}
		case words[0] == "docker" && words[1] == "run":
			if words[len(words)-1] != "koomock" || !strings.Contains(cmd, "-p 127.0.0.1:8080:8080") {
				t.Errorf("%s: want the image koomock (make docker-build's) on 127.0.0.1:8080: %s", l.where, cmd)
			}
			serve(l.where, "--admin-token", quickstartToken)
		case words[0] == "docker" && words[1] == "compose":
			if _, err := os.Stat(filepath.Join("../..", words[3])); words[2] != "-f" || err != nil {
				t.Errorf("%s: no compose file: %s (%v)", l.where, cmd, err)
			}
			if words[len(words)-2] == "up" {
				serve(l.where, "--seller-url", referenceSeller(t, nil))
			}
		case len(words) == 5 && words[0] == "go" && words[1] == "test" && words[2] == "-run":
			if !hasTestFunc(t, filepath.Join("../..", words[4]), words[3]) {
				t.Errorf("%s: no %s in %s", l.where, words[3], words[4])
			}
		default:
			t.Errorf("%s: no way to test this command: %s", l.where, l.cmd)
		}
	}
}

// shellWords splits a command line as sh does, expanding vars.
func shellWords(t *testing.T, where, cmd string, vars map[string]string) []string {
	t.Helper()
	c := exec.Command("sh", "-c", `printf '%s\0' `+cmd)
	for k, v := range vars {
		c.Env = append(c.Env, k+"="+v)
	}
	out, err := c.Output()
	if err != nil {
		t.Fatalf("%s: sh cannot read %s: %v", where, cmd, err)
	}
	return strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
}

// hasTestFunc tells whether a package's test files declare the test.
func hasTestFunc(t *testing.T, dir, name string) bool {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*_test.go"))
	re := regexp.MustCompile(`(?m)^func ` + regexp.QuoteMeta(name) + `\(t \*testing\.T\)`)
	for _, f := range files {
		if raw, err := os.ReadFile(f); err == nil && re.Match(raw) {
			return true
		}
	}
	return false
}
