package koomock

// The rules of an auto-deploy template (koomock template check): what KooGallery's template docs and
// its asset-centre recipe ask of a License product deployed from an asset (spec license-login §5).
const (
	// RuleTemplateParse: the template parses as HCL (.tf) or JSON (.tf.json).
	RuleTemplateParse Rule = "template.parse"
	// RuleTemplateDataSource: the template reads its package through huaweicloud_koogallery_assets,
	// naming asset_id and deployed_type.
	RuleTemplateDataSource Rule = "template.assetDataSource"
	// RuleTemplateDeployedType: deployed_type is software_package or image.
	RuleTemplateDeployedType Rule = "template.deployedType"
	// RuleTemplateAssetExists: the asset and version the data source names exist in the asset centre,
	// with that deployed type.
	RuleTemplateAssetExists Rule = "template.assetExists"
	// RuleTemplateDecoded: internal_path reaches user_data only un-escaped with jsondecode.
	RuleTemplateDecoded Rule = "template.internalPathDecoded"
	// RuleTemplateDownloads: a server's user_data downloads the decoded package URL.
	RuleTemplateDownloads Rule = "template.userDataDownloads"
	// RuleTemplateAttached: the asset has at least one auto-deploy template attached before submission.
	RuleTemplateAttached Rule = "template.attached"
	// RuleTemplateDescription: every variable has a description, which the buyer reads when deploying.
	RuleTemplateDescription Rule = "template.variableDescription"
	// RuleTemplateSensitive: a password-like variable is sensitive, so plans and logs do not show it.
	RuleTemplateSensitive Rule = "template.sensitivePassword"
)
