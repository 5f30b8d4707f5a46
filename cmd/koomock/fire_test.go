package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/examples/seller"
	"github.com/koomock/koomock/examples/seller/sellertest"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/protocol"
)

// jointSeller is the reference seller with koomock's demo joint settings (kit key, key pair), or the
// named broken variant of it, at a real HTTP address; it returns the production URL.
func jointSeller(t *testing.T, variant string) string {
	t.Helper()
	cfg := seller.Config{AccessKey: fixtures.DemoAccessKey, Joint: seller.DemoJoint(nil)}
	if variant == "" {
		return referenceSeller(t, seller.New(cfg))
	}
	for _, v := range append(sellertest.Variants, sellertest.LicenseVariants...) {
		if v.Name == variant {
			return referenceSeller(t, v.Handler(cfg))
		}
	}
	t.Fatalf("no seller variant %q", variant)
	return ""
}

// TestFireLicenseAndKitAtTheReferenceSeller fires every license callback and kit sync at the bundled
// seller: each is accepted, judged against its own rules, and matches the seller's document.
func TestFireLicenseAndKitAtTheReferenceSeller(t *testing.T) {
	url := jointSeller(t, "")
	for _, a := range []protocol.Activity{
		protocol.RefreshLicenseCode, protocol.UpdateLicenseCodeStatus, protocol.ReleaseLicenseCode,
		protocol.TenantSync, protocol.ApplicationSync, protocol.AuthSync, protocol.SingleOrgSync, protocol.AllOrgSync,
	} {
		activity := string(a)
		code, out, errOut := cli(t, nil, "fire", activity, "--seller-url", url)
		if code != exitOK {
			t.Errorf("%s: exit %d\n%s\n%s", activity, code, out, errOut)
			continue
		}
		wants := []string{"ok   answer.succeeded: accepted with 000000", `"testFlag":`}
		if slices.Contains(protocol.KitSyncs, a) {
			wants = append(wants, "POST "+url+protocol.KitPathPrefix+activity, "signed (kit)", "X-Sign: ")
		} else {
			wants = append(wants, "POST "+url+"?", "signed (v2-basic)", `"license":"PL`)
		}
		if a == protocol.ApplicationSync {
			wants = append(wants, "ok   kit.clientSecret")
		}
		for _, want := range wants {
			if !strings.Contains(out, want) {
				t.Errorf("%s: output lacks %q:\n%s", activity, want, out)
			}
		}
		if strings.Contains(errOut, "does not match") {
			t.Errorf("%s: the body koomock builds breaks the seller's document:\n%s", activity, errOut)
		}
		for _, key := range []string{fixtures.DemoAccessKey, fixtures.DemoKitKey} {
			if strings.Contains(out, key) {
				t.Errorf("%s: fire printed a key", activity)
			}
		}
	}
}

// TestFireLicenseAndKitProbes: a refused probe passes; a seller that accepts a tampered signature fails,
// naming the rule.
func TestFireLicenseAndKitProbes(t *testing.T) {
	good := jointSeller(t, "")
	for _, activity := range []string{string(protocol.UpdateLicenseCodeStatus), string(protocol.AllOrgSync)} {
		code, out, _ := cli(t, nil, "fire", activity, "--seller-url", good, "--probe", "tampered-signature")
		if code != exitOK || !strings.Contains(out, "ok   probe.refused: refused a callback with a tampered signature with 000001") {
			t.Errorf("tampered %s at the reference seller: exit %d\n%s", activity, code, out)
		}
	}
	if code, out, _ := cli(t, nil, "fire", "tenantSync", "--seller-url", good, "--probe", "missing-field:tenantCode"); code != exitOK || !strings.Contains(out, "ok   probe.missingField") {
		t.Errorf("tenantSync without tenantCode: exit %d\n%s", code, out)
	}
	for variant, activity := range map[string]string{
		"license-no-signature-check": string(protocol.ReleaseLicenseCode),
		"ignores-kit-sign":           string(protocol.TenantSync),
	} {
		code, out, _ := cli(t, nil, "fire", activity, "--seller-url", jointSeller(t, variant), "--probe", "tampered-signature")
		if code != exitRule || !strings.Contains(out, "FAIL "+string(koomock.RuleRefused)) || !strings.Contains(out, "ACCEPTED") {
			t.Errorf("%s, tampered %s: exit %d\n%s", variant, activity, code, out)
		}
	}
}

