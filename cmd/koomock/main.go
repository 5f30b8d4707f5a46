// Command koomock is KooGallery on the seller's laptop and in CI.
//
//	koomock serve     run the marketplace emulator, its control API and console
//	koomock verify    run the conformance suite against a seller (by default the bundled reference seller)
//	koomock fire      send one signed callback to a seller and print request, answer and verdicts
//	koomock sign      print every intermediate value of each signature scheme, to compare with your code
//	koomock replay    re-send a recorded exchange with a fresh signature and judge it again
//	koomock steps     list the steps a seller's own features can use
//	koomock asset     upload a package to koomock's asset centre (asset add), list the assets
//	koomock template  check an auto-deploy template against KooGallery's rules (template check), deploy it
//	                  in a container as a buyer would (template deploy)
//	koomock ca        print the certificate of koomock's local CA, which issues its HTTPS certificate
//	koomock config    print the effective settings of a command, secrets masked
//	koomock healthcheck  exit 0 when a koomock serve on this host answers /healthz (the image's HEALTHCHECK)
//	koomock version   print the version (also koomock --version)
//	koomock completion  print a completion script for bash, zsh or fish
//	koomock help CMD  print a command's flags, as koomock CMD --help does
//
// Every flag can also be set with an environment variable (--seller-url is KOOMOCK_SELLER_URL) or in
// koomock.yaml (seller-url: ...); the command line wins over the environment, which wins over the file.
// Exit codes: 0 success, 1 the seller broke a KooGallery rule, 2 usage, configuration or harness error.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	// The container image is FROM scratch, without a CA bundle: these roots are used only when the
	// system has none, so callbacks to HTTPS sellers verify there too. SSL_CERT_FILE still wins.
	_ "golang.org/x/crypto/x509roots/fallback"
)

// env abstracts the process environment, so commands can be tested in-process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	lookupEnv      func(string) (string, bool)
	// environ lists the environment (os.Environ), to warn about unknown KOOMOCK_* variables; nil skips that.
	environ func() []string
	// inspect, when set, receives a command's flag set instead of letting the command run: right after
	// its flags are registered (inspectFlags) or once every setting is resolved (inspectSettings).
	// koomock config uses it to show and check settings without running anything.
	inspect     func(*flagSet)
	inspectWhen inspectStage
}

const (
	exitOK    = 0
	exitRule  = 1
	exitUsage = 2
)

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, e *env, args []string) int
}

func commands() []command {
	return []command{
		{"serve", "run the marketplace emulator, its control API and console", runServe},
		{"verify", "run the conformance suite against a seller", runVerify},
		{"fire", "send one signed callback to a seller and judge the answer", runFire},
		{"sign", "print every intermediate value of each KooGallery signature for a body and key", runSign},
		{"replay", "re-send a recorded exchange with a fresh signature and judge it again", runReplay},
		{"steps", "list the steps a seller's own features can use", runSteps},
		{"asset", "upload a package to koomock's asset centre (asset add FILE), list the assets", runAsset},
		{"template", "check an auto-deploy template against KooGallery's rules (template check FILE|DIR), or deploy it in a container as a buyer would (template deploy FILE)", runTemplate},
		{"ca", "print koomock's local CA certificate, to trust for its HTTPS (--tls-addr)", runCA},
		{"config", "print the effective settings of a command, secrets masked", runConfig},
		{"healthcheck", "exit 0 when koomock serve on this host is healthy, 1 when not", runHealthcheck},
		{"version", "print the version", runVersion},
		{"completion", "print a shell completion script: bash, zsh or fish", runCompletion},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, lookupEnv: os.LookupEnv, environ: os.Environ}, os.Args[1:])
	stop()
	os.Exit(code)
}

// run dispatches to a command and returns the process exit code.
func run(ctx context.Context, e *env, args []string) int {
	warnUnknownEnv(e)
	if len(args) > 0 && (args[0] == "--version" || args[0] == "-version") {
		args = []string{"version"}
	}
	if len(args) >= 2 && args[0] == "help" {
		// koomock help serve is koomock serve --help, so both print the same text.
		args = []string{args[1], "--help"}
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(e.stderr)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, e, args[1:])
		}
	}
	fmt.Fprintf(e.stderr, "koomock: unknown command %q; run koomock help\n", args[0])
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "koomock: KooGallery on your laptop and in CI.\n\nUsage: koomock COMMAND [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-11s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun koomock help COMMAND (or koomock COMMAND -h) for its flags, koomock completion SHELL for tab completion.")
	fmt.Fprintln(w, "Every flag can be set as KOOMOCK_<FLAG>, e.g. KOOMOCK_SELLER_URL.")
	fmt.Fprintln(w, "Exit codes: 0 success, 1 the seller broke a KooGallery rule, 2 usage, configuration or harness error.")
}
