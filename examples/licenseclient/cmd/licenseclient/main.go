// Command licenseclient is koomock's reference License 2.0 client as a program: it activates a
// license code, checks its status and reports usage, and blocks (exit 3, KOOMOCK-LICENSE-BLOCKED)
// when the code is not valid. Point it at koomock:
//
//	go run ./examples/licenseclient/cmd/licenseclient --url http://127.0.0.1:8080 \
//	    --ak KOOMOCKDEMOAKEXAMPLE --sk koomockDemoSecretKeyForLocalTestsOnly000 --license PLKOOMOCKDEMO0001
//
// or let koomock run it: koomock verify --license-client-cmd 'licenseclient'.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/koomock/koomock/examples/licenseclient"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := licenseclient.Main(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
