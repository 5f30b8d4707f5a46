package template

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/protocol"
)

// AssetQuery is what one huaweicloud_koogallery_assets data source asks the asset centre, its
// arguments evaluated with the buyer's inputs.
type AssetQuery struct {
	AssetID, DeployedType, Version, Region string
}

// Answer answers a data source as the deployed-object API does. An error stops the rendering.
type Answer func(ctx context.Context, q AssetQuery) ([]protocol.DeployedObject, error)

// Server is one resource of the template with a user_data: what the buyer's server runs first.
type Server struct {
	// Resource is TYPE.NAME, e.g. huaweicloud_compute_instance.server.
	Resource string
	// UserData is the script, base64-decoded when the template encoded it.
	UserData string
}

// Rendered is a template evaluated with the buyer's inputs and the asset centre's answers.
type Rendered struct {
	Servers []Server
	// Objects are the deployed objects the data sources were answered with, in the order asked.
	Objects []protocol.DeployedObject
	// Sensitive are the values of the sensitive variables, which a report must not print.
	Sensitive []string
}

// Variables returns the names of the template's variables, sorted, and whether each has a default.
func (m *Module) Variables() map[string]bool {
	out := map[string]bool{}
	for _, b := range m.blocks("variable") {
		attrs, _ := b.Body.JustAttributes()
		_, has := attrs["default"]
		out[b.Labels[0]] = has
	}
	return out
}

// blocks returns the module's blocks of one type.
func (m *Module) blocks(typ string) []*hcl.Block {
	var out []*hcl.Block
	for _, f := range m.Files {
		content, _, _ := f.Body.PartialContent(schema)
		for _, b := range content.Blocks {
			if b.Type == typ {
				out = append(out, b)
			}
		}
	}
	return out
}

