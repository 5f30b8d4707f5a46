package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/i18n"
	"github.com/koomock/koomock/template"
)

const templateUsage = `Usage: koomock template check FILE|DIR [--mock-url URL] [--offline] [--attach] [--lang LANG]
       koomock template deploy FILE|DIR --var NAME=VALUE... [--mock-url URL] [--image IMAGE] [--lang LANG]

  check   check an auto-deploy template (.tf or .tf.json, or a directory of them) against the rules
          KooGallery documents for License products with automatic deployment: exit 0 when it passes,
          1 when it breaks a rule, 2 when it cannot be checked
  deploy  play the buyer's one-click deployment: evaluate the template with the buyer's inputs and
          koomock's asset centre, run each server's user_data in a container, and report the
          download, the checksum, the install's exit code and the software's first license
          activation: exit 0 when every step passes, 1 when one fails, 2 when it cannot be run

Run koomock template check -h or koomock template deploy -h for their flags.`

// runTemplate dispatches koomock template's subcommands.
func runTemplate(ctx context.Context, e *env, args []string) int {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
		fmt.Fprintln(e.stderr, templateUsage)
		return exitOK
	}
	if len(args) > 0 && args[0] == "deploy" {
		return runTemplateDeploy(ctx, e, args[1:])
	}
	if len(args) == 0 || args[0] != "check" {
		fmt.Fprintln(e.stderr, "koomock template: name a subcommand (run koomock template -h)\n"+templateUsage)
		return exitUsage
	}
	return runTemplateCheck(ctx, e, args[1:])
}

func runTemplateCheck(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "template check", "template check FILE|DIR [flags]")
	mockURL, client := assetClient(fs)
	offline := fs.Bool("offline", false, "do not ask koomock's asset centre whether the assets and versions exist")
	attach := fs.Bool("attach", false, "when the template FILE passes, attach it to the asset its data source names (an asset needs at least one template)")
	lang := registerLang(fs)
	var path string
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		path, args = args[0], args[1:]
	}
	if err := fs.parse(args); err != nil {
		return usageError(e, "template check", err)
	}
	if path == "" && fs.NArg() > 0 {
		path = fs.Arg(0)
	} else if fs.NArg() > 0 {
		return usageError(e, "template check", fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	}
	if path == "" {
		return usageError(e, "template check", errors.New("name the template FILE or DIR to check"))
	}
	m, err := template.Load(path)
	if err != nil {
		fmt.Fprintf(e.stderr, "koomock template check: %v\n", err)
		return exitUsage
	}
	if *attach && (*offline || m.Dir) {
		return usageError(e, "template check", errors.New("--attach takes one template FILE and the asset centre (not --offline)"))
	}
	var lookup template.Lookup
	var assets []string // the assets the data sources name, found in koomock
	api := client()
	if !*offline {
		lookup = func(ctx context.Context, id string) (koomock.Asset, bool, error) {
			a, err := api.Asset(ctx, id)
			if controlapi.ErrorCode(err) == controlapi.CodeNotFound {
				return a, false, nil
			}
			if err == nil {
				assets = append(assets, id)
			}
			return a, err == nil, err
		}
	}
	findings, err := template.Check(ctx, m, lookup)
	if err != nil {
		return assetFailed(e, *mockURL, fmt.Errorf("asking the asset centre: %w (or pass --offline)", err))
	}
	t := lang.printer(e)
	failed := false
	for _, f := range findings {
		word := t.T("templateCheck.warn")
		if f.Outcome == koomock.Fail {
			word, failed = t.T("templateCheck.fail"), true
		}
		// The fix is indented under the message, past the word (a Chinese character takes two cells).
		fmt.Fprintf(e.stdout, "%s %s:%d: %s: %s\n%s%s\n", word, f.File, f.Line, f.Rule, f.Text(t),
			strings.Repeat(" ", i18n.Cells(word)+1), t.T("templateCheck.fix", f.FixText(t)))
	}
	if failed {
		fmt.Fprintf(e.stdout, "\n%s\n", t.T("templateCheck.breaks", path))
		return exitRule
	}
	fmt.Fprintln(e.stdout, t.T("templateCheck.passes", path, len(findings)))
	if *attach {
		if len(assets) == 0 {
			fmt.Fprintf(e.stderr, "koomock template check: --attach: the template names no asset koomock has\n")
			return exitUsage
		}
		content, err := os.ReadFile(path)
		if err == nil {
			_, err = api.AttachTemplate(ctx, assets[0], filepath.Base(path), content)
		}
		if err != nil {
			return assetFailed(e, *mockURL, err)
		}
		fmt.Fprintln(e.stdout, t.T("templateCheck.attached", filepath.Base(path), assets[0]))
	}
	return exitOK
}
