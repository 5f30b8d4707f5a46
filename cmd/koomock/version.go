package main

import (
	"context"
	"fmt"
	"runtime/debug"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = ""

// buildVersion returns the version koomock was built as.
func buildVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

func runVersion(_ context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "version", "version")
	if err := fs.parse(args); err != nil {
		return usageError(e, "version", err)
	}
	fmt.Fprintln(e.stdout, "koomock", buildVersion())
	return exitOK
}
