//go:build nodeploy

package runner_test

import (
	"strings"
	"testing"

	"github.com/koomock/koomock/runner"
)

// TestDeployNotInThisBuild: the container image's build (-tags nodeploy) runs the asset and template
// scenarios, and skips the deployment, saying to run verify from the host.
func TestDeployNotInThisBuild(t *testing.T) {
	kit := &runner.DeployKit{Package: clientPackage(t), Template: templateFile(t, "", "")}
	res, out := runDeploy(t, runner.TagDeploy, kit)
	ran, failed := res.Scenarios()
	_, _, skipped := res.Classes()
	if res.Status != runner.ExitPassed || ran != 2 || failed != 0 || skipped != 1 || !strings.Contains(out, "not in this build: run verify from the host") {
		t.Fatalf("status %d, %d of %d failed, %d skipped:\n%s", res.Status, failed, ran, skipped, out)
	}
}
