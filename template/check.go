package template

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/i18n"
)

// DataSource is the Terraform data source an auto-deploy template reads its package through.
const DataSource = "huaweicloud_koogallery_assets"

// Lookup finds an asset in the asset centre: found false for one that does not exist. An error means
// the asset centre could not be asked.
type Lookup func(ctx context.Context, id string) (a koomock.Asset, found bool, err error)

// sampleURL stands in for a package's download URL; its "&" is what KooGallery's JSON escaping turns
// into \u0026, so the escaped and the decoded forms differ.
const sampleURL = "https://koomock.invalid/asset-packages/ASSET/VERSION/package.tar.gz?Expires=1&Signature=sample"

// escaped is sampleURL as internal_path carries it.
func escaped() string {
	b, _ := json.Marshal(sampleURL)
	return string(b[1 : len(b)-1])
}

var schema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
	{Type: "variable", LabelNames: []string{"name"}},
	{Type: "locals"},
	{Type: "data", LabelNames: []string{"type", "name"}},
	{Type: "resource", LabelNames: []string{"type", "name"}},
}}

// module is what the checks read of a template.
type module struct {
	variables []*hcl.Block
	locals    hcl.Attributes
	data      []*hcl.Block
	resources []*hcl.Block
}

// Check runs every rule on m and returns the findings, parse errors first. lookup, when not nil,
// checks the assets the data sources name; an error from it is returned as it is.
func Check(ctx context.Context, m *Module, lookup Lookup) ([]Finding, error) {
	out := append([]Finding(nil), m.Findings...)
	var mod module
	mod.locals = hcl.Attributes{}
	for _, f := range m.Files {
		content, _, diags := f.Body.PartialContent(schema)
		out = append(out, fromDiags(RuleParse, diags, i18n.Say("templateCheck.fixBlock"))...)
		for _, b := range content.Blocks {
			switch b.Type {
			case "variable":
				mod.variables = append(mod.variables, b)
			case "locals":
				attrs, diags := b.Body.JustAttributes()
				out = append(out, fromDiags(RuleParse, diags, i18n.Say("templateCheck.fixLocals"))...)
				for k, v := range attrs {
					mod.locals[k] = v
				}
			case "data":
				mod.data = append(mod.data, b)
			case "resource":
				mod.resources = append(mod.resources, b)
			}
		}
	}
	if len(m.Files) == 0 {
		return out, nil
	}
	out = append(out, checkVariables(mod)...)
	vars := variableValues(mod)
	found, err := checkDataSources(ctx, mod, vars, lookup, m.Names[0])
	out = append(out, found...)
	if err != nil {
		return out, err
	}
	out = append(out, checkUserData(mod, vars, m.Names[0])...)
	return out, nil
}

func finding(rule Rule, r hcl.Range, msg, fix i18n.Text) Finding {
	return newFinding(rule, r.Filename, r.Start.Line, msg, fix)
}

// checkVariables: descriptions, and password-like variables sensitive.
func checkVariables(mod module) []Finding {
	var out []Finding
	for _, b := range mod.variables {
		name := b.Labels[0]
		attrs, _ := b.Body.JustAttributes()
		if d, ok := attrs["description"]; !ok || literalString(d) == "" {
			out = append(out, finding(RuleDescription, b.DefRange, i18n.Say("templateCheck.noDescription", name),
				i18n.Say("templateCheck.fixDescription")))
		}
		lower := strings.ToLower(name)
		if strings.Contains(lower, "password") || strings.Contains(lower, "passwd") || strings.Contains(lower, "pwd") || strings.Contains(lower, "secret") {
			if s, ok := attrs["sensitive"]; !ok || !literalTrue(s) {
				out = append(out, finding(RuleSensitive, b.DefRange, i18n.Say("templateCheck.notSensitive", name),
					i18n.Say("templateCheck.fixSensitive")))
			}
		}
	}
	return out
}

func literalString(a *hcl.Attribute) string {
	v, diags := a.Expr.Value(nil)
	if diags.HasErrors() || !v.IsKnown() || v.IsNull() || v.Type() != cty.String {
		return ""
	}
	return strings.TrimSpace(v.AsString())
}

func literalTrue(a *hcl.Attribute) bool {
	v, diags := a.Expr.Value(nil)
	return !diags.HasErrors() && v.IsKnown() && !v.IsNull() && v.Type() == cty.Bool && v.True()
}

