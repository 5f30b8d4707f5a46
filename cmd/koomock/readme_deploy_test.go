package main

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/koomock/koomock/deploy"
)

// readmeDeployFlow returns the README's seller flow for License software with automatic deployment:
// the sh block after the deploy-flow marker.
func readmeDeployFlow(t *testing.T) string {
	t.Helper()
	f, err := os.Open("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	var lines []string
	state := 0 // 0 before the marker, 1 before the fence, 2 in the block
	for sc.Scan() {
		line := sc.Text()
		switch {
		case state == 0 && strings.HasPrefix(line, "<!-- deploy-flow"):
			state = 1
		case state == 1 && strings.HasPrefix(line, "```"):
			state = 2
		case state == 2 && strings.HasPrefix(line, "```"):
			return strings.Join(lines, "\n")
		case state == 2:
			lines = append(lines, line)
		}
	}
	t.Fatal("README.md has no deploy-flow block")
	return ""
}

// TestREADMEDeployFlowWorksAsPrinted runs the README's seller flow (package the reference License
// client, asset add, template check --attach, buy, template deploy, verify's @deploy scenarios)
// through sh against koomock serve, with the koomock just built on PATH. Only where the commands lead
// is changed: the scratch directory and koomock's address (KOOMOCK_MOCK_URL, and the buy's URL).
func TestREADMEDeployFlowWorksAsPrinted(t *testing.T) {
	if testing.Short() {
		t.Skip("builds koomock and the license client, and runs a container")
	}
	t.Setenv("TESTCONTAINERS_RYUK_DISABLED", "true")
	skip := t.Skipf
	if os.Getenv("KOOMOCK_REQUIRE_DOCKER") != "" {
		skip = t.Fatalf
	}
	if _, err := deploy.BuildImage(context.Background(), ""); errors.Is(err, deploy.ErrNoDocker) || errors.Is(err, deploy.ErrNoBusybox) {
		skip("template deploy cannot run here: %v", err)
	} else if err != nil {
		t.Fatal(err)
	}
	block := readmeDeployFlow(t)
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	if out, err := exec.Command("go", "build", "-o", filepath.Join(bin, "koomock"), ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	api, _, stop := startServe(t, "--db", ":memory:")
	defer stop()
	block = strings.ReplaceAll(block, "/tmp/licenseclient-deploy", filepath.Join(dir, "work"))
	block = strings.ReplaceAll(block, "http://127.0.0.1:8080", api.BaseURL)
	cmd := exec.Command("sh", "-e", "-c", block)
	cmd.Dir = "../.."
	cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "KOOMOCK_MOCK_URL="+api.BaseURL)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "deployed: the software activated license code PL") {
		t.Fatalf("the README's deploy flow: %v\n%s", err, out)
	}
	if strings.Contains(string(out), "Buyer-Pass-1!") {
		t.Errorf("the buyer's password is printed:\n%s", out)
	}
	codes, err := api.LicenseCodeList(context.Background())
	activated := 0
	for _, c := range codes {
		if c.Activated && c.HeartbeatSeen && c.TestFlag == "" {
			activated++
		}
	}
	// One by template deploy, one by verify's @deploy scenario, which must all have run and passed.
	if err != nil || activated != 2 {
		t.Errorf("koomock saw %d bought codes activated and checked (%v), want 2", activated, err)
	}
	if !strings.Contains(string(out), "3 scenarios, 3 passed, 0 failed") {
		t.Errorf("verify's @deploy scenarios did not all run and pass:\n%s", out)
	}
}
