package main

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/koomock/koomock/runner"
)

// deployFlags are verify's flags for a License product sold with automatic deployment: the @deploy
// scenarios upload the package, attach the template and deploy it in a container.
type deployFlags struct {
	pkg, template, image string
	vars                 listFlag
	activationTimeout    durationValue
}

func (d *deployFlags) register(fs *flagSet) {
	fs.StringVar(&d.pkg, "deploy-package", "", "run the @deploy scenarios with this package `file` (.zip, .tar, .tar.gz: the software with its install and start scripts), uploaded as an asset (needs Docker, and --deploy-template)")
	fs.StringVar(&d.template, "deploy-template", "", "the auto-deploy template `file` (.tf, .tf.json) of the @deploy scenarios: its data source's asset_id is set to the uploaded asset")
	fs.StringVar(&d.image, "deploy-image", "", "the `image` the @deploy scenarios run the user_data in (default: koomock's busybox image, built offline)")
	fs.Var(&d.vars, "deploy-var", "a buyer's input `NAME=VALUE` for the deploy template (repeatable; license_code is the scenario's code, and a password-like variable gets one)")
	fs.Var(&d.activationTimeout, "deploy-activation-timeout", "how long the @deploy scenarios wait, after the install, for the software's first license activation (default 1m)")
}

// kit returns the deploy kit the flags name, nil when they name none.
func (d *deployFlags) kit() (*runner.DeployKit, error) {
	if d.pkg == "" && d.template == "" {
		return nil, nil
	}
	if d.pkg == "" || d.template == "" {
		return nil, errors.New("--deploy-package and --deploy-template go together: the package uploaded as an asset and the template that deploys it")
	}
	for flag, path := range map[string]string{"deploy-package": d.pkg, "deploy-template": d.template} {
		if st, err := os.Stat(path); err != nil || st.IsDir() {
			return nil, fmt.Errorf("--%s %s: not a file", flag, path)
		}
	}
	if !strings.HasSuffix(d.template, ".tf") && !strings.HasSuffix(d.template, ".tf.json") {
		return nil, fmt.Errorf("--deploy-template %s: a template is a .tf or .tf.json file", d.template)
	}
	k := &runner.DeployKit{Package: d.pkg, Template: d.template, Image: d.image, Inputs: map[string]string{}, ActivationTimeout: time.Duration(d.activationTimeout)}
	for _, v := range d.vars {
		name, value, ok := strings.Cut(v, "=")
		if !ok || name == "" {
			return nil, fmt.Errorf("--deploy-var %q: want NAME=VALUE", v)
		}
		k.Inputs[name] = value
	}
	return k, nil
}
