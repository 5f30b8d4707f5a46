package template

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/i18n"
)

// functions are the Terraform functions a template's user_data is commonly built with, from cty's
// standard library (base64 from Go's; file and templatefile read beside the template, in dir).
func functions(dir string) map[string]function.Function {
	fns := baseFunctions()
	fns["file"] = function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			b, err := os.ReadFile(filepath.Join(dir, args[0].AsString()))
			if err != nil {
				return cty.UnknownVal(cty.String), err
			}
			return cty.StringVal(string(b)), nil
		},
	})
	fns["templatefile"] = function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}, {Name: "vars", Type: cty.DynamicPseudoType}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			name := filepath.Join(dir, args[0].AsString())
			src, err := os.ReadFile(name)
			if err != nil {
				return cty.UnknownVal(cty.String), err
			}
			expr, diags := hclsyntax.ParseTemplate(src, name, hcl.Pos{Line: 1, Column: 1})
			if diags.HasErrors() {
				return cty.UnknownVal(cty.String), diags
			}
			vars := map[string]cty.Value{}
			if v := args[1]; v.IsKnown() && !v.IsNull() && (v.Type().IsObjectType() || v.Type().IsMapType()) {
				vars = v.AsValueMap()
			}
			out, diags := expr.Value(&hcl.EvalContext{Variables: vars, Functions: baseFunctions()})
			if diags.HasErrors() {
				return cty.UnknownVal(cty.String), diags
			}
			return out, nil
		},
	})
	return fns
}

// baseFunctions are the functions that need no files.
func baseFunctions() map[string]function.Function {
	return map[string]function.Function{
		"jsondecode": stdlib.JSONDecodeFunc, "jsonencode": stdlib.JSONEncodeFunc,
		"format": stdlib.FormatFunc, "join": stdlib.JoinFunc, "replace": stdlib.ReplaceFunc,
		"lower": stdlib.LowerFunc, "upper": stdlib.UpperFunc, "trimspace": stdlib.TrimSpaceFunc,
		"concat": stdlib.ConcatFunc, "length": stdlib.LengthFunc, "lookup": stdlib.LookupFunc,
		"element": stdlib.ElementFunc, "coalesce": stdlib.CoalesceFunc, "split": stdlib.SplitFunc,
		"base64encode": base64Func(func(s string) (string, error) { return base64.StdEncoding.EncodeToString([]byte(s)), nil }),
		"base64decode": base64Func(func(s string) (string, error) {
			b, err := base64.StdEncoding.DecodeString(s)
			return string(b), err
		}),
	}
}

func base64Func(f func(string) (string, error)) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "str", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			s, err := f(args[0].AsString())
			if err != nil {
				return cty.UnknownVal(cty.String), err
			}
			return cty.StringVal(s), nil
		},
	})
}

// sampleAssets is what check gives each koomock asset data source: one package version whose
// internal_path is JSON-escaped as KooGallery's is.
func sampleAssets(*hcl.Block) (cty.Value, error) {
	pkg := cty.ObjectVal(map[string]cty.Value{
		"package_name": cty.StringVal("package.tar.gz"), "internal_path": cty.StringVal(escaped()),
		"checksum": cty.StringVal(strings.Repeat("0", 64)),
	})
	img := cty.ObjectVal(map[string]cty.Value{
		"image_id": cty.StringVal("image"), "image_name": cty.StringVal("image"), "os_type": cty.StringVal("Linux"),
		"create_time": cty.StringVal(""), "architecture": cty.StringVal("x86_64"),
	})
	return cty.ObjectVal(map[string]cty.Value{"id": cty.StringVal("assets"), "assets": cty.TupleVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{
		"asset_id": cty.StringVal("ASSET"), "deployed_type": cty.StringVal("software_package"), "version": cty.StringVal("VERSION"),
		"version_id": cty.StringVal("VERSION-ID"), "region": cty.StringVal("cn-north-4"),
		"software_pkg_deployed_object": cty.TupleVal([]cty.Value{pkg}), "image_deployed_object": cty.TupleVal([]cty.Value{img}),
	})})}), nil
}

