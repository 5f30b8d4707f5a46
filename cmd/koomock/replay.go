package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/mock"
	"github.com/koomock/koomock/runner"
)

func runReplay(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "replay", "replay EXCHANGE-ID [--mock-url URL]")
	mockURL := fs.String("mock-url", "http://"+mock.DefaultAddr, "the running koomock whose journal holds the exchange")
	adminToken := registerAdminToken(fs)
	asJSON := registerJSON(fs)
	lang := registerLang(fs)
	var idArg string
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		idArg, args = args[0], args[1:]
	}
	if err := fs.parse(args); err != nil {
		return usageError(e, "replay", err)
	}
	if idArg == "" && fs.NArg() > 0 {
		idArg = fs.Arg(0)
	} else if fs.NArg() > 0 {
		return usageError(e, "replay", fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	}
	id, err := strconv.ParseInt(idArg, 10, 64)
	if err != nil || id < 1 {
		return usageError(e, "replay", errors.New("name the exchange to replay by its ID, e.g. koomock replay 6 (the IDs are in verify's summary and GET /_mock/exchanges)"))
	}
	api := &controlapi.Client{BaseURL: *mockURL, Token: *adminToken}
	ex, err := api.Replay(ctx, id)
	var unreachable *controlapi.UnreachableError
	if errors.As(err, &unreachable) {
		err = fmt.Errorf("no koomock at %s (start one with koomock serve, or pass --mock-url): %v", *mockURL, unreachable.Err)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "koomock replay: %v\n", err)
		if *asJSON {
			writeJSON(e.stdout, jsonError{Error: err.Error()})
		}
		return exitUsage
	}
	if *asJSON {
		writeJSON(e.stdout, exchangeResult{Replayed: id, Failed: ex.Failed(), Exchange: ex})
	} else {
		fmt.Fprintf(e.stdout, "replayed exchange #%d as #%d, signed afresh\n\n", id, ex.ID)
		printExchange(e.stdout, lang.printer(e), ex)
	}
	if ex.Failed() {
		return exitRule
	}
	return exitOK
}

func runSteps(_ context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "steps", "steps [--markdown]")
	markdown := fs.Bool("markdown", false, "print docs/steps.md instead of the terminal listing")
	if err := fs.parse(args); err != nil {
		return usageError(e, "steps", err)
	}
	if fs.NArg() > 0 {
		return usageError(e, "steps", fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	}
	if *markdown {
		runner.WriteStepsMarkdown(e.stdout)
	} else {
		runner.WriteSteps(e.stdout)
	}
	return exitOK
}
