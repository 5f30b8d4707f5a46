//go:build !nodeploy

package runner_test

import (
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/deploy"
	"github.com/koomock/koomock/runner"
)

// requireDockerVar, set (as .ci/run sets it), makes a missing engine or busybox fail the container
// tests instead of skipping them.
const requireDockerVar = "KOOMOCK_REQUIRE_DOCKER"

// requireDocker skips (or in CI fails) a test when no Docker engine answers or no static busybox is
// there to build the deploy image from, as deploy's own tests do.
func requireDocker(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("deploy: container tests do not run under -short")
	}
	skip := t.Skipf
	if os.Getenv(requireDockerVar) != "" {
		skip = t.Fatalf
	}
	if _, set := os.LookupEnv("TESTCONTAINERS_RYUK_DISABLED"); !set {
		t.Setenv("TESTCONTAINERS_RYUK_DISABLED", "true") // nothing can be pulled; the deployer removes its containers
	}
	if _, err := deploy.FindBusybox(); err != nil {
		skip("deploy: %v", err)
	}
	_, err := deploy.BuildImage(context.Background(), "")
	if errors.Is(err, deploy.ErrNoDocker) {
		skip("deploy: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// TestDeployScenariosPassForTheReferenceClient: the reference License client, packaged as an asset
// with its template, passes every @deploy scenario: uploaded, checked, bought, deployed in a
// container, activated and its status checked.
func TestDeployScenariosPassForTheReferenceClient(t *testing.T) {
	requireDocker(t)
	kit := &runner.DeployKit{Package: clientPackage(t), Template: templateFile(t, "", ""), ActivationTimeout: 2 * time.Minute}
	res, out := runDeploy(t, runner.TagDeploy, kit)
	ran, failed := res.Scenarios()
	if _, _, skipped := res.Classes(); res.Status != runner.ExitPassed || ran != 3 || failed != 0 || skipped != 0 {
		t.Fatalf("status %d, %d of %d failed, %d skipped:\n%s", res.Status, failed, ran, skipped, out)
	}
}

// TestDeployCatchesAFailingInstallScript: a package whose install exits 1 fails the deployment
// scenario, naming deploy.install, with the script's output; the software then never activates.
func TestDeployCatchesAFailingInstallScript(t *testing.T) {
	requireDocker(t)
	kit := &runner.DeployKit{Package: clientPackage(t), Template: templateFile(t, installLine, "echo the install failed >&2; exit 1"), ActivationTimeout: time.Second}
	res, out := runDeploy(t, runner.TagDeploy+" && @slow", kit)
	rules := brokenRules(res)
	if res.Status != runner.ExitFailed || !slices.Contains(rules, koomock.RuleDeployInstall) || slices.Contains(rules, koomock.RuleDeployDownload) {
		t.Fatalf("status %d, rules %v; want %s broken, the download passed:\n%s", res.Status, rules, koomock.RuleDeployInstall, out)
	}
	if !strings.Contains(out, "exited with 1") || !strings.Contains(out, "the install failed") {
		t.Errorf("the failure does not show the exit code and the script's output:\n%s", out)
	}
}
