package runner

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cucumber/godog"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/i18n"
	"github.com/koomock/koomock/template"
)

// TagDeploy marks the scenarios of a License product sold with automatic deployment (License类自动部署
// 商品): the seller's package and template, deployed in a container as the buyer's one click would.
const TagDeploy = "@deploy"

// DeployKit is what the seller sells for automatic deployment (koomock verify --deploy-package,
// --deploy-template): the @deploy scenarios upload the package as an asset, attach the template and
// deploy it in a container. Without a package and a template they skip.
type DeployKit struct {
	// Package is the deployable: a .zip, .tar or .tar.gz with the software and its install script.
	Package string
	// Template is the auto-deploy template, a .tf or .tf.json file. Its data source's literal asset_id
	// (any placeholder, e.g. ASSET_ID) is replaced by the asset the scenario uploads; its asset_version
	// names the version (V1.0 when it names none).
	Template string
	// Image runs the user_data; empty means koomock's busybox image.
	Image string
	// Inputs are the buyer's answers to the template's variables, beside the license code the scenario
	// buys (license_code) and a password for each password-like variable without one.
	Inputs map[string]string
	// ActivationTimeout bounds the wait for the software's activation after the install (a minute
	// when 0).
	ActivationTimeout time.Duration
}

// deployNeeded is the skip reason of the @deploy scenarios without a DeployKit.
const deployNeeded = "needs --deploy-package and --deploy-template: the deploy scenarios upload the seller's package and template and deploy them in a container"

// defaultAssetVersion is the version uploaded when the template's data source names none.
const defaultAssetVersion = "V1.0"

// buyerPassword is the buyer's answer to a password-like variable the seller did not give a value.
const buyerPassword = "Buyer-Pass-1!"

// deployScenario is the @deploy state of one running scenario.
type deployScenario struct {
	dir      string // the scenario's copy of the template, naming its asset
	template string
	asset    koomock.Asset
	version  string
	checksum string // of the package file
	findings []template.Finding
	checked  bool
	// steps are the deployment's report, once it ran; code the license code it activated; log its
	// output.
	steps []deployStep
	ran   bool
	code  string
	log   string
}

// deployStep is one step of a deployment's report (deploy.Step, without importing the deployer).
type deployStep struct {
	Name, Detail string
	// Key and Args are Detail's catalog message, when the deployer gave it one.
	Key  string
	Args []string
	OK   bool
}

// detail is the step's detail as a verdict's argument: in the reader's language when it has a key.
func (st deployStep) detail() string {
	return i18n.TextPhrase(i18n.Text{English: st.Detail, Key: st.Key, Args: st.Args})
}

func deployState(ctx context.Context) *deployScenario {
	s := state(ctx)
	if s.deploy == nil {
		s.deploy = &deployScenario{}
	}
	return s.deploy
}

// deployHooks remove the scenario's copy of the template at its end.
func (r *run) deployHooks(sc *godog.ScenarioContext) {
	sc.After(func(ctx context.Context, _ *godog.Scenario, err error) (context.Context, error) {
		if s, ok := ctx.Value(scenarioKey{}).(*scenario); ok && s.deploy != nil && s.deploy.dir != "" {
			os.RemoveAll(s.deploy.dir)
		}
		return ctx, nil
	})
}

