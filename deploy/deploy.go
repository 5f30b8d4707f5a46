package deploy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/testcontainers/testcontainers-go"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/i18n"
	"github.com/koomock/koomock/protocol"
	"github.com/koomock/koomock/template"
)

// Defaults of Options.
const (
	DefaultInstallTimeout    = 5 * time.Minute
	DefaultActivationTimeout = time.Minute
)

// URLVariable is the template variable deploy sets, when declared and not given, to koomock's URL as
// the server reaches it: where the software finds KooGallery's License API.
const URLVariable = "koogallery_url"

// Options say what to deploy against which koomock.
type Options struct {
	// Client is koomock's control API (its BaseURL is where the relay forwards to).
	Client *controlapi.Client
	// Inputs are the buyer's answers to the template's variables.
	Inputs map[string]string
	// Image runs the user_data; empty means the busybox image BuildImage makes.
	Image string
	// InstallTimeout bounds the user_data's run; ActivationTimeout the wait for the first
	// activation after it.
	InstallTimeout, ActivationTimeout time.Duration
	// Out receives the progress and the container's output.
	Out io.Writer
	// Printer is the language of the progress and the step lines; nil is English. The report's
	// steps keep their English detail whatever it is.
	Printer *i18n.Printer
}

// Step is one step of the deployment's report. Detail is in English; Key and Args are its catalog
// message, which a reader renders in its language.
type Step struct {
	Name   string   `json:"name"`
	OK     bool     `json:"ok"`
	Detail string   `json:"detail"`
	Key    string   `json:"key,omitempty"`
	Args   []string `json:"args,omitempty"`
}

// stepNames are the catalog keys of the steps' names.
var stepNames = map[string]string{
	"data source": "deployStep.dataSource", "install": "deployStep.install", "download": "deployStep.download",
	"checksum": "deployStep.checksum", "activation": "deployStep.activation", "heartbeat": "deployStep.heartbeat",
}

// Report is what a deployment did, step by step.
type Report struct {
	Steps []Step `json:"steps"`
	// Image is the image that ran the user_data; URL koomock's URL as the server reached it.
	Image string `json:"image"`
	URL   string `json:"url"`
	// Code is the license code the software activated, if it did.
	Code string `json:"code,omitempty"`
}

// Passed reports whether every step passed.
func (r Report) Passed() bool {
	for _, s := range r.Steps {
		if !s.OK {
			return false
		}
	}
	return len(r.Steps) > 0
}

func (r *Report) step(o Options, name string, ok bool, key string, args ...any) {
	text := i18n.Say(key, args...)
	s := Step{Name: name, OK: ok, Detail: text.English, Key: text.Key, Args: text.Args}
	r.Steps = append(r.Steps, s)
	p := o.Printer
	word := p.T("deployStep.ok")
	if !ok {
		word = p.T("deployStep.fail")
	}
	label := p.T(stepNames[name])
	fmt.Fprintf(o.Out, "%s %s%s %s\n", word, label, strings.Repeat(" ", max(0, 12-i18n.Cells(label))), p.Say(text))
}

