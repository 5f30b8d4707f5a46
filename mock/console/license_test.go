package console_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/mock"
	"github.com/koomock/koomock/protocol"
)

// software calls koomock's license API as the seller's software does, signed with the demo AK/SK at
// real time (the software signs with its own clock, whatever koomock's virtual time).
func software(t *testing.T, srv *mock.Server, path, body string) {
	t.Helper()
	r, err := http.NewRequest(http.MethodPost, srv.URL()+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Content-Type", "application/json")
	protocol.SignAPIGRequest(r, []byte(body), fixtures.DemoAK, fixtures.DemoSK, time.Now())
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(raw), string(protocol.LicenseSuccess)) {
		t.Fatalf("%s: HTTP %d %s", path, resp.StatusCode, raw)
	}
}

var newCodes = regexp.MustCompile(`new=(PL[0-9A-Za-z]+)`)

func TestLicenseCodesFromTheConsole(t *testing.T) {
	srv, api := newServer(t, nil, nil)
	ctx := context.Background()
	b := newBrowser(t, srv.URL())
	mustContain(t, "the license page", b.get("/console/licenses").body,
		"Create test codes", "Buy the license product", "refreshLicenseCode", `href="/console/licenses" aria-current="page"`)

	got := b.post("/console/actions/license-test-codes", url.Values{"count": {"2"}, "validity": {"7d"}, "amount": {"5"}})
	made := newCodes.FindAllStringSubmatch(got.location, -1)
	if got.status != http.StatusSeeOther || len(made) != 2 {
		t.Fatalf("test codes: HTTP %d to %q", got.status, got.location)
	}
	code := made[0][1]
	list := b.get(got.location).body
	mustContain(t, "the list after making test codes", list, made[0][1], made[1][1], `class="new"`, ">test<")

	// The software activates the code and checks it: the list shows both, with the heartbeat's time.
	software(t, srv, protocol.PathLicenseActivateV1, `{"license":"`+code+`"}`)
	software(t, srv, protocol.PathLicenseHeartbeatV1,
		`{"license":"`+code+`","heartbeatInfo":{"thirdPartyAccount":"<script>alert(1)</script>","ip":"192.168.1.51"}}`)
	list = b.get("/console/licenses").body
	row := list[strings.Index(list, `data-code="`+code+`"`):]
	row = row[:strings.Index(row, "</tr>")]
	mustContain(t, "the activated code's row", row, ">activated<", ">seen<", "last 2026-11-27 08:00:00.000 UTC")

	detail := b.get("/console/licenses/" + code).body
	mustContain(t, "the code's page", detail, "issued", "received", "activated", "heartbeat", "192.168.1.51",
		"&lt;script&gt;alert(1)&lt;/script&gt;", `data-step="expire"`, "licenseHeartbeat", "Amount</dt><dd>5")
	assertEscaped(t, "the code's page", detail)

	got = b.post("/console/actions/license-code", url.Values{"code": {code}, "step": {"expire"}})
	if got.status != http.StatusSeeOther || got.location != "/console/licenses/"+code {
		t.Fatalf("expire: HTTP %d to %q", got.status, got.location)
	}
	detail = b.get(got.location).body
	mustContain(t, "the frozen code's page", detail, `data-state="frozen"`, "updateLicenseCodeStatus", "Renew (unfreezes)")
	if d, _ := api.LicenseCode(ctx, code); d.Code.State != "frozen" {
		t.Errorf("after expire: %+v", d.Code)
	}
	got = b.post("/console/actions/license-code", url.Values{"code": {code}, "step": {"renew"}, "periodType": {"month"}, "periodNumber": {"2"}})
	if d, _ := api.LicenseCode(ctx, code); got.status != http.StatusSeeOther || d.Code.State != "active" || len(d.Code.Renewals) != 1 {
		t.Errorf("renew: HTTP %d, code %+v", got.status, d.Code)
	}
	mustContain(t, "the renewed code's page", b.get("/console/licenses/"+code).body, "refreshLicenseCode", `data-step="unsubscribe-renewal"`)
	b.post("/console/actions/license-code", url.Values{"code": {code}, "step": {"release"}})
	if d, _ := api.LicenseCode(ctx, code); d.Code.State != "released" {
		t.Errorf("after release: %+v", d.Code)
	}
	mustContain(t, "the released code's page", b.get("/console/licenses/"+code).body, "Release again", "releaseLicenseCode")

	got = b.post("/console/actions/license-buy", url.Values{"periodType": {"month"}, "periodNumber": {"3"}, "count": {"1"}, "notReceived": {"1"}})
	bought := newCodes.FindStringSubmatch(got.location)
	if bought == nil {
		t.Fatalf("buy: HTTP %d to %q", got.status, got.location)
	}
	if d, _ := api.LicenseCode(ctx, bought[1]); d.Code.Received() || d.Code.TestFlag != "" || d.Code.OrderID == "" {
		t.Errorf("bought %+v", d.Code)
	}
	mustContain(t, "the bought code's page", b.get("/console/licenses/"+bought[1]).body, `data-step="receive"`, "not yet")

	got = b.post("/console/actions/license-probe", url.Values{"activity": {"releaseLicenseCode"}, "probe": {"missing-field:"}, "field": {"license"}})
	if got.status != http.StatusSeeOther || !strings.HasPrefix(got.location, "/console/journal/") {
		t.Fatalf("probe: HTTP %d to %q", got.status, got.location)
	}
	mustContain(t, "the probe's exchange", b.get(got.location).body, "probe: missing-field:license", "releaseLicenseCode")
}

