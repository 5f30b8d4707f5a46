package runner_test

import (
	"strings"
	"testing"

	"github.com/koomock/koomock/runner"
)

// matrix lists one scenario per interface of KooGallery's matrices, with the tags docs/tags.md asks the
// features to carry (most of them written by other issues). The columns are what each profile of
// spec saas-v2 §3.9 (general and joint-operation × one-time, yearly/monthly, on-demand) and
// license-login §4.5 must make of it: R required, O optional, S skipped.
var matrix = []struct {
	name string
	tags string
	// general one-time, period, on-demand; joint one-time, period, on-demand; license
	want string
}{
	{"newInstance", "@saas @newInstance", "RRR RRR S"},
	{"newInstance probe", "@saas @newInstance @probe", "RRR RRR S"},
	{"queryInstance", "@saas @queryInstance", "RRR RRR S"},
	{"refreshInstance (not one-time)", "@saas @refreshInstance @period @ondemand @package", "SRR SRR S"},
	{"updateInstanceStatus (not one-time)", "@saas @updateInstanceStatus @period @ondemand @package", "SRR SRR S"},
	{"releaseInstance", "@saas @releaseInstance", "RRR RRR S"},
	{"upgradeInstance (optional, period)", "@saas @upgradeInstance @period @upgrade @optional", "SSS SSS S"},
	{"changeInstanceCheck (optional, period)", "@saas @changeInstanceCheck @period @changeCheck @optional", "SSS SSS S"},
	{"async newInstance", "@saas @newInstance @async", "SSS SSS S"},
	{"replayed nonce (optional check)", "@saas @newInstance @probe @optional", "OOO OOO S"},
	{"usage push (on-demand)", "@saas @usagePush @ondemand @package", "SSR SSR S"},
	{"order query", "@saas @orderQuery", "RRR RRR S"},
	{"tenantSync", "@kit @tenantSync", "SSS RRR S"},
	{"applicationSync", "@kit @applicationSync", "SSS RRR S"},
	{"authSync", "@kit @authSync", "SSS RRR S"},
	{"singleOrgSync", "@kit @singleOrgSync", "SSS RRR S"},
	{"allOrgSync", "@kit @allOrgSync", "SSS RRR S"},
	{"OAuth login", "@login @oauth", "SSS RRR S"},
	{"CAS login", "@login @cas", "SSS RRR S"},
	{"refreshLicenseCode", "@license @refreshLicenseCode @period", "SSS SSS R"},
	{"updateLicenseCodeStatus", "@license @updateLicenseCodeStatus", "SSS SSS R"},
	{"releaseLicenseCode", "@license @releaseLicenseCode", "SSS SSS R"},
	{"license activate", "@license @licenseActivate", "SSS SSS R"},
	{"license heartbeat", "@license @licenseHeartbeat", "SSS SSS R"},
	{"lifecycle across activities", "@saas @lifecycle @period", "SRS SRS S"},
	{"seller's own feature, no tags", "", "RRR RRR R"},
}

var matrixProfiles = []string{
	"saas,onetime", "saas,period", "saas,ondemand",
	"joint,onetime", "joint,period", "joint,ondemand",
	"license",
}

func TestProfilesFollowKooGalleryMatrix(t *testing.T) {
	all := func(string) bool { return true }
	for _, row := range matrix {
		want := strings.ReplaceAll(row.want, " ", "")
		for i, ps := range matrixProfiles {
			p, err := runner.ParseProfile(ps)
			if err != nil {
				t.Fatal(err)
			}
			v := p.Classify(strings.Fields(row.tags), all)
			got := string("ROS"[v.Class])
			if got != want[i:i+1] {
				t.Errorf("%s under profile %s: %s (%s), want %s", row.name, ps, v.Class, v.Reason, want[i:i+1])
			}
			if v.Class == runner.Skipped && v.Reason == "" {
				t.Errorf("%s under %s: skipped without a reason", row.name, ps)
			}
		}
	}
}

