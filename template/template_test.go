package template_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/template"
)

// centre is an asset centre holding one package asset with version V1.0.
func centre(_ context.Context, id string) (koomock.Asset, bool, error) {
	if id != "ASSET-ID" {
		return koomock.Asset{}, false, nil
	}
	return koomock.Asset{ID: id, DeployedType: koomock.DeploySoftwarePackage, Versions: []koomock.AssetVersion{{Version: "V1.0"}},
		Templates: []koomock.AssetTemplate{{Name: "main.tf"}}}, true, nil
}

func check(t *testing.T, file string, lookup template.Lookup) []template.Finding {
	t.Helper()
	m, err := template.Load(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	out, err := template.Check(context.Background(), m, lookup)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func rules(fs []template.Finding) map[template.Rule]template.Finding {
	m := map[template.Rule]template.Finding{}
	for _, f := range fs {
		m[f.Rule] = f
	}
	return m
}

// TestCorrectTemplatesPass: the docs' recipe, in HCL and in JSON, passes every rule.
func TestCorrectTemplatesPass(t *testing.T) {
	for _, file := range []string{"good.tf", "good.tf.json"} {
		if out := check(t, file, centre); len(out) != 0 {
			t.Errorf("%s: %+v", file, out)
		}
	}
}

// TestBrokenTemplatesFailNamingTheRule: each mistake is found, with its rule, file and line.
func TestBrokenTemplatesFailNamingTheRule(t *testing.T) {
	for _, c := range []struct {
		file string
		rule template.Rule
		line int
		msg  string
	}{
		{"wrong_type.tf", template.RuleDeployedType, 14, "software_pkg"},
		{"undecoded.tf", template.RuleDecoded, 26, "JSON-escaped"},
		{"bare_jsondecode.tf", template.RuleDecoded, 20, "jsondecode"},
		{"broken.tf", template.RuleParse, 5, "no closing brace"},
	} {
		got, ok := rules(check(t, c.file, centre))[c.rule]
		if !ok || got.Outcome != koomock.Fail || got.Line != c.line || !strings.HasSuffix(got.File, c.file) || !strings.Contains(got.Message, c.msg) || got.Fix == "" {
			t.Errorf("%s: want %s at line %d mentioning %q, got %+v", c.file, c.rule, c.line, c.msg, check(t, c.file, centre))
		}
	}
}

// TestAssetCentreAndWarnings: an asset or version koomock lacks fails; a variable without description
// or a password that is not sensitive warns.
func TestAssetCentreAndWarnings(t *testing.T) {
	none := func(context.Context, string) (koomock.Asset, bool, error) { return koomock.Asset{}, false, nil }
	if f, ok := rules(check(t, "good.tf", none))[template.RuleAssetExists]; !ok || f.Line != 13 {
		t.Errorf("unknown asset: %+v", check(t, "good.tf", none))
	}
	image := func(_ context.Context, id string) (koomock.Asset, bool, error) {
		return koomock.Asset{ID: id, DeployedType: koomock.DeployImage}, true, nil
	}
	if _, ok := rules(check(t, "good.tf", image))[template.RuleDeployedType]; !ok {
		t.Error("a package data source for an image asset passed")
	}
	bare := func(_ context.Context, id string) (koomock.Asset, bool, error) {
		return koomock.Asset{ID: id, DeployedType: koomock.DeploySoftwarePackage}, true, nil
	}
	got := rules(check(t, "warnings.tf", bare))
	for _, r := range []template.Rule{template.RuleDescription, template.RuleSensitive, template.RuleTemplateAttached} {
		if f, ok := got[r]; !ok || f.Outcome != koomock.Warn {
			t.Errorf("%s: %+v", r, got)
		}
	}
}

// TestDirectory: a directory is one module, its files read together.
func TestDirectory(t *testing.T) {
	m, err := template.Load(filepath.Join("testdata", "split"))
	if err != nil {
		t.Fatal(err)
	}
	out, err := template.Check(context.Background(), m, centre)
	if err != nil || len(out) != 0 {
		t.Errorf("split module: %+v %v", out, err)
	}
	if _, err := template.Load("testdata/nothing-here"); err == nil {
		t.Error("a missing path loaded")
	}
}

// TestTemplatefile: a user_data rendered with templatefile from a file beside the template is
// evaluated; a function koomock does not evaluate is a warning, not a failure.
func TestTemplatefile(t *testing.T) {
	m, err := template.Load(filepath.Join("testdata", "templatefile"))
	if err != nil {
		t.Fatal(err)
	}
	out, err := template.Check(context.Background(), m, centre)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 1 || out[0].Outcome != koomock.Warn || !strings.Contains(out[0].Message, "timestamp") {
		t.Errorf("findings: %+v", out)
	}
}
