//go:build !nodeploy

package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	tclog "github.com/testcontainers/testcontainers-go/log"

	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/deploy"
	"github.com/koomock/koomock/template"
)

// runTemplateDeploy plays the buyer's one-click deployment of a template against a running koomock.
func runTemplateDeploy(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "template deploy", "template deploy FILE|DIR --var NAME=VALUE... [flags]")
	mockURL, client := assetClient(fs)
	var vars listFlag
	fs.Var(&vars, "var", "a buyer's input `NAME=VALUE` for a template variable, e.g. ecs_password=...; repeatable")
	image := fs.String("image", "", "the `image` to run the user_data in (default: koomock's busybox image, built offline from busybox-static)")
	installTimeout := fs.Duration("install-timeout", deploy.DefaultInstallTimeout, "how long the user_data may run")
	verbose := fs.Bool("verbose", false, "also print testcontainers' own log lines (the engine, the container's start and stop)")
	lang := registerLang(fs)
	activationTimeout := fs.Duration("activation-timeout", deploy.DefaultActivationTimeout, "how long to wait, after the install, for the software's first license activation")
	var path string
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		path, args = args[0], args[1:]
	}
	if err := fs.parse(args); err != nil {
		return usageError(e, "template deploy", err)
	}
	if path == "" && fs.NArg() > 0 {
		path = fs.Arg(0)
	} else if fs.NArg() > 0 {
		return usageError(e, "template deploy", fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	}
	if path == "" {
		return usageError(e, "template deploy", errors.New("name the template FILE or DIR to deploy"))
	}
	inputs := map[string]string{}
	for _, v := range vars {
		name, value, ok := strings.Cut(v, "=")
		if !ok || name == "" {
			return usageError(e, "template deploy", fmt.Errorf("--var %q: want NAME=VALUE", v))
		}
		inputs[name] = value
	}
	m, err := template.Load(path)
	if err != nil {
		fmt.Fprintf(e.stderr, "koomock template deploy: %v\n", err)
		return exitUsage
	}
	// The command removes its containers itself; the reaper would be an image to pull, and none can be
	// pulled offline.
	if _, set := e.lookupEnv("TESTCONTAINERS_RYUK_DISABLED"); !set {
		os.Setenv("TESTCONTAINERS_RYUK_DISABLED", "true")
	}
	if !*verbose {
		tclog.SetDefault(tclog.NewNoopLogger())
	}
	api := client()
	if err := api.Health(ctx); err != nil {
		return assetFailed(e, *mockURL, err)
	}
	t := lang.printer(e)
	fmt.Fprintln(e.stdout, t.T("templateDeploy.start", path, *mockURL))
	rep, err := deploy.Deploy(ctx, m, deploy.Options{Client: api, Inputs: inputs, Image: *image,
		InstallTimeout: *installTimeout, ActivationTimeout: *activationTimeout, Out: e.stdout, Printer: t})
	if err != nil {
		var unreachable *controlapi.UnreachableError
		if errors.As(err, &unreachable) {
			return assetFailed(e, *mockURL, err)
		}
		fmt.Fprintf(e.stderr, "koomock template deploy: %v\n", err)
		return exitUsage
	}
	if !rep.Passed() {
		fmt.Fprintf(e.stdout, "\n%s\n", t.T("templateDeploy.failed", path))
		return exitRule
	}
	fmt.Fprintf(e.stdout, "\n%s\n", t.T("templateDeploy.passed", path, rep.Code))
	return exitOK
}