// Deploy runs the template's deployment and reports each step. An error means it could not be run
// at all (no Docker engine, an image that cannot run, koomock unreachable, a template that does not
// render); a step the seller's template or package fails is a failed step of the report.
func Deploy(ctx context.Context, m *template.Module, o Options) (Report, error) {
	var rep Report
	if o.Out == nil {
		o.Out = io.Discard
	}
	// The container's output (testcontainers' log goroutine) and the steps share Out.
	o.Out = &lockedWriter{w: o.Out}
	if o.InstallTimeout <= 0 {
		o.InstallTimeout = DefaultInstallTimeout
	}
	if o.ActivationTimeout <= 0 {
		o.ActivationTimeout = DefaultActivationTimeout
	}
	settings, err := o.Client.RevealSettings(ctx)
	if err != nil {
		return rep, fmt.Errorf("ask koomock at %s for its settings: %w", o.Client.BaseURL, err)
	}
	before, err := o.Client.LicenseCodeList(ctx)
	if err != nil {
		return rep, err
	}
	p, err := provider(ctx)
	if err != nil {
		return rep, err
	}
	pulled := false // --image names one the engine lacks: it must be pulled
	if o.Image != "" {
		has, err := hasImage(ctx, p, o.Image)
		pulled = err == nil && !has
	}
	p.Close()
	rl, err := startRelay(ctx, o.Client.BaseURL)
	if err != nil {
		return rep, fmt.Errorf("listen where containers reach this host: %w", err)
	}
	defer rl.Close()
	rep.URL = rl.URL
	inputs := map[string]string{}
	for k, v := range o.Inputs {
		inputs[k] = v
	}
	if _, declared := m.Variables()[URLVariable]; declared && inputs[URLVariable] == "" {
		inputs[URLVariable] = rl.URL
		fmt.Fprintf(o.Out, "     %s\n", o.Printer.T("deployStep.urlVariable", URLVariable, rl.URL))
	}
	var refused error
	answer := func(ctx context.Context, q template.AssetQuery) ([]protocol.DeployedObject, error) {
		objs, err := deployedObject(ctx, o.Client, settings.AK, settings.SK, q, rl.URL)
		var r refusal
		if errors.As(err, &r) {
			refused = err
		}
		return objs, err
	}
	rendered, err := template.Render(ctx, m, inputs, answer)
	if err != nil {
		if refused != nil {
			rep.step(o, "data source", false, "deployStep.refused", err)
			return rep, nil
		}
		return rep, err
	}
	var pkg *protocol.SoftwarePkgDeployedObject
	for _, obj := range rendered.Objects {
		if obj.SoftwarePkg != nil {
			pkg = obj.SoftwarePkg
			rep.step(o, "data source", true, "deployStep.object", obj.AssetID, obj.Version, pkg.PackageName, pkg.Checksum)
		}
	}
	if rep.Image = o.Image; rep.Image == "" {
		if rep.Image, err = BuildImage(ctx, ""); err != nil {
			return rep, err
		}
	}
	secrets := append(rendered.Sensitive, settings.SK)
	for _, srv := range rendered.Servers {
		fmt.Fprintf(o.Out, "     %s\n", o.Printer.T("deployStep.running", srv.Resource, rep.Image))
		s, err := runUserData(ctx, rep.Image, srv.UserData, o.InstallTimeout, &lineWriter{w: o.Out, prefix: "   | ", hide: secrets}, pulled)
		if s != nil && s.ctr != nil {
			defer s.ctr.Terminate(context.WithoutCancel(ctx), testcontainers.StopTimeout(0))
		}
		if err != nil {
			return rep, err
		}
		reportDownload(&rep, o, rl.Downloads(), pkg)
		rep.step(o, "install", s.exit == 0, "deployStep.exited", srv.Resource, s.exit)
	}
	waitActivation(ctx, &rep, o, rl, before, inputs["license_code"])
	return rep, nil
}

// reportDownload: the package went through the relay whole, with the deployed object's checksum.
func reportDownload(rep *Report, out Options, downloads []Download, pkg *protocol.SoftwarePkgDeployedObject) {
	if pkg == nil {
		return
	}
	var whole *Download
	var total int64
	for i, d := range downloads {
		total += d.Bytes
		if d.Status == http.StatusOK {
			whole = &downloads[i]
		}
	}
	switch {
	case len(downloads) == 0:
		rep.step(out, "download", false, "deployStep.noDownload", pkg.PackageName)
		return
	case whole == nil:
		rep.step(out, "download", total > 0, "deployStep.ranges", pkg.PackageName, total, len(downloads), downloads[0].Status)
		if total > 0 {
			rep.step(out, "checksum", true, "deployStep.rangesChecksum", pkg.Checksum)
		}
		return
	}
	rep.step(out, "download", true, "deployStep.bytes", pkg.PackageName, whole.Bytes)
	rep.step(out, "checksum", whole.SHA256 == pkg.Checksum, "deployStep.sha256", whole.SHA256, pkg.Checksum)
}