// evalContext is what the template's expressions see: the variables, each koomock asset data source
// answering what assets gives it, the locals evaluated in dependency order, and everything else
// (other data sources, resources) unknown. An error from assets is returned as it is.
func evalContext(mod module, vars map[string]cty.Value, dir string, assets func(*hcl.Block) (cty.Value, error)) (*hcl.EvalContext, []Finding, error) {
	data := map[string]map[string]cty.Value{}
	roots := map[string]cty.Value{"var": objectOrEmpty(vars), "path": cty.DynamicVal, "terraform": cty.DynamicVal,
		"count": cty.DynamicVal, "each": cty.DynamicVal, "self": cty.DynamicVal}
	for _, b := range mod.data {
		if data[b.Labels[0]] == nil {
			data[b.Labels[0]] = map[string]cty.Value{}
		}
		v := cty.DynamicVal
		if b.Labels[0] == DataSource {
			var err error
			if v, err = assets(b); err != nil {
				return nil, nil, err
			}
		}
		data[b.Labels[0]][b.Labels[1]] = v
	}
	dataVals := map[string]cty.Value{}
	for typ, byName := range data {
		dataVals[typ] = cty.ObjectVal(byName)
	}
	roots["data"] = objectOrEmpty(dataVals)
	for _, b := range mod.resources {
		roots[b.Labels[0]] = cty.DynamicVal
	}
	ctx := &hcl.EvalContext{Variables: roots, Functions: functions(dir)}
	// Locals in dependency order: a pass evaluates every local whose local references are known.
	locals := map[string]cty.Value{}
	var out []Finding
	pending := map[string]*hcl.Attribute{}
	for k, v := range mod.locals {
		pending[k] = v
	}
	for progress := true; progress && len(pending) > 0; {
		progress = false
		for name, a := range pending {
			if !localsKnown(a.Expr, locals) {
				continue
			}
			roots["local"] = objectOrEmpty(locals)
			v, diags := a.Expr.Value(ctx)
			if diags.HasErrors() {
				out = append(out, localFindings(name, a, diags)...)
				v = cty.DynamicVal
			}
			locals[name] = v
			delete(pending, name)
			progress = true
		}
	}
	for name := range pending { // a cycle: Terraform refuses it; here it is merely unknown
		locals[name] = cty.DynamicVal
	}
	roots["local"] = objectOrEmpty(locals)
	return ctx, out, nil
}

// localsKnown tells whether every local expr refers to is evaluated already.
func localsKnown(expr hcl.Expression, locals map[string]cty.Value) bool {
	for _, t := range expr.Variables() {
		if t.RootName() != "local" || len(t) < 2 {
			continue
		}
		if a, ok := t[1].(hcl.TraverseAttr); ok {
			if _, done := locals[a.Name]; !done {
				return false
			}
		}
	}
	return true
}

// localFindings explains a local that does not evaluate: a jsondecode that fails is the recipe
// applied wrongly (internal_path is no JSON document; it must be put in quotes first).
func localFindings(name string, a *hcl.Attribute, diags hcl.Diagnostics) []Finding {
	var out []Finding
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		if d.Summary == "Call to unknown function" {
			f := finding(RuleDownloads, a.Range, i18n.Say("templateCheck.unknownFunction", name, d.Detail),
				i18n.Say("templateCheck.fixUnknownFunction"))
			f.Outcome = koomock.Warn
			out = append(out, f)
			continue
		}
		if strings.Contains(d.Detail, `"jsondecode"`) {
			out = append(out, finding(RuleDecoded, a.Range, i18n.Say("templateCheck.jsondecode", name, d.Detail),
				i18n.Say("templateCheck.fixJsondecode")))
			continue
		}
		out = append(out, finding(RuleParse, a.Range, i18n.Say("templateCheck.noValue", name, d.Summary, d.Detail),
			i18n.Say("templateCheck.fixExpression")))
	}
	return out
}

// checkUserData evaluates every resource's user_data: it must carry the decoded download URL, never
// the escaped one.
func checkUserData(mod module, vars map[string]cty.Value, first string) []Finding {
	ctx, out, _ := evalContext(mod, vars, filepath.Dir(first), sampleAssets)
	seen := false
	for _, b := range mod.resources {
		attrs, _ := b.Body.JustAttributes()
		a, ok := attrs["user_data"]
		if !ok {
			continue
		}
		seen = true
		where := i18n.Phrase("templateCheck.userData", b.Labels[0], b.Labels[1])
		v, diags := a.Expr.Value(ctx)
		switch {
		case diags.HasErrors():
			out = append(out, localFindings(where, a, diags)...)
			continue
		case !v.IsWhollyKnown() || v.IsNull() || v.Type() != cty.String:
			f := finding(RuleDownloads, a.Range, i18n.Say("templateCheck.unknownUserData", where),
				i18n.Say("templateCheck.fixUnknownUserData"))
			f.Outcome = koomock.Warn
			out = append(out, f)
			continue
		}
		text := maybeBase64(v.AsString())
		switch {
		case strings.Contains(text, escaped()):
			out = append(out, finding(RuleDecoded, a.Range, i18n.Say("templateCheck.escaped", where),
				i18n.Say("templateCheck.fixEscaped")))
		case strings.Contains(text, sampleURL):
		default:
			out = append(out, finding(RuleDownloads, a.Range, i18n.Say("templateCheck.noDownload", where),
				i18n.Say("templateCheck.fixNoDownload")))
		}
	}
	if !seen {
		out = append(out, newFinding(RuleDownloads, first, 1,
			i18n.Say("templateCheck.noUserData"), i18n.Say("templateCheck.fixNoUserData")))
	}
	return out
}