// TestRefusedLicenseActionsShowTheControlAPIMessage: a step that does not apply, an unknown step and
// bad forms get the control API's own message.
func TestRefusedLicenseActionsShowTheControlAPIMessage(t *testing.T) {
	srv, api := newServer(t, nil, nil)
	out, err := api.TestCodes(context.Background(), controlapi.TestCodesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	code := out.Codes[0].Code
	b := newBrowser(t, srv.URL())
	b.get("/console/licenses")
	if got := b.post("/console/actions/license-code", url.Values{"code": {code}, "step": {"expire"}}); got.status != http.StatusSeeOther {
		t.Fatalf("expire: HTTP %d", got.status)
	}
	tests := []struct {
		action string
		form   url.Values
		status int
		want   string
	}{
		{"license-code", url.Values{"code": {code}, "step": {"expire"}}, 409, code + " is frozen, not active"},
		{"license-code", url.Values{"code": {code}, "step": {"melt"}}, 404, `no license action &#34;melt&#34;`},
		{"license-code", url.Values{"code": {"PLNOPE"}, "step": {"expire"}}, 404, "license code PLNOPE does not exist"},
		{"license-code", url.Values{"code": {code}, "step": {"renew"}, "periodType": {"week"}}, 400, "periodType"},
		{"license-code", url.Values{}, 400, "name the code and the step"},
		{"license-test-codes", url.Values{"validity": {"forever"}}, 400, "validity must be a positive duration"},
		{"license-test-codes", url.Values{"count": {"lots"}}, 400, "count must be a whole number"},
		{"license-buy", url.Values{"periodNumber": {"0"}, "periodType": {"week"}}, 400, "periodType must be year, month or day"},
		{"license-probe", url.Values{"activity": {"newInstance"}, "probe": {"stale-timestamp"}}, 400, "license probes are for"},
	}
	for _, tt := range tests {
		got := b.post("/console/actions/"+tt.action, tt.form)
		if got.status != tt.status || !strings.Contains(got.body, tt.want) {
			t.Errorf("%s %v: HTTP %d, want %d with %q:\n%s", tt.action, tt.form, got.status, tt.status, tt.want, got.body)
		}
	}
	if got := b.get("/console/licenses/PLNOPE"); got.status != http.StatusNotFound || !strings.Contains(got.body, "license code PLNOPE does not exist") {
		t.Errorf("a missing code's page: HTTP %d", got.status)
	}
}
