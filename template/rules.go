package template

import "github.com/koomock/koomock"

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

// Finding is one broken rule, where, and how to fix it.
type Finding struct {
	Rule    Rule            `json:"rule"`
	Outcome koomock.Outcome `json:"outcome"`
	File    string          `json:"file"`
	Line    int             `json:"line"`
	Message string          `json:"message"`
	Fix     string          `json:"fix"`
}
