package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/fixtures"
)

// clientTags selects the license client scenarios, the scripted failures included.
const clientTags = "@licenseActivate,@licenseHeartbeat,@licenseUsage,@license && @failure"

// TestVerifyRunsTheLicenseClientCommand builds the reference client and runs the client scenarios
// through --license-client-cmd, as a seller runs their own software; then a "client" that does
// nothing, which must fail naming the rule.
func TestVerifyRunsTheLicenseClientCommand(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build the reference license client with")
	}
	bin := filepath.Join(t.TempDir(), "licenseclient")
	if out, err := exec.Command(gobin, "build", "-o", bin, "../../examples/licenseclient/cmd/licenseclient").CombinedOutput(); err != nil {
		t.Fatalf("build the reference license client: %v\n%s", err, out)
	}
	code, out, errOut := cli(t, nil, "verify", "--tags", clientTags, "--license-client-cmd", bin+" --timeout 300ms --license {code}")
	if code != exitOK || !strings.Contains(out, "10 scenarios, 10 passed, 0 failed") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}

	vars := map[string]string{"KOOMOCK_LICENSE_CLIENT_CMD": "true", "KOOMOCK_TAGS": "@licenseActivate && ~@failure"}
	code, out, errOut = cli(t, vars, "verify")
	if code != exitRule || !strings.Contains(out, "rule "+string(koomock.RuleLicenseActivates)) {
		t.Fatalf("a client that does nothing: exit %d\n%s\n%s", code, out, errOut)
	}
}

// TestVerifyNeverFailsAPlainSaaSSellerOnLicense: a SaaS seller's profile skips the license scenarios;
// a License seller's runs the callbacks, and the client scenarios only with a client to run.
func TestVerifyNeverFailsAPlainSaaSSellerOnLicense(t *testing.T) {
	url := referenceSeller(t, nil)
	code, out, errOut := cli(t, nil, "verify", "--seller-url", url)
	if code != exitOK || !strings.Contains(out, "skipped 17: @license scenarios are for License products") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = cli(t, nil, "verify", "--profile", "license", "--seller-url", url, "--license-url", url)
	if code != exitOK || !strings.Contains(out, "9 scenarios, 9 passed, 0 failed") || !strings.Contains(out, "skipped 8: needs --license-client-cmd") {
		t.Fatalf("--profile license: exit %d\n%s\n%s", code, out, errOut)
	}
}

func TestLicenseFlagErrors(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"verify", "--mock-url", "http://127.0.0.1:1", "--license-url", "http://127.0.0.1:2/license"}, "--license-url"},
		{[]string{"verify", "--license-url", "http://127.0.0.1:1/license"}, "unreachable"},
		{[]string{"verify", "--license-frozen-status", "MELTED"}, "want EXPIRED or FROZEN"},
		{[]string{"serve", "--db", ":memory:", "--license-v2-heartbeat-shape", "table"}, "want array or object"},
		{[]string{"serve", "--db", ":memory:", "--license-url", "ftp://x"}, "not an absolute"},
	} {
		code, _, errOut := cli(t, nil, tt.args...)
		lines := strings.Split(strings.TrimSpace(errOut), "\n")
		if code != exitUsage || !strings.Contains(lines[len(lines)-1], tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 ending in one line mentioning %q", tt.args, code, errOut, tt.want)
		}
	}
}

func TestServeBannerShowsTheDemoLicenseCodes(t *testing.T) {
	_, out, stop := startServe(t, "--db", ":memory:")
	defer stop()
	for _, c := range fixtures.DemoLicenseCodes {
		if !strings.Contains(out.String(), c) {
			t.Errorf("the banner does not show demo code %s:\n%s", c, out)
		}
	}
}

// TestServeBannerInChinese: --lang zh-CN (or the locale) gives the banner in Chinese, its values and
// commands as they are, its labels aligned in terminal cells.
func TestServeBannerInChinese(t *testing.T) {
	for name, start := range map[string]func() (*syncBuffer, func() int){
		"--lang": func() (*syncBuffer, func() int) {
			_, out, stop := startServe(t, "--db", ":memory:", "--lang", "zh-CN")
			return out, stop
		},
		"LANG": func() (*syncBuffer, func() int) {
			_, out, stop := startServeEnv(t, map[string]string{"LANG": "zh_CN.UTF-8"}, "--db", ":memory:")
			return out, stop
		},
	} {
		out, stop := start()
		banner := out.String()
		stop()
		for _, want := range []string{"在你的电脑上运行的云商店", "  控制台           http://", "  授权码           ", fixtures.DemoLicenseCodes[0], "购买一个包年订单：  curl "} {
			if !strings.Contains(banner, want) {
				t.Errorf("%s: the banner does not contain %q:\n%s", name, want, banner)
			}
		}
	}
}
