package template

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"

	"github.com/koomock/koomock/i18n"
)

// Module is a template as Terraform reads it: every .tf and .tf.json file of a directory, or one file.
type Module struct {
	Files []*hcl.File
	Names []string // each file's name, as findings print it
	// Dir tells a directory's module from one file's.
	Dir bool
	// Findings are the parse errors, each with its file and line.
	Findings []Finding
}

// Load parses a template file, or every .tf and .tf.json file of a directory. An error means nothing
// could be read (no such file, no template in the directory); a template that does not parse is
// loaded with RuleParse findings.
func Load(path string) (*Module, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	files := []string{path}
	if info.IsDir() {
		files = nil
		entries, err := os.ReadDir(path)
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			if !e.IsDir() && isTemplate(e.Name()) {
				files = append(files, filepath.Join(path, e.Name()))
			}
		}
		sort.Strings(files)
		if len(files) == 0 {
			return nil, fmt.Errorf("%s holds no .tf or .tf.json file", path)
		}
	} else if !isTemplate(path) {
		return nil, fmt.Errorf("%s: a template is a .tf or .tf.json file", path)
	}
	m := &Module{Dir: info.IsDir()}
	p := hclparse.NewParser()
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		var f *hcl.File
		var diags hcl.Diagnostics
		if strings.HasSuffix(name, ".json") {
			f, diags = p.ParseJSON(src, name)
		} else {
			f, diags = p.ParseHCL(src, name)
		}
		m.Findings = append(m.Findings, fromDiags(RuleParse, diags, i18n.Say("templateCheck.fixSyntax"))...)
		if f != nil && !diags.HasErrors() {
			m.Files, m.Names = append(m.Files, f), append(m.Names, name)
		}
	}
	return m, nil
}

func isTemplate(name string) bool {
	return strings.HasSuffix(name, ".tf") || strings.HasSuffix(name, ".tf.json")
}

// fromDiags turns HCL's error diagnostics into findings of rule.
func fromDiags(rule Rule, diags hcl.Diagnostics, fix i18n.Text) []Finding {
	var out []Finding
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		// HCL's own words stay as HCL prints them.
		what := d.Summary
		if d.Detail != "" {
			what += ": " + d.Detail
		}
		var file string
		var line int
		if d.Subject != nil {
			file, line = d.Subject.Filename, d.Subject.Start.Line
		}
		out = append(out, newFinding(rule, file, line, i18n.Say("templateCheck.hcl", what), fix))
	}
	return out
}