func deploySteps() StepGroup {
	return StepGroup{
		Name: "License products with automatic deployment: the seller's package and template",
		Doc: "The seller's package (--deploy-package) is uploaded to koomock's asset centre with the template " +
			"(--deploy-template) attached, the template is checked as koomock template check checks it, and a buyer's " +
			"one-click deployment runs its user_data in a container as koomock template deploy does; koomock's License " +
			"API judges the installed software. Without a package and a template the scenarios skip; the container " +
			"image's koomock (-tags nodeploy) skips the deployment: run verify from the host (spec license-login §5).",
		Steps: []StepDef{
			{`^the seller uploaded the deploy package as an asset with its template attached$`,
				"creates a software_package asset, uploads --deploy-package as the version the template's data source names, and attaches --deploy-template, its asset_id set to the new asset",
				"the seller uploaded the deploy package as an asset with its template attached", deployUpload},
			{`^the asset holds the package with its checksum and the template$`, "the asset centre lists the version with the package's SHA-256, and the template",
				"the asset holds the package with its checksum and the template", deployAssetHolds},
			{`^koomock checks the template$`, "checks the template against the asset centre, as koomock template check does",
				"koomock checks the template", deployCheck},
			{`^the template follows every template rule$`, "template check found nothing required broken (advisory findings are warnings)",
				"the template follows every template rule", deployCheckPassed},
			{`^the buyer deploys the template in a container$`, "renders the template with the scenario's license code and runs each server's user_data in a container (Docker)",
				"the buyer deploys the template in a container", deployRun},
			{`^the server downloaded the package and its checksum matches$`, "the user_data downloaded the package through its internal_path, with the deployed object's SHA-256",
				"the server downloaded the package and its checksum matches", deployHad(koomock.RuleDeployDownload, koomock.RuleDeployChecksum)},
			{`^the install script exited with 0$`, "the user_data, the package's install script included, exited with 0",
				"the install script exited with 0", deployHad(koomock.RuleDeployInstall)},
			{`^koomock saw the software activate the buyer's code$`, "koomock's License API saw the scenario's code activated after the install",
				"koomock saw the software activate the buyer's code", deployHad(koomock.RuleDeployActivation)},
			{`^koomock saw the software check the code's status$`, "koomock's License API saw the code's status queried after its activation",
				"koomock saw the software check the code's status", deployHad(koomock.RuleDeployHeartbeat)},
		},
	}
}

// deployUpload plays the seller in the asset centre: the asset, the package as its version, the
// template naming the asset attached.
func deployUpload(ctx context.Context) error {
	s, d := state(ctx), deployState(ctx)
	kit := s.opts.Deploy
	if kit == nil || kit.Package == "" || kit.Template == "" {
		return skip(ctx, deployNeeded)
	}
	src, err := os.ReadFile(kit.Template)
	if err != nil {
		return harness(fmt.Errorf("--deploy-template: %w", err))
	}
	if d.dir, err = os.MkdirTemp("", "koomock-deploy-"); err != nil {
		return harness(err)
	}
	d.template = filepath.Join(d.dir, filepath.Base(kit.Template))
	if err := os.WriteFile(d.template, src, 0o600); err != nil {
		return harness(err)
	}
	m, err := template.Load(d.template)
	if err != nil {
		return harness(fmt.Errorf("--deploy-template: %w", err))
	}
	ids, version := assetRef(m)
	if d.version = version; d.version == "" {
		d.version = defaultAssetVersion
	}
	pkg, err := os.Open(kit.Package)
	if err != nil {
		return harness(fmt.Errorf("--deploy-package: %w", err))
	}
	defer pkg.Close()
	info, err := pkg.Stat()
	if err != nil {
		return harness(err)
	}
	h := sha256.New()
	if _, err := io.Copy(h, pkg); err != nil {
		return harness(fmt.Errorf("--deploy-package: %w", err))
	}
	d.checksum = hex.EncodeToString(h.Sum(nil))
	if _, err := pkg.Seek(0, io.SeekStart); err != nil {
		return harness(err)
	}
	a, err := s.api.CreateAsset(ctx, controlapi.AssetRequest{Name: assetName(kit.Package), DeployedType: koomock.DeploySoftwarePackage})
	if err != nil {
		return harness(fmt.Errorf("create the asset: %w", err))
	}
	if _, err := s.api.UploadAssetVersion(ctx, a.ID, d.version, controlapi.AssetUpload{PackageName: filepath.Base(kit.Package), Body: pkg, Size: info.Size()}); err != nil {
		if controlapi.ErrorCode(err) != "" {
			return fmt.Errorf("the asset centre refused the package %s as version %s: %w", kit.Package, d.version, err)
		}
		return harness(fmt.Errorf("upload the package: %w", err))
	}
	named := withAssetID(src, ids, a.ID)
	if err := os.WriteFile(d.template, named, 0o600); err != nil {
		return harness(err)
	}
	if d.asset, err = s.api.AttachTemplate(ctx, a.ID, filepath.Base(kit.Template), named); err != nil {
		return fmt.Errorf("the asset centre refused the template %s: %w", kit.Template, err)
	}
	return nil
}

