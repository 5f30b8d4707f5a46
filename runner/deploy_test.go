package runner_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/examples/licenseclient/clienttest"
	"github.com/koomock/koomock/mock/mocktest"
	"github.com/koomock/koomock/runner"
)

// deployKit is the reference License client's deploy kit (examples/licenseclient/deploy).
const deployKit = "../examples/licenseclient/deploy/"

// The lines of the reference template the broken variants change.
const (
	installLine = `./install.sh "${var.koogallery_url}" "${var.license_code}"`
	decodedURL  = `jsondecode("\"${local.software_url}\"")`
)

func readKit(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(deployKit + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// clientPackage is the reference License client packaged as a seller would, with its deploy kit's
// install and start scripts: licenseclient_linux.tar.gz.
func clientPackage(t *testing.T) string {
	t.Helper()
	pkg, err := clienttest.Package(t.TempDir(), deployKit)
	if err != nil {
		t.Fatal(err)
	}
	return pkg
}

// templateFile is the reference template as the seller keeps it (asset_id still ASSET_ID, which the
// scenarios replace), with old replaced by new, in main.tf.
func templateFile(t *testing.T, old, new string) string {
	t.Helper()
	src := readKit(t, "main.tf.example")
	if old != "" {
		if !strings.Contains(src, old) {
			t.Fatalf("main.tf.example has no %q", old)
		}
		src = strings.ReplaceAll(src, old, new)
	}
	path := filepath.Join(t.TempDir(), "main.tf")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// runDeploy plays the @deploy scenarios matching tags with the kit against a koomock of its own, on a
// virtual clock standing at the real time (the container's software signs with its own clock).
func runDeploy(t *testing.T, tags string, kit *runner.DeployKit) (*runner.Result, string) {
	t.Helper()
	m := mocktest.New(t, mocktest.Options{NoSeller: true, Start: time.Now().UTC()})
	profile, err := runner.ParseProfile("license")
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	res, err := runner.Run(context.Background(), runner.Options{MockURL: m.URL, Profile: profile, Tags: tags, Output: &out, Concurrency: 3, Deploy: kit})
	if err != nil {
		t.Fatal(err)
	}
	return res, out.String()
}

// TestDeployScenariosSkipWithoutAKit: without --deploy-package and --deploy-template the @deploy
// scenarios skip, saying what they need, and the run passes.
func TestDeployScenariosSkipWithoutAKit(t *testing.T) {
	res, out := runDeploy(t, runner.TagDeploy, nil)
	_, _, skipped := res.Classes()
	if res.Status != runner.ExitPassed || skipped != 3 || !strings.Contains(out, "needs --deploy-package and --deploy-template") {
		t.Fatalf("status %d, %d skipped:\n%s", res.Status, skipped, out)
	}
}

// TestDeployCatchesAnUndecodedInternalPath: a template whose user_data downloads internal_path still
// JSON-escaped fails the template scenario, naming the rule; the asset scenario passes. No container
// runs (~@slow).
func TestDeployCatchesAnUndecodedInternalPath(t *testing.T) {
	kit := &runner.DeployKit{Package: clientPackage(t), Template: templateFile(t, decodedURL, "local.software_url")}
	res, out := runDeploy(t, runner.TagDeploy+" && ~@slow", kit)
	ran, failed := res.Scenarios()
	if res.Status != runner.ExitFailed || ran != 2 || failed != 1 || !slices.Contains(brokenRules(res), koomock.RuleTemplateDecoded) {
		t.Fatalf("status %d, %d of %d failed, rules %v; want template.internalPathDecoded broken:\n%s", res.Status, failed, ran, brokenRules(res), out)
	}
	if !strings.Contains(out, "main.tf:") {
		t.Errorf("the failure does not name the template's file and line:\n%s", out)
	}
}

// TestDeployTemplateScenariosPassForTheReferenceClient: the reference client's package and template
// pass the asset and template scenarios, with no container (~@slow).
func TestDeployTemplateScenariosPassForTheReferenceClient(t *testing.T) {
	kit := &runner.DeployKit{Package: clientPackage(t), Template: templateFile(t, "", "")}
	res, out := runDeploy(t, runner.TagDeploy+" && ~@slow", kit)
	if ran, failed := res.Scenarios(); res.Status != runner.ExitPassed || ran != 2 || failed != 0 {
		t.Fatalf("status %d, %d of %d failed:\n%s", res.Status, failed, ran, out)
	}
}
