//go:build !nodeploy

package runner

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"

	tclog "github.com/testcontainers/testcontainers-go/log"

	"github.com/koomock/koomock/deploy"
	"github.com/koomock/koomock/template"
)

// deployRun plays the buyer's one-click deployment of the scenario's template: the deployer renders
// it with the scenario's license code and runs each server's user_data in a container.
func deployRun(ctx context.Context) error {
	s, d, l := state(ctx), deployState(ctx), licenseState(ctx)
	if err := needUpload(d); err != nil {
		return err
	}
	if err := needCode(l); err != nil {
		return err
	}
	m, err := template.Load(d.template)
	if err != nil {
		return harness(err)
	}
	// The containers are removed by the deployer; the reaper would be an image to pull, and none can be
	// pulled offline. testcontainers' own log lines would interleave with godog's output.
	if _, set := os.LookupEnv("TESTCONTAINERS_RYUK_DISABLED"); !set {
		os.Setenv("TESTCONTAINERS_RYUK_DISABLED", "true")
	}
	tclog.SetDefault(tclog.NewNoopLogger())
	kit := s.opts.Deploy
	var out bytes.Buffer
	rep, err := deploy.Deploy(ctx, m, deploy.Options{Client: s.api, Inputs: deployInputs(kit, m.Variables(), l.code), Image: kit.Image,
		ActivationTimeout: kit.ActivationTimeout, Out: &out})
	d.log = out.String()
	if err != nil {
		if errors.Is(err, deploy.ErrNoDocker) || errors.Is(err, deploy.ErrNoBusybox) {
			return harness(fmt.Errorf("the deployment cannot run here: %w", err))
		}
		return harness(fmt.Errorf("the deployment could not run: %w\n%s", err, tail(d.log, 20)))
	}
	d.ran, d.code = true, rep.Code
	for _, st := range rep.Steps {
		d.steps = append(d.steps, deployStep{Name: st.Name, Detail: st.Detail, Key: st.Key, Args: st.Args, OK: st.OK})
	}
	return nil
}