// waitActivation waits, at most the activation timeout, for a license code koomock had not seen
// activated (the one the buyer gave, when the template asks for license_code) to be activated and
// its status queried. Each call the server makes through the relay wakes it.
func waitActivation(ctx context.Context, rep *Report, o Options, rl *relay, before []koomock.LicenseCode, want string) {
	was := map[string]bool{}
	for _, c := range before {
		was[c.Code] = c.Activated
	}
	deadline := time.NewTimer(o.ActivationTimeout)
	defer deadline.Stop()
	var found *koomock.LicenseCode
	for {
		codes, err := o.Client.LicenseCodeList(ctx)
		if err != nil {
			rep.step(o, "activation", false, "deployStep.codesUnreadable", err)
			return
		}
		for i, c := range codes {
			if c.Activated && !was[c.Code] && (want == "" || c.Code == want) {
				found = &codes[i]
			}
		}
		if found != nil && found.HeartbeatSeen {
			break
		}
		select {
		case <-rl.calls:
			continue
		case <-deadline.C:
		case <-ctx.Done():
		}
		break
	}
	if found == nil {
		rep.step(o, "activation", false, "deployStep.noActivation", o.ActivationTimeout)
		return
	}
	rep.Code = found.Code
	rep.step(o, "activation", true, "deployStep.activated", found.Code)
	rep.step(o, "heartbeat", found.HeartbeatSeen, "deployStep.statusQueried", found.Code, found.HeartbeatSeen)
}

// refusal is the deployed-object API refusing the data source's query.
type refusal struct{ code, msg string }

func (r refusal) Error() string { return fmt.Sprintf("deployed-object answered %s: %s", r.code, r.msg) }

// deployedObject asks koomock's deployed-object API, signed with AK/SK, and points each
// internal_path at the relay.
func deployedObject(ctx context.Context, c *controlapi.Client, ak, sk string, q template.AssetQuery, relayURL string) ([]protocol.DeployedObject, error) {
	clk, err := c.Clock(ctx)
	if err != nil {
		return nil, err
	}
	v := url.Values{protocol.AssetParamID: {q.AssetID}, protocol.AssetParamDeployedType: {q.DeployedType}}
	for k, val := range map[string]string{protocol.AssetParamVersion: q.Version, protocol.AssetParamRegion: q.Region} {
		if val != "" {
			v.Set(k, val)
		}
	}
	var ans protocol.DeployedObjectAnswer
	status := http.StatusNotFound
	for _, path := range []string{protocol.PathAssetDeployedObject, protocol.PathAssetDeployedObjectTypo} {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(c.BaseURL, "/")+path+"?"+v.Encode(), nil)
		if err != nil {
			return nil, err
		}
		protocol.SignAPIGRequest(req, nil, ak, sk, clk.Now)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, err
		}
		status = resp.StatusCode
		err = json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&ans)
		resp.Body.Close()
		if status == http.StatusNotFound {
			continue // the other path spelling (koomock's --asset-path-spelling)
		}
		if err != nil {
			return nil, fmt.Errorf("deployed-object: HTTP %d, %v", status, err)
		}
		break
	}
	if ans.ErrorCode != protocol.LicenseSuccess {
		return nil, refusal{string(ans.ErrorCode), ans.ErrorMsg}
	}
	for i := range ans.Data {
		if p := ans.Data[i].SoftwarePkg; p != nil {
			if p.InternalPath, err = viaRelay(p.InternalPath, relayURL); err != nil {
				return nil, err
			}
		}
	}
	return ans.Data, nil
}

// viaRelay points a JSON-escaped download URL at the relay, keeping it escaped.
func viaRelay(escaped, relayURL string) (string, error) {
	var raw string
	if err := json.Unmarshal([]byte(`"`+escaped+`"`), &raw); err != nil {
		return "", fmt.Errorf("internal_path %q is not JSON-escaped: %w", escaped, err)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", err
	}
	r, _ := url.Parse(relayURL)
	u.Scheme, u.Host = r.Scheme, r.Host
	b, _ := json.Marshal(u.String())
	return string(b[1 : len(b)-1]), nil
}

// lockedWriter serialises writes from several goroutines to one writer.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}
