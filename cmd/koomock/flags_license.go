package main

import (
	"context"
	"github.com/koomock/koomock/i18n"
	"io"
	"strings"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/examples/licenseclient"
	"github.com/koomock/koomock/mock"
	"github.com/koomock/koomock/mock/license"
	"github.com/koomock/koomock/protocol"
	"github.com/koomock/koomock/runner"
)

// licenseFlags are the License 2.0 settings serve and verify share.
type licenseFlags struct {
	url, key       string
	frozenStatus   string
	v2Shape        string
	usageFailField string
}

func (l *licenseFlags) register(fs *flagSet) {
	l.registerCallbacks(fs)
	fs.StringVar(&l.frozenStatus, "license-frozen-status", "EXPIRED", "the `status` the query (heartbeat) API reports for a frozen code, undocumented: EXPIRED or FROZEN")
	fs.StringVar(&l.v2Shape, "license-v2-heartbeat-shape", license.ShapeArray, "the `shape` of a v2 heartbeat answer's data, undocumented: array (of LicenseInfo) or object ({\"license_info_list\": [...]})")
	fs.StringVar(&l.usageFailField, "license-usage-fail-field", license.DefaultUsageFailField, "the `name` of the list of refused codes in a software-usage-info answer (cut in the docs after check_fail_)")
}

// registerCallbacks adds the flags that say where the license callbacks go and what signs them: all
// `koomock fire` needs of them.
func (l *licenseFlags) registerCallbacks(fs *flagSet) {
	fs.StringVar(&l.url, "license-url", "", "the seller's license production `URL`, where the License 2.0 callbacks go (default: --seller-url)")
	fs.StringVar(&l.key, "license-key", "", "the access `key` bound to the license interfaces, which signs the license callbacks (default: --access-key)")
}

// settings returns the mock's license settings.
func (l *licenseFlags) settings() license.Settings {
	return license.Settings{URL: l.url, Key: l.key, FrozenStatus: protocol.LicenseStatus(l.frozenStatus),
		V2HeartbeatShape: l.v2Shape, UsageFailField: l.usageFailField}
}

// clientFlags are verify's flags for the seller's license client.
type clientFlags struct {
	cmd  string
	wait durationValue
}

func (c *clientFlags) register(fs *flagSet) {
	fs.StringVar(&c.cmd, "license-client-cmd", "", "run the License 2.0 client scenarios against this shell `command`, the seller's software: {code} is replaced by the license code; KOOMOCK_URL, KOOMOCK_AK, KOOMOCK_SK, KOOMOCK_LICENSE_CODE and KOOMOCK_STATE_DIR are set (docs/license-client.md)")
	fs.Var(&c.wait, "license-client-wait", "how long to wait for the license client's decision (a KOOMOCK-LICENSE-OK/BLOCKED line or its exit) on each run (default 30s)")
}

// referenceClientTimeout is the bundled client's timeout in verify: short, so the slow-gateway
// scenario costs little.
const referenceClientTimeout = "1s"

// client returns the license client the client scenarios run: the command, the bundled reference
// client in-process when verify tests the bundled references, or nil (the scenarios are skipped).
func (c *clientFlags) client(references bool) runner.LicenseClient {
	switch {
	case c.cmd != "":
		return runner.Command(c.cmd)
	case references:
		return runner.ClientFunc{Name: "the bundled reference license client (examples/licenseclient)",
			Main: func(ctx context.Context, getenv func(string) string, stdout, stderr io.Writer) int {
				return licenseclient.Main(ctx, []string{"--timeout", referenceClientTimeout}, getenv, stdout, stderr)
			}}
	}
	return nil
}

func (c *clientFlags) waitFor() time.Duration { return time.Duration(c.wait) }

// licenseBanner is the License 2.0 part of serve's banner: where the callbacks go and the demo test
// codes to give the seller's software.
func licenseBanner(t *i18n.Printer, srv *mock.Server, lic licenseFlags, auth string) []string {
	url := lic.url
	if url == "" {
		url = t.T("banner.licenseURLDefault")
	}
	var codes []string
	for _, c := range srv.DemoLicenseCodes() {
		name := c.Code
		if c.State != koomock.LicenseActive {
			name += " (" + string(c.State) + ")"
		}
		codes = append(codes, name)
	}
	return []string{
		row(t, "banner.licenseURL", url),
		row(t, "banner.licenseCodes", strings.Join(codes, ", ")+"   "+t.T("banner.demoCodes")),
		more(t.T("banner.moreCodes", "curl "+auth+"-X POST "+srv.PublicURL()+"/_mock/license/test-codes -d '{\"count\":3}'")),
	}
}