func TestDeclaredCapabilitiesAreRequired(t *testing.T) {
	p, err := runner.ParseProfile("saas,period,upgrade,changeCheck,async,bodySign")
	if err != nil {
		t.Fatal(err)
	}
	for _, tags := range []string{
		"@saas @upgradeInstance @period @upgrade @optional",
		"@saas @changeInstanceCheck @period @changeCheck @optional",
		"@saas @newInstance @async",
		"@saas @newInstance @bodySign",
	} {
		if v := p.Classify(strings.Fields(tags), nil); v.Class != runner.Required {
			t.Errorf("%s: %s (%s), want required: the seller declared the capability", tags, v.Class, v.Reason)
		}
	}
	// Declared, but sold in no mode the scenario applies to.
	p, _ = runner.ParseProfile("saas,onetime,upgrade")
	if v := p.Classify(strings.Fields("@saas @upgradeInstance @period @upgrade"), nil); v.Class != runner.Skipped || !strings.Contains(v.Reason, "@period") {
		t.Errorf("upgrade for a one-time product: %+v", v)
	}
}

func TestMissingSettingsSkipWithReason(t *testing.T) {
	p, _ := runner.ParseProfile("joint,period")
	have := func(s string) bool { return s == "seller-login-url" }
	tests := []struct {
		tags, want string
	}{
		{"@kit @tenantSync", "needs --kit-key: kit syncs are signed"},
		{"@saas @newInstance @needs-seller-public-key", "needs --seller-public-key"},
	}
	for _, tt := range tests {
		v := p.Classify(strings.Fields(tt.tags), have)
		if v.Class != runner.Skipped || !strings.Contains(v.Reason, tt.want) {
			t.Errorf("%s: %+v, want skipped with %q", tt.tags, v, tt.want)
		}
	}
	if v := p.Classify([]string{"@login", "@oauth"}, have); v.Class != runner.Required {
		t.Errorf("login with --seller-login-url set: %+v", v)
	}
	lic, _ := runner.ParseProfile("license")
	if v := lic.Classify([]string{"@license", "@licenseActivate"}, have); v.Class != runner.Skipped || !strings.Contains(v.Reason, "--license-client-cmd") {
		t.Errorf("license client without --license-client-cmd: %+v", v)
	}
	// A plain SaaS seller is told the kit is not theirs, not that a key is missing.
	saas, _ := runner.ParseProfile("")
	if v := saas.Classify([]string{"@kit", "@tenantSync"}, have); !strings.Contains(v.Reason, "joint-operation") {
		t.Errorf("kit under the default profile: %+v", v)
	}
}

func TestParseProfile(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", runner.DefaultProfile},
		{"saas", "saas,period,onetime"},
		{"joint", "joint,period,onetime"},
		{"license", "license,period"},
		{"Yearly, monthly,upgrade", "saas,period,upgrade"},
		{"joint-operation,on-demand,package,change-check", "joint,ondemand,package,changeCheck"},
	}
	for _, tt := range tests {
		p, err := runner.ParseProfile(tt.in)
		if err != nil || p.String() != tt.want {
			t.Errorf("ParseProfile(%q) = %q, %v; want %q", tt.in, p, err, tt.want)
		}
	}
	for _, bad := range []string{"saas,license", "saas,weekly"} {
		if _, err := runner.ParseProfile(bad); err == nil || !strings.Contains(err.Error(), "profile") {
			t.Errorf("ParseProfile(%q): err = %v", bad, err)
		}
	}
}

// TestOneTimeUpdatesSwitch: the matrix's columns for refreshInstance and updateInstanceStatus are
// UNCERTAIN (spec saas-v2 §3.9); by default a one-time product is not asked for them, and the profile
// word onetime-updates asks for them.
func TestOneTimeUpdatesSwitch(t *testing.T) {
	tags := strings.Fields("@saas @refreshInstance @period @ondemand @package")
	def, _ := runner.ParseProfile("saas,onetime")
	if v := def.Classify(tags, nil); v.Class != runner.Skipped {
		t.Errorf("default: %+v, want skipped", v)
	}
	sw, err := runner.ParseProfile("saas,onetime,onetime-updates")
	if err != nil || sw.String() != "saas,onetime,onetime-updates" {
		t.Fatalf("%v %v", sw, err)
	}
	if v := sw.Classify(tags, nil); v.Class != runner.Required {
		t.Errorf("onetime-updates: %+v, want required", v)
	}
	if v := sw.Classify(strings.Fields("@saas @usagePush @ondemand"), nil); v.Class != runner.Skipped {
		t.Errorf("onetime-updates must not widen other interfaces: %+v", v)
	}
}