// Render evaluates the template as a deployment does: each variable takes the buyer's input, else
// its default (a variable with neither is an error naming it), each koomock asset data source is
// answered by answer, and every resource's user_data is computed. A template that does not parse,
// an input no variable declares, or an expression that does not evaluate is an error with file and line.
func Render(ctx context.Context, m *Module, inputs map[string]string, answer Answer) (*Rendered, error) {
	for _, f := range m.Findings {
		return nil, fmt.Errorf("%s:%d: %s", f.File, f.Line, f.Message)
	}
	if len(m.Files) == 0 {
		return nil, fmt.Errorf("the template has no file")
	}
	var mod module
	mod.locals = hcl.Attributes{}
	for _, f := range m.Files {
		content, _, diags := f.Body.PartialContent(schema)
		if diags.HasErrors() {
			return nil, diags
		}
		for _, b := range content.Blocks {
			switch b.Type {
			case "variable":
				mod.variables = append(mod.variables, b)
			case "locals":
				attrs, diags := b.Body.JustAttributes()
				if diags.HasErrors() {
					return nil, diags
				}
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
	out := &Rendered{}
	vars, err := buyerValues(mod, inputs, out)
	if err != nil {
		return nil, err
	}
	ectx := &hcl.EvalContext{Variables: map[string]cty.Value{"var": objectOrEmpty(vars)}, Functions: baseFunctions()}
	assets := func(b *hcl.Block) (cty.Value, error) {
		attrs, _ := b.Body.JustAttributes()
		arg := func(name string) (string, error) {
			a, ok := attrs[name]
			if !ok {
				return "", nil
			}
			v, diags := a.Expr.Value(ectx)
			if diags.HasErrors() {
				return "", diags
			}
			if v, err := convert.Convert(v, cty.String); err == nil && v.IsKnown() && !v.IsNull() {
				return v.AsString(), nil
			}
			return "", fmt.Errorf("%s: %s is not a string", a.Range, name)
		}
		var q AssetQuery
		for name, dst := range map[string]*string{"asset_id": &q.AssetID, "deployed_type": &q.DeployedType, "asset_version": &q.Version, "region": &q.Region} {
			if *dst, err = arg(name); err != nil {
				return cty.NilVal, err
			}
		}
		objs, err := answer(ctx, q)
		if err != nil {
			return cty.NilVal, fmt.Errorf("%s: data %q %q: %w", b.DefRange, DataSource, b.Labels[1], err)
		}
		out.Objects = append(out.Objects, objs...)
		return assetsValue(q.AssetID, objs), nil
	}
	evalCtx, findings, err := evalContext(mod, vars, filepath.Dir(m.Names[0]), assets)
	if err != nil {
		return nil, err
	}
	for _, f := range findings {
		if f.Outcome == koomock.Fail {
			return nil, fmt.Errorf("%s:%d: %s", f.File, f.Line, f.Message)
		}
	}
	for _, b := range mod.resources {
		attrs, _ := b.Body.JustAttributes()
		a, ok := attrs["user_data"]
		if !ok {
			continue
		}
		v, diags := a.Expr.Value(evalCtx)
		if diags.HasErrors() {
			return nil, diags
		}
		if v, err = convert.Convert(v, cty.String); err != nil || !v.IsWhollyKnown() || v.IsNull() {
			return nil, fmt.Errorf("%s: the user_data of %s.%s does not evaluate to a script offline", a.Range, b.Labels[0], b.Labels[1])
		}
		out.Servers = append(out.Servers, Server{Resource: b.Labels[0] + "." + b.Labels[1], UserData: maybeBase64(v.AsString())})
	}
	if len(out.Servers) == 0 {
		return nil, fmt.Errorf("%s: no resource has a user_data to run", m.Names[0])
	}
	return out, nil
}

// buyerValues are the variables' values for a deployment: inputs over defaults. The sensitive ones
// are noted in out.
func buyerValues(mod module, inputs map[string]string, out *Rendered) (map[string]cty.Value, error) {
	declared := map[string]bool{}
	vals := map[string]cty.Value{}
	var missing []string
	for _, b := range mod.variables {
		name := b.Labels[0]
		declared[name] = true
		attrs, _ := b.Body.JustAttributes()
		var def cty.Value
		if d, ok := attrs["default"]; ok {
			v, diags := d.Expr.Value(nil)
			if diags.HasErrors() {
				return nil, diags
			}
			def = v
		}
		in, given := inputs[name]
		switch {
		case given:
			v := cty.StringVal(in)
			if def != cty.NilVal && !def.IsNull() && def.Type().IsPrimitiveType() {
				if c, err := convert.Convert(v, def.Type()); err == nil {
					v = c
				}
			}
			vals[name] = v
			if s, ok := attrs["sensitive"]; ok && literalTrue(s) && in != "" {
				out.Sensitive = append(out.Sensitive, in)
			}
		case def != cty.NilVal:
			vals[name] = def
		default:
			missing = append(missing, name)
		}
	}
	var unknown []string
	for name := range inputs {
		if !declared[name] {
			unknown = append(unknown, name)
		}
	}
	sort.Strings(unknown)
	sort.Strings(missing)
	switch {
	case len(unknown) > 0:
		return nil, fmt.Errorf("the template declares no variable %s", strings.Join(unknown, ", "))
	case len(missing) > 0:
		return nil, fmt.Errorf("the buyer must fill in %s: pass --var %s=VALUE", strings.Join(missing, ", "), missing[0])
	}
	return vals, nil
}

// assetsValue is the data source's value as the provider sets it: assets, one per deployed object,
// each deployable a one-element list.
func assetsValue(id string, objs []protocol.DeployedObject) cty.Value {
	list := make([]cty.Value, len(objs))
	for i, o := range objs {
		pkgs, imgs := []cty.Value{}, []cty.Value{}
		if p := o.SoftwarePkg; p != nil {
			pkgs = append(pkgs, cty.ObjectVal(map[string]cty.Value{"package_name": cty.StringVal(p.PackageName),
				"internal_path": cty.StringVal(p.InternalPath), "checksum": cty.StringVal(p.Checksum)}))
		}
		if img := o.Image; img != nil {
			imgs = append(imgs, cty.ObjectVal(map[string]cty.Value{"image_id": cty.StringVal(img.ImageID), "image_name": cty.StringVal(img.ImageName),
				"os_type": cty.StringVal(img.OSType), "create_time": cty.StringVal(img.CreateTime), "architecture": cty.StringVal(img.Architecture)}))
		}
		list[i] = cty.ObjectVal(map[string]cty.Value{
			"asset_id": cty.StringVal(o.AssetID), "deployed_type": cty.StringVal(o.DeployedType), "version": cty.StringVal(o.Version),
			"version_id": cty.StringVal(o.VersionID), "region": cty.StringVal(o.Region),
			"software_pkg_deployed_object": cty.TupleVal(pkgs), "image_deployed_object": cty.TupleVal(imgs),
		})
	}
	return cty.ObjectVal(map[string]cty.Value{"id": cty.StringVal(id), "assets": cty.TupleVal(list)})
}
