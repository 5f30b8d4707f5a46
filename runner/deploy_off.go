//go:build nodeploy

package runner

import "context"

// deployRun, in the container image's build (-tags nodeploy), skips the deployment: that koomock
// links no Docker client and has no engine to start the buyer's server in.
func deployRun(ctx context.Context) error {
	return skip(ctx, "not in this build: run verify from the host (the container image's koomock is built with -tags nodeploy and starts no containers)")
}
