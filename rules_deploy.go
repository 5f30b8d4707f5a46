package koomock

// The rules of a one-click deployment (koomock template deploy, and the @deploy scenarios of
// koomock verify): what the buyer's server must get from the seller's template and package, and
// what the installed software must then do with KooGallery's License API (spec license-login §5,
// §1.4).
const (
	// RuleDeployDownload: the server's user_data downloads the package from its internal_path.
	RuleDeployDownload Rule = "deploy.download"
	// RuleDeployChecksum: the bytes the server downloaded have the deployed object's SHA-256.
	RuleDeployChecksum Rule = "deploy.checksum"
	// RuleDeployInstall: the server's user_data (the package's install script) exits with 0.
	RuleDeployInstall Rule = "deploy.install"
	// RuleDeployActivation: the installed software activates the buyer's license code.
	RuleDeployActivation Rule = "deploy.activation"
	// RuleDeployHeartbeat: the installed software queries its code's status after activating it.
	RuleDeployHeartbeat Rule = "deploy.heartbeat"
)
