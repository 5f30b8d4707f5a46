//go:build nodeploy

package main

import (
	"context"
	"fmt"
)

// runTemplateDeploy, in the container image's build (-tags nodeploy), refuses: the image holds no
// Docker engine to run the buyer's server in, and leaving testcontainers out keeps it within its size
// budget. The deployment runs from the host, against the container's koomock.
func runTemplateDeploy(_ context.Context, e *env, _ []string) int {
	fmt.Fprintln(e.stderr, "koomock template deploy is not in this build (the container image has no Docker engine to start the buyer's server in): run it on the host, e.g. go run ./cmd/koomock template deploy main.tf --mock-url http://127.0.0.1:8080 --var ecs_password=...")
	return 2
}
