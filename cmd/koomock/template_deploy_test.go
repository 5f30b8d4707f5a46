package main

import (
	"strings"
	"testing"

	"github.com/koomock/koomock/deploy"
)

// TestTemplateDeployRefusals: what keeps a deployment from running is exit 2 with a clear message,
// before any container: no template, a --var that is not NAME=VALUE, a template that is not there,
// and no koomock at the URL.
func TestTemplateDeployRefusals(t *testing.T) {
	api, _, stop := startServe(t, "--db", ":memory:")
	defer stop()
	good := "../../template/testdata/good.tf"
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"template", "deploy"}, "name the template"},
		{[]string{"template", "deploy", good, "--var", "novalue", "--mock-url", api.BaseURL}, "NAME=VALUE"},
		{[]string{"template", "deploy", "nothing-here.tf", "--mock-url", api.BaseURL}, "nothing-here.tf"},
		{[]string{"template", "deploy", good, "--mock-url", "http://127.0.0.1:1"}, "no koomock at"},
	} {
		code, out, errOut := cli(t, nil, c.args...)
		if code != exitUsage || !strings.Contains(out+errOut, c.want) {
			t.Errorf("%v: exit %d, want 2 mentioning %q:\n%s%s", c.args, code, c.want, out, errOut)
		}
	}
	code, _, errOut := cli(t, nil, "template", "-h")
	if code != exitOK || !strings.Contains(errOut, "template deploy FILE|DIR --var NAME=VALUE") {
		t.Errorf("template -h: %d %s", code, errOut)
	}
}

// TestBusyboxVarIsDeploys keeps the environment check's spelling of the busybox variable that of
// package deploy, which the container image's build does not link.
func TestBusyboxVarIsDeploys(t *testing.T) {
	if busyboxVar != deploy.BusyboxVar {
		t.Fatalf("envcheck knows %s, deploy reads %s", busyboxVar, deploy.BusyboxVar)
	}
}
