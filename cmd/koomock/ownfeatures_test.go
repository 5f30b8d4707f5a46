package main

import (
	"bytes"
	"io/fs"
	"os"
	"strings"
	"testing"

	gherkin "github.com/cucumber/gherkin/go/v42"
	messages "github.com/cucumber/messages/go/v34"

	"github.com/koomock/koomock/features"
	"github.com/koomock/koomock/runner"
)

// TestStepsDocIsCurrent fails when docs/steps.md differs from what koomock steps --markdown prints:
// regenerate it with go run ./cmd/koomock steps --markdown > docs/steps.md.
func TestStepsDocIsCurrent(t *testing.T) {
	code, out, _ := cli(t, nil, "steps", "--markdown")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	doc, err := os.ReadFile("../../docs/steps.md")
	if err != nil {
		t.Fatal(err)
	}
	if string(doc) != out {
		t.Errorf("docs/steps.md is out of date; regenerate it: go run ./cmd/koomock steps --markdown > docs/steps.md")
	}
	code, out, _ = cli(t, nil, "steps")
	if code != exitOK || !strings.Contains(out, "e.g. a buyer pays for a yearly order") {
		t.Errorf("koomock steps: exit %d\n%s", code, out)
	}
}

// TestStepLibraryIsDocumented: every step has a description and an example its pattern matches, no
// example is ambiguous, and every step the embedded features use comes from the documented library.
func TestStepLibraryIsDocumented(t *testing.T) {
	for _, err := range runner.CheckLibrary() {
		t.Error(err)
	}
	err := fs.WalkDir(features.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".feature") {
			return err
		}
		data, _ := fs.ReadFile(features.FS, p)
		doc, err := gherkin.ParseGherkinDocument(bytes.NewReader(data), (&messages.Incrementing{}).NewId)
		if err != nil {
			return err
		}
		for _, pickle := range gherkin.Pickles(*doc, p, (&messages.Incrementing{}).NewId) {
			for _, st := range pickle.Steps {
				if !runner.MatchStep(st.Text) {
					t.Errorf("%s: step %q is not in the documented step library (runner.library)", p, st.Text)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestOwnFeatures: a seller's own feature runs with koomock's steps beside the suite or alone, and a
// broken one is a usage error that names the file or the step.
func TestOwnFeatures(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "monthly.feature", `@saas @newInstance
Feature: Our monthly plan
  Scenario: a monthly order gets an instance, even when resent
    Given a buyer paid for a monthly order
    When KooGallery sends newInstance again for the order with a new businessId
    Then the seller returned the same instance as the first time
`)
	code, out, errOut := cli(t, nil, "verify", "--features", dir, "--tags", "@newInstance && ~@async && ~@failure")
	if code != exitOK || !strings.Contains(out, "9 scenarios, 9 passed") {
		t.Fatalf("suite + own feature: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = cli(t, nil, "verify", "--features", dir, "--only-own", "--format", "pretty")
	if code != exitOK || !strings.Contains(out, "1 scenario, 1 passed") || !strings.Contains(out, "own/monthly.feature") {
		t.Fatalf("--only-own: exit %d\n%s\n%s", code, out, errOut)
	}

	undefined := t.TempDir()
	writeFile(t, undefined, "x.feature", "Feature: x\n  Scenario: y\n    When the seller dances\n")
	code, out, _ = cli(t, nil, "verify", "--features", undefined, "--only-own")
	if code != exitUsage || !strings.Contains(out, `step "the seller dances": step is undefined`) {
		t.Errorf("undefined step: exit %d\n%s", code, out)
	}

	for name, args := range map[string][]string{
		"not Gherkin":        {"--features", writeDir(t, "bad.feature", "Scenario: no feature around me\n  Given x\n")},
		"no feature files":   {"--features", t.TempDir()},
		"no folder":          {"--features", dir + "/nope"},
		"only-own, no input": {"--only-own"},
	} {
		if code, _, errOut := cli(t, nil, append([]string{"verify"}, args...)...); code != exitUsage || strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
			t.Errorf("%s: exit %d, stderr %q; want one line and exit 2", name, code, errOut)
		}
	}
}

func writeDir(t *testing.T, name, content string) string {
	dir := t.TempDir()
	writeFile(t, dir, name, content)
	return dir
}
