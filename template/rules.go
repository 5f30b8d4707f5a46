package template

import (
	"github.com/koomock/koomock"
	"github.com/koomock/koomock/i18n"
)

// Rule names one check of a template: a koomock.Rule, declared with its severity in the root
// package's registry like every other rule.
type Rule = koomock.Rule

// The rules of a template (rules_template.go in the root package).
const (
	RuleParse            = koomock.RuleTemplateParse
	RuleDataSource       = koomock.RuleTemplateDataSource
	RuleDeployedType     = koomock.RuleTemplateDeployedType
	RuleAssetExists      = koomock.RuleTemplateAssetExists
	RuleDecoded          = koomock.RuleTemplateDecoded
	RuleDownloads        = koomock.RuleTemplateDownloads
	RuleTemplateAttached = koomock.RuleTemplateAttached
	RuleDescription      = koomock.RuleTemplateDescription
	RuleSensitive        = koomock.RuleTemplateSensitive
)

// outcome is what breaking rule counts as: a failure when the registry says it is required, a
// warning when advisory.
func outcome(rule Rule) koomock.Outcome { return koomock.Policy{}.Broken(rule) }

// Finding is one broken rule, where, and how to fix it. Message and Fix are in English, for JSON
// readers; Key and Args, FixKey and FixArgs are their catalog messages, which a reader renders in its
// language (Text and FixText).
type Finding struct {
	Rule    Rule            `json:"rule"`
	Outcome koomock.Outcome `json:"outcome"`
	File    string          `json:"file"`
	Line    int             `json:"line"`
	Message string          `json:"message"`
	Fix     string          `json:"fix"`
	Key     string          `json:"key,omitempty"`
	Args    []string        `json:"args,omitempty"`
	FixKey  string          `json:"fixKey,omitempty"`
	FixArgs []string        `json:"fixArgs,omitempty"`
}

// newFinding is a finding of rule at file:line whose message and fix are catalog messages.
func newFinding(rule Rule, file string, line int, msg, fix i18n.Text) Finding {
	return Finding{Rule: rule, Outcome: outcome(rule), File: file, Line: line,
		Message: msg.English, Key: msg.Key, Args: msg.Args, Fix: fix.English, FixKey: fix.Key, FixArgs: fix.Args}
}

// Text renders the finding's message in p's language (its English when it has no key).
func (f Finding) Text(p *i18n.Printer) string {
	return p.Say(i18n.Text{English: f.Message, Key: f.Key, Args: f.Args})
}

// FixText renders the finding's fix in p's language (its English when it has no key).
func (f Finding) FixText(p *i18n.Printer) string {
	return p.Say(i18n.Text{English: f.Fix, Key: f.FixKey, Args: f.FixArgs})
}
