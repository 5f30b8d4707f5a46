// Package template checks a License product's auto-deploy template (a Terraform/RFS template, HCL or
// .tf.json) against what KooGallery documents for it (spec license-login §5): the package is read
// through the data source huaweicloud_koogallery_assets with a valid deployed_type, the asset and
// version exist in the asset centre, internal_path reaches the server's user_data only through the
// docs' jsondecode("\"${...}\"") un-escaping, and the user_data downloads the decoded URL.
//
// The template is parsed with hashicorp/hcl/v2 and evaluated with cty's functions, not matched with
// regular expressions: the data source is given a sample deployed object whose internal_path is
// JSON-escaped as KooGallery's is, the locals are evaluated in dependency order, and each user_data is
// computed; it must contain the un-escaped URL and not the escaped one. Variables take their defaults
// (a variable without one, its name).
//
// Rules documented by KooGallery are failures; the others (descriptions on variables, sensitive
// password variables) are warnings.
package template
