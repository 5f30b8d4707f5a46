package deploy_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/deploy"
	"github.com/koomock/koomock/template"
)

// startClient is the install line of a correct package: the client starts in the background with
// the License API's URL and the buyer's code.
const startClient = `./install.sh "${var.koogallery_url}" "${var.license_code}"`

// activationTimeout bounds the wait for the client's activation: real container time on a loaded
// machine; the wait ends as soon as koomock has seen it.
const activationTimeout = 2 * time.Minute

func load(t *testing.T, path string) *template.Module {
	t.Helper()
	m, err := template.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func buy(t *testing.T, api *controlapi.Client) string {
	t.Helper()
	got, err := api.BuyLicense(context.Background(), controlapi.LicensePurchase{})
	if err != nil || len(got.Codes) != 1 {
		t.Fatalf("buy: %+v %v", got, err)
	}
	return got.Codes[0].Code
}

func steps(r deploy.Report) map[string]bool {
	out := map[string]bool{}
	for _, s := range r.Steps {
		out[s.Name] = s.OK
	}
	return out
}

// TestBuyDeployActivateHeartbeat: the reference License client, packaged as an asset with its
// template attached, is bought, deployed in a container, activates the buyer's code and checks its
// status; koomock's License API saw both, and the report never shows the buyer's password.
func TestBuyDeployActivateHeartbeat(t *testing.T) {
	image := requireDocker(t)
	api := newKoomock(t)
	ctx := context.Background()
	asset, tf := seller(t, api, startClient)
	m := load(t, tf)
	findings, err := template.Check(ctx, m, func(ctx context.Context, id string) (koomock.Asset, bool, error) {
		a, err := api.Asset(ctx, id)
		return a, err == nil, nil
	})
	if err != nil || len(findings) != 0 {
		t.Fatalf("the seller's template does not pass template check: %+v %v", findings, err)
	}
	code := buy(t, api)
	var out bytes.Buffer
	rep, err := deploy.Deploy(ctx, m, deploy.Options{Client: api, Image: image, ActivationTimeout: activationTimeout, Out: &out,
		Inputs: map[string]string{"ecs_password": "Buyer-Pass-1!", "license_code": code}})
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	want := map[string]bool{"data source": true, "download": true, "checksum": true, "install": true, "activation": true, "heartbeat": true}
	if got := steps(rep); !rep.Passed() || len(got) != len(want) || rep.Code != code {
		t.Fatalf("report %+v, want every step of %v passed for %s\n%s", rep.Steps, want, code, out.String())
	}
	detail, err := api.LicenseCode(ctx, code)
	if err != nil || !detail.Code.Activated || !detail.Code.HeartbeatSeen {
		t.Errorf("koomock's code %+v %v", detail.Code, err)
	}
	if strings.Contains(out.String(), "Buyer-Pass-1!") || !strings.Contains(out.String(), asset.ID) {
		t.Errorf("the report shows the password, or not the asset:\n%s", out.String())
	}
}

// TestFailures: an install script that fails is a failed step, and so is a software that never
// activates; a template naming an asset koomock lacks fails at the data source, before any container.
func TestFailures(t *testing.T) {
	image := requireDocker(t)
	api := newKoomock(t)
	ctx := context.Background()
	_, tf := seller(t, api, "echo the install failed >&2; exit 3")
	var out bytes.Buffer
	rep, err := deploy.Deploy(ctx, load(t, tf), deploy.Options{Client: api, Image: image, ActivationTimeout: time.Second, Out: &out,
		Inputs: map[string]string{"ecs_password": "x", "license_code": buy(t, api)}})
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if got := steps(rep); rep.Passed() || !got["download"] || !got["checksum"] || got["install"] || got["activation"] {
		t.Errorf("report %+v\n%s", rep.Steps, out.String())
	}
	if !strings.Contains(out.String(), "exited with 3") || !strings.Contains(out.String(), "the install failed") {
		t.Errorf("the report does not show the exit code and the script's output:\n%s", out.String())
	}

	unknown := templateFor(t, "00000000-0000-0000-0000-000000000000", startClient)
	rep, err = deploy.Deploy(ctx, load(t, unknown), deploy.Options{Client: api, Image: image, Out: &out,
		Inputs: map[string]string{"ecs_password": "x", "license_code": "y"}})
	if err != nil || rep.Passed() || len(rep.Steps) != 1 || rep.Steps[0].Name != "data source" || !strings.Contains(rep.Steps[0].Detail, "does not exist") {
		t.Errorf("unknown asset: %+v %v", rep.Steps, err)
	}
}

// TestImageThatCannotRun: an image without a shell, or one the engine lacks and cannot pull, is an
// error saying so, not a failed step.
func TestImageThatCannotRun(t *testing.T) {
	requireDocker(t)
	api := newKoomock(t)
	_, tf := seller(t, api, startClient)
	for image, want := range map[string]string{noShell(t): "cannot run the user_data", "koomock-deploy-test:absent": "has no image koomock-deploy-test:absent"} {
		_, err := deploy.Deploy(context.Background(), load(t, tf), deploy.Options{Client: api, Image: image,
			Inputs: map[string]string{"ecs_password": "x", "license_code": "y"}})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want it to say %q", image, err, want)
		}
	}
}

// TestBusyboxMustBeStatic: the default image is built FROM scratch, so a dynamically linked busybox
// (or none) is refused with what to install.
func TestBusyboxMustBeStatic(t *testing.T) {
	for path, want := range map[string]string{"/bin/ls": "dynamically", "/nonexistent/busybox": "busybox-static"} {
		t.Setenv(deploy.BusyboxVar, path)
		_, err := deploy.FindBusybox()
		if !errors.Is(err, deploy.ErrNoBusybox) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want it to say %q", path, err, want)
		}
	}
}