// assetName is an asset name from the package's file name, within the asset centre's name rule
// (letters, digits, -, _ and half-width parentheses).
func assetName(pkg string) string {
	base := filepath.Base(pkg)
	for _, ext := range []string{".tar.gz", ".tar", ".zip", ".tgz"} {
		base = strings.TrimSuffix(base, ext)
	}
	name := strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || r == '(' || r == ')' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			return r
		}
		return '-'
	}, base)
	if name == "" {
		name = "package"
	}
	return name
}

// assetRef finds the literal asset_id strings of the template's data sources and the version the
// first one names.
func assetRef(m *template.Module) (ids []hcl.Range, version string) {
	schema := &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "data", LabelNames: []string{"type", "name"}}}}
	literal := func(a *hcl.Attribute) (string, bool) {
		if a == nil {
			return "", false
		}
		v, diags := a.Expr.Value(nil)
		if diags.HasErrors() || !v.IsKnown() || v.IsNull() || v.Type() != cty.String {
			return "", false
		}
		return v.AsString(), true
	}
	for _, f := range m.Files {
		content, _, _ := f.Body.PartialContent(schema)
		if content == nil {
			continue
		}
		for _, b := range content.Blocks {
			if b.Labels[0] != template.DataSource {
				continue
			}
			attrs, _ := b.Body.JustAttributes()
			if _, ok := literal(attrs["asset_id"]); ok {
				ids = append(ids, attrs["asset_id"].Expr.Range())
			}
			if v, ok := literal(attrs["asset_version"]); ok && version == "" {
				version = v
			}
		}
	}
	return ids, version
}

// withAssetID is the template's text with each literal asset_id replaced by id.
func withAssetID(src []byte, ids []hcl.Range, id string) []byte {
	out := slices.Clone(src)
	slices.SortFunc(ids, func(a, b hcl.Range) int { return b.Start.Byte - a.Start.Byte })
	for _, r := range ids {
		if r.Start.Byte < 0 || r.End.Byte > len(out) || r.Start.Byte >= r.End.Byte {
			continue
		}
		out = slices.Concat(out[:r.Start.Byte], []byte(strconv.Quote(id)), out[r.End.Byte:])
	}
	return out
}

func needUpload(d *deployScenario) error {
	if d.template == "" {
		return harness(errors.New("no asset in this scenario: add the step that uploads the deploy package"))
	}
	return nil
}

// deployAssetHolds: the asset centre kept the package's bytes and the template.
func deployAssetHolds(ctx context.Context) error {
	s, d := state(ctx), deployState(ctx)
	if err := needUpload(d); err != nil {
		return err
	}
	a, err := s.api.Asset(ctx, d.asset.ID)
	if err != nil {
		return harness(err)
	}
	v, ok := a.Version(d.version)
	switch {
	case !ok || v.Package == nil:
		return fmt.Errorf("asset %s has no package as version %s: %+v", a.ID, d.version, a.Versions)
	case v.Package.SHA256 != d.checksum:
		return fmt.Errorf("asset %s version %s holds sha256 %s, the package file has %s", a.ID, d.version, v.Package.SHA256, d.checksum)
	case len(a.Templates) == 0:
		return fmt.Errorf("asset %s has no template attached", a.ID)
	}
	return nil
}

// deployCheck checks the scenario's template as koomock template check does.
func deployCheck(ctx context.Context) error {
	s, d := state(ctx), deployState(ctx)
	if err := needUpload(d); err != nil {
		return err
	}
	m, err := template.Load(d.template)
	if err != nil {
		return harness(err)
	}
	d.findings, err = template.Check(ctx, m, func(ctx context.Context, id string) (koomock.Asset, bool, error) {
		a, err := s.api.Asset(ctx, id)
		if controlapi.ErrorCode(err) == controlapi.CodeNotFound {
			return koomock.Asset{}, false, nil
		}
		return a, err == nil, err
	})
	if err != nil {
		return harness(err)
	}
	d.checked = true
	return nil
}

