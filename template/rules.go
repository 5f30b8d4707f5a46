package template

import "github.com/koomock/koomock"

// Rule names one check of a template.
type Rule string

// The rules, each with its default outcome when broken.
const (
	// RuleParse: the template parses as HCL (.tf) or JSON (.tf.json).
	RuleParse Rule = "template.parse"
	// RuleDataSource: the template reads its package through huaweicloud_koogallery_assets, naming
	// asset_id and deployed_type (documented).
	RuleDataSource Rule = "template.assetDataSource"
	// RuleDeployedType: deployed_type is software_package or image (documented).
	RuleDeployedType Rule = "template.deployedType"
	// RuleAssetExists: the asset and version the data source names exist in koomock's asset centre,
	// with that deployed type (documented: the data source answers nothing otherwise).
	RuleAssetExists Rule = "template.assetExists"
	// RuleDecoded: internal_path reaches user_data only un-escaped with jsondecode("\"${...}\"")
	// (documented recipe).
	RuleDecoded Rule = "template.internalPathDecoded"
	// RuleDownloads: a server's user_data downloads the decoded package URL (documented recipe).
	RuleDownloads Rule = "template.userDataDownloads"
	// RuleTemplateAttached: the asset has at least one auto-deploy template attached, as KooGallery
	// requires before submission. A warning, though documented: a seller checks a template before
	// attaching it.
	RuleTemplateAttached Rule = "template.attached"
	// RuleDescription: every variable has a description, which the buyer reads when deploying.
	RuleDescription Rule = "template.variableDescription"
	// RuleSensitive: a password-like variable is sensitive, so that plans and logs do not show it.
	RuleSensitive Rule = "template.sensitivePassword"
)

// outcomes are the rules' outcomes when broken: KooGallery's documented rules fail, the rest warn.
var outcomes = map[Rule]koomock.Outcome{
	RuleParse: koomock.Fail, RuleDataSource: koomock.Fail, RuleDeployedType: koomock.Fail,
	RuleAssetExists: koomock.Fail, RuleDecoded: koomock.Fail, RuleDownloads: koomock.Fail,
	RuleDescription: koomock.Warn, RuleSensitive: koomock.Warn, RuleTemplateAttached: koomock.Warn,
}

// Finding is one broken rule, where, and how to fix it.
type Finding struct {
	Rule    Rule            `json:"rule"`
	Outcome koomock.Outcome `json:"outcome"`
	File    string          `json:"file"`
	Line    int             `json:"line"`
	Message string          `json:"message"`
	Fix     string          `json:"fix"`
}
