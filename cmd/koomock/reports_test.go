package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/koomock/koomock/examples/seller"
	"github.com/koomock/koomock/examples/seller/sellertest"
	"github.com/koomock/koomock/fixtures"
)

// TestVerifyWritesCIReports is the CI promise: JUnit, cucumber JSON (with the failed step's exchanges
// attached) and an offline HTML page, written in one run, with exit 1 for a seller that broke a rule.
func TestVerifyWritesCIReports(t *testing.T) {
	broken, _ := sellertest.Lookup("no-instance-id")
	url := referenceSeller(t, broken.Handler(seller.Config{AccessKey: fixtures.DemoAccessKey}))
	dir := t.TempDir()
	junit, cuke, html := filepath.Join(dir, "report.xml"), filepath.Join(dir, "cucumber.json"), filepath.Join(dir, "report.html")
	code, out, errOut := cli(t, nil, "verify", "--seller-url", url, "--seed", "5", "--tags", "@newInstance && ~@async",
		"--format", "progress,junit:"+junit+",cucumber:"+cuke+",html:"+html)
	if code != exitRule {
		t.Fatalf("exit %d, want %d\n%s\n%s", code, exitRule, out, errOut)
	}

	t.Run("junit", func(t *testing.T) {
		var suites struct {
			Suites []struct {
				Name     string `xml:"name,attr"`
				Tests    int    `xml:"tests,attr"`
				Failures int    `xml:"failures,attr"`
				Cases    []struct {
					Name    string    `xml:"name,attr"`
					Failure *struct{} `xml:"failure"`
				} `xml:"testcase"`
			} `xml:"testsuite"`
		}
		if err := xml.Unmarshal(mustRead(t, junit), &suites); err != nil || len(suites.Suites) == 0 {
			t.Fatalf("JUnit report: %v\n%s", err, mustRead(t, junit))
		}
		cases, failed := 0, 0
		for _, s := range suites.Suites {
			if strings.HasPrefix(s.Name, "koomock: ") {
				continue // the warnings and the production readiness, not scenarios
			}
			cases += len(s.Cases)
			failed += s.Failures
		}
		// The 8 newInstance scenarios --tags selects (not the asynchronous ones).
		if cases != 8 || failed == 0 {
			t.Errorf("JUnit: %d test cases, %d failures; want one per scenario (8), some failed", cases, failed)
		}
	})

	t.Run("cucumber attachments", func(t *testing.T) {
		var features []struct {
			Elements []struct {
				Steps []struct {
					Result     struct{ Status string } `json:"result"`
					Embeddings []struct {
						Name     string `json:"name"`
						MimeType string `json:"mime_type"`
						Data     string `json:"data"`
					} `json:"embeddings"`
				} `json:"steps"`
			} `json:"elements"`
		}
		if err := json.Unmarshal(mustRead(t, cuke), &features); err != nil {
			t.Fatal(err)
		}
		var exchange, curl bool
		for _, f := range features {
			for _, el := range f.Elements {
				for _, st := range el.Steps {
					for _, em := range st.Embeddings {
						data, err := base64.StdEncoding.DecodeString(em.Data)
						if err != nil {
							data = []byte(em.Data)
						}
						if st.Result.Status != "failed" {
							t.Errorf("attachment %s on a %s step", em.Name, st.Result.Status)
						}
						switch em.MimeType {
						case "application/json":
							exchange = exchange || bytes.Contains(data, []byte(`"rule": "newInstance.instanceId"`)) && bytes.Contains(data, []byte(`"request"`))
						case "text/x-sh":
							curl = curl || bytes.HasPrefix(data, []byte("curl -sS"))
						}
					}
				}
			}
		}
		if !exchange || !curl {
			t.Errorf("failed steps lack attachments: exchange with verdicts %v, curl %v", exchange, curl)
		}
	})

	t.Run("html", func(t *testing.T) {
		page := string(mustRead(t, html))
		for _, want := range []string{"<!doctype html>", "general SaaS", "seed 5", "A paid yearly order creates an instance",
			"newInstance.instanceId", "exchange #", "curl -sS", "The seller broke", "Production readiness", "readiness.https"} {
			if !strings.Contains(page, want) {
				t.Errorf("HTML report lacks %q", want)
			}
		}
		// Self-contained: it must open offline, so it loads nothing.
		for _, bad := range []string{"<script src", "<link", `src="http`, "@import"} {
			if strings.Contains(page, bad) {
				t.Errorf("HTML report loads an external resource (%s)", bad)
			}
		}
	})
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestVerifyRejectsBadFormats(t *testing.T) {
	for _, f := range []string{"progress,", "xml", "junit:", "html"} {
		code, _, errOut := cli(t, nil, "verify", "--format", f)
		if f == "html" {
			// html without a file writes the page to the terminal: allowed.
			if code != exitOK {
				t.Errorf("--format html: exit %d: %s", code, errOut)
			}
			continue
		}
		if code != exitUsage || !strings.Contains(errOut, "format") {
			t.Errorf("--format %q: exit %d, stderr %q", f, code, errOut)
		}
	}
}

// TestVerifyProfileSummary: the summary starts with the profile and says what was skipped and why;
// a plain SaaS seller is never failed on kit, login or license scenarios.
func TestVerifyProfileSummary(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "kit.feature", `@kit @tenantSync
Feature: Tenant sync (a stand-in until the kit features land)
  Scenario: a tenant is synced
    When KooGallery sends newInstance with a tampered signature
    Then the seller refuses it as a bad signature
`)
	code, out, errOut := cli(t, nil, "verify", "--features", dir, "--seed", "3", "--profile", "saas,period,onetime")
	if code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	summary := out[strings.Index(out, "koomock verify: profile"):]
	for _, want := range []string{
		"koomock verify: profile general SaaS sold @period @onetime; optional capabilities: none (--profile saas,period,onetime)",
		"skipped 10: @kit scenarios are for joint-operation SaaS products (--profile joint), not general SaaS",
		"skipped 8: @login scenarios are for joint-operation SaaS products (--profile joint), not general SaaS",
	} {
		if !strings.Contains(summary, want) {
			t.Errorf("summary lacks %q:\n%s", want, summary)
		}
	}
	counts := regexp.MustCompile(`(\d+) required, 0 optional, \d+ skipped`).FindStringSubmatch(summary)
	if counts == nil || !strings.Contains(summary, counts[1]+" scenarios, "+counts[1]+" passed, 0 failed") {
		t.Errorf("summary lacks the required count and its tally:\n%s", summary)
	}
	// Joint operation without a kit key: skipped for the missing setting, not failed.
	code, out, _ = cli(t, nil, "verify", "--features", dir, "--only-own", "--profile", "joint,period", "--seller-url", referenceSeller(t, nil))
	if code != exitOK || !strings.Contains(out, "skipped 1: needs --kit-key") {
		t.Errorf("joint profile without --kit-key: exit %d\n%s", code, out)
	}
	if code, _, errOut := cli(t, nil, "verify", "--profile", "saas,weekly"); code != exitUsage || !strings.Contains(errOut, `"weekly" is unknown`) {
		t.Errorf("bad profile: exit %d, %s", code, errOut)
	}
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestHTMLShowsDiagnoses: a seller that refuses correctly signed callbacks (here: it has another key)
// gets koomock's signature diagnosis on the page, next to the exchange.
func TestHTMLShowsDiagnoses(t *testing.T) {
	url := referenceSeller(t, nil)
	html := filepath.Join(t.TempDir(), "report.html")
	code, out, _ := cli(t, nil, "verify", "--seller-url", url, "--access-key", "another-key", "--tags", "@newInstance && ~@probe",
		"--format", "progress,html:"+html)
	if code != exitRule {
		t.Fatalf("exit %d\n%s", code, out)
	}
	page := string(mustRead(t, html))
	if !strings.Contains(page, "<b>diagnosis (") || !strings.Contains(page, "</html>") {
		t.Errorf("the page lacks the diagnosis or is cut short:\n%s", page[max(0, len(page)-2000):])
	}
}