// deployCheckPassed fails with every finding of the check, each with its rule; the advisory ones
// alone are warnings.
func deployCheckPassed(ctx context.Context) error {
	d := deployState(ctx)
	if !d.checked {
		return harness(errors.New("the template was not checked: add the step koomock checks the template"))
	}
	if len(d.findings) == 0 {
		return nil
	}
	var verdicts []koomock.Verdict
	for _, f := range d.findings {
		verdicts = append(verdicts, i18n.Verdict(f.Rule, f.Outcome, "verdict.deploy.templateFinding", filepath.Base(f.File), f.Line,
			i18n.TextPhrase(i18n.Text{English: f.Message, Key: f.Key, Args: f.Args})))
	}
	return &ruleError{what: "the template breaks template check's rules", verdicts: verdicts}
}

// deployRuleSteps are the report's steps each deploy rule judges.
var deployRuleSteps = map[koomock.Rule]string{
	koomock.RuleDeployDownload:   "download",
	koomock.RuleDeployChecksum:   "checksum",
	koomock.RuleDeployInstall:    "install",
	koomock.RuleDeployActivation: "activation",
	koomock.RuleDeployHeartbeat:  "heartbeat",
}

// deployHad passes when the deployment's report passed the steps of these rules; a step the
// deployment never reached fails with the step that stopped it.
func deployHad(rules ...koomock.Rule) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		d := deployState(ctx)
		if !d.ran {
			return harness(errors.New("nothing was deployed: add the step the buyer deploys the template in a container"))
		}
		var verdicts []koomock.Verdict
		for _, rule := range rules {
			name := deployRuleSteps[rule]
			i := slices.IndexFunc(d.steps, func(st deployStep) bool { return st.Name == name })
			switch {
			case i < 0:
				verdicts = append(verdicts, i18n.Verdict(rule, koomock.Fail, "verdict.deploy.neverGot", name, lastFailed(d.steps)))
			case !d.steps[i].OK && rule == koomock.RuleDeployInstall:
				verdicts = append(verdicts, i18n.Verdict(rule, koomock.Fail, "verdict.deploy.printedLast", d.steps[i].detail(), printed(d.log, 5)))
			case !d.steps[i].OK:
				// The detail is what the deployment's report says, kept as it is.
				verdicts = append(verdicts, i18n.Verdict(rule, koomock.Fail, "verdict.deploy.stepReport", d.steps[i].detail()))
			}
		}
		if len(verdicts) == 0 {
			return nil
		}
		return &ruleError{what: "the buyer's deployment failed; its report:\n" + tail(d.log, 20), verdicts: verdicts}
	}
}

// lastFailed says which step of the report failed last.
func lastFailed(steps []deployStep) string {
	for i := len(steps) - 1; i >= 0; i-- {
		if !steps[i].OK {
			if strings.ContainsAny(steps[i].Detail, "|{}") { // a phrase's argument cannot hold them
				return steps[i].Name + " failed: " + steps[i].Detail
			}
			return i18n.Phrase("verdict.deploy.stepFailed", steps[i].Name, steps[i].Detail)
		}
	}
	return i18n.Phrase("verdict.deploy.noStepFailed")
}

// containerLine starts each line the container printed in the deployment's output.
const containerLine = "   | "

// printed is the last n lines the container printed, on one line.
func printed(log string, n int) string {
	var lines []string
	for l := range strings.SplitSeq(log, "\n") {
		if c, ok := strings.CutPrefix(l, containerLine); ok {
			lines = append(lines, strings.TrimSpace(c))
		}
	}
	if len(lines) == 0 {
		return "nothing"
	}
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " / ")
}

// tail is the last n lines of text.
func tail(text string, n int) string {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// deployInputs are the buyer's answers: the kit's, the scenario's license code, and a password for
// each password-like variable left without one.
func deployInputs(kit *DeployKit, vars map[string]bool, code string) map[string]string {
	in := map[string]string{}
	for k, v := range kit.Inputs {
		in[k] = v
	}
	if _, declared := vars["license_code"]; declared && in["license_code"] == "" {
		in["license_code"] = code
	}
	for name, hasDefault := range vars {
		if !hasDefault && in[name] == "" && strings.Contains(strings.ToLower(name), "password") {
			in[name] = buyerPassword
		}
	}
	return in
}