// TestFireBrokenSellersAndSwitches: each broken seller fails with its rule, and the switch that
// matches its reading of the docs makes it pass.
func TestFireBrokenSellersAndSwitches(t *testing.T) {
	for _, c := range []struct {
		variant, activity string
		rule              koomock.Rule
		fix               []string
	}{
		{"license-saas-result-code", string(protocol.RefreshLicenseCode), koomock.RuleResultCode, nil},
		{"license-unsupported", string(protocol.ReleaseLicenseCode), koomock.RuleSucceeded, nil},
		{"cannot-decrypt-secret", string(protocol.ApplicationSync), koomock.RuleKitClientSecret, []string{"--oaep-hash", "sha1"}},
		{"kit-inner-hmac", string(protocol.AuthSync), koomock.RuleSucceeded, []string{"--kit-inner-hmac"}},
	} {
		url := jointSeller(t, c.variant)
		code, out, _ := cli(t, nil, "fire", c.activity, "--seller-url", url)
		if code != exitRule || !strings.Contains(out, "FAIL "+string(c.rule)) {
			t.Errorf("%s, %s: exit %d, want 1 naming %s\n%s", c.variant, c.activity, code, c.rule, out)
		}
		if c.fix == nil {
			continue
		}
		if code, out, _ := cli(t, nil, append([]string{"fire", c.activity, "--seller-url", url}, c.fix...)...); code != exitOK {
			t.Errorf("%s, %s %v: exit %d\n%s", c.variant, c.activity, c.fix, code, out)
		}
	}
}

// TestFireLicenseAndKitSettings: --set on license and kit bodies (JSON for a kit number), the license
// URL and key, and the seller's public key from a file.
func TestFireLicenseAndKitSettings(t *testing.T) {
	url := jointSeller(t, "")
	code, out, _ := cli(t, nil, "fire", "refreshLicenseCode", "--license-url", url, "--set", "license=PLMINE", "--set", "productId=")
	if code != exitOK || !strings.Contains(out, `"license":"PLMINE"`) || strings.Contains(out, `"productId"`) {
		t.Errorf("license --set: exit %d\n%s", code, out)
	}
	// The license key signs license callbacks; the seller here verifies with the access key.
	code, out, _ = cli(t, nil, "fire", "refreshLicenseCode", "--seller-url", url, "--license-key", "another-license-key")
	if code != exitRule || !strings.Contains(out, "000001") {
		t.Errorf("license callback signed with another key: exit %d\n%s", code, out)
	}
	code, out, _ = cli(t, nil, "fire", "tenantSync", "--seller-url", url, "--set", "flag=2", "--set", "domainName=https://idp.example.com")
	if code != exitOK || !strings.Contains(out, `"flag":2,`) || !strings.Contains(out, `"domainName":"https://idp.example.com"`) {
		t.Errorf("kit --set: exit %d\n%s", code, out)
	}
	if code, out, _ = cli(t, nil, "fire", "tenantSync", "--seller-url", url, "--kit-key", "not-the-kit-key"); code != exitRule {
		t.Errorf("kit sync signed with another key: exit %d\n%s", code, out)
	}
	pem := filepath.Join(t.TempDir(), "seller.pub.pem")
	if err := os.WriteFile(pem, fixtures.DemoSellerPublicKeyPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := cli(t, nil, "fire", "applicationSync", "--seller-url", url, "--seller-public-key", pem); code != exitOK {
		t.Errorf("--seller-public-key with the demo key: exit %d\n%s\n%s", code, out, errOut)
	}
	code, _, errOut := cli(t, nil, "fire")
	for _, want := range []string{"newInstance", "refreshLicenseCode", "releaseLicenseCode", "updateLicenseCodeStatus",
		"tenantSync", "applicationSync", "authSync", "singleOrgSync", "allOrgSync"} {
		if code != exitUsage || !strings.Contains(errOut, want) {
			t.Errorf("fire with no activity: exit %d, the list lacks %s: %s", code, want, errOut)
		}
	}
	for _, args := range [][]string{
		{"fire", "tenantSync"},
		{"fire", "refreshLicenseCode"},
		{"fire", "tenantSync", "--seller-url", url, "--set", "flag=two"},
		{"fire", "applicationSync", "--seller-url", url, "--oaep-hash", "md5"},
		{"fire", "applicationSync", "--seller-url", url, "--seller-public-key", filepath.Join(t.TempDir(), "absent.pem")},
		{"fire", "releaseLicenseCode", "--seller-url", url, "--probe", "gremlins"},
	} {
		if code, _, errOut := cli(t, nil, args...); code != exitUsage || errOut == "" {
			t.Errorf("%v: exit %d, stderr %q; want a usage error", args, code, errOut)
		}
	}
}