// variableValues are the variables' defaults; a variable without one is its own name, so that
// expressions using it still evaluate.
func variableValues(mod module) map[string]cty.Value {
	vals := map[string]cty.Value{}
	for _, b := range mod.variables {
		name := b.Labels[0]
		vals[name] = cty.StringVal(name)
		attrs, _ := b.Body.JustAttributes()
		if d, ok := attrs["default"]; ok {
			if v, diags := d.Expr.Value(nil); !diags.HasErrors() {
				vals[name] = v
			}
		}
	}
	return vals
}

var deployedTypes = []string{string(koomock.DeploySoftwarePackage), string(koomock.DeployImage)}

// checkDataSources: each huaweicloud_koogallery_assets names its asset and a valid deployed type, and
// the asset and version exist.
func checkDataSources(ctx context.Context, mod module, vars map[string]cty.Value, lookup Lookup, first string) ([]Finding, error) {
	var out []Finding
	ectx := &hcl.EvalContext{Variables: map[string]cty.Value{"var": objectOrEmpty(vars)}, Functions: baseFunctions()}
	n := 0
	for _, b := range mod.data {
		if b.Labels[0] != DataSource {
			continue
		}
		n++
		attrs, _ := b.Body.JustAttributes()
		value := func(name string) (string, *hcl.Attribute) {
			a, ok := attrs[name]
			if !ok {
				return "", nil
			}
			v, diags := a.Expr.Value(ectx)
			if diags.HasErrors() || !v.IsKnown() || v.IsNull() || v.Type() != cty.String {
				return "", a
			}
			return v.AsString(), a
		}
		id, idAttr := value("asset_id")
		typ, typAttr := value("deployed_type")
		version, _ := value("asset_version")
		if idAttr == nil || typAttr == nil {
			out = append(out, finding(RuleDataSource, b.DefRange, i18n.Say("templateCheck.lacksAsset", DataSource, b.Labels[1]),
				i18n.Say("templateCheck.fixLacksAsset")))
			continue
		}
		if !contains(deployedTypes, typ) {
			out = append(out, finding(RuleDeployedType, typAttr.Range, i18n.Say("templateCheck.badType", typ, strings.Join(deployedTypes, ", ")),
				i18n.Say("templateCheck.fixBadType")))
			continue
		}
		if lookup == nil || id == "" {
			continue
		}
		a, found, err := lookup(ctx, id)
		if err != nil {
			return out, err
		}
		switch {
		case !found:
			out = append(out, finding(RuleAssetExists, idAttr.Range, i18n.Say("templateCheck.noAsset", id),
				i18n.Say("templateCheck.fixNoAsset")))
		case string(a.DeployedType) != typ:
			out = append(out, finding(RuleDeployedType, typAttr.Range, i18n.Say("templateCheck.otherType", id, a.DeployedType, typ),
				i18n.Say("templateCheck.fixOtherType", a.DeployedType)))
		case version != "":
			if _, ok := a.Version(version); !ok {
				out = append(out, finding(RuleAssetExists, attrs["asset_version"].Range, i18n.Say("templateCheck.noVersion", id, version),
					i18n.Say("templateCheck.fixNoVersion")))
			}
		}
		if found && len(a.Templates) == 0 {
			out = append(out, finding(RuleTemplateAttached, idAttr.Range, i18n.Say("templateCheck.notAttached", id),
				i18n.Say("templateCheck.fixNotAttached")))
		}
	}
	if n == 0 {
		out = append(out, newFinding(RuleDataSource, first, 1,
			i18n.Say("templateCheck.noDataSource", DataSource), i18n.Say("templateCheck.fixNoDataSource", DataSource)))
	}
	return out, nil
}

func contains(list []string, s string) bool {
	for _, l := range list {
		if l == s {
			return true
		}
	}
	return false
}

func objectOrEmpty(m map[string]cty.Value) cty.Value {
	if len(m) == 0 {
		return cty.EmptyObjectVal
	}
	return cty.ObjectVal(m)
}

// maybeBase64 returns s decoded when it is base64 (a user_data written with base64encode).
func maybeBase64(s string) string {
	if b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s)); err == nil {
		return string(b)
	}
	return s
}
