package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/ids"
	"github.com/koomock/koomock/mock/notify"
	"github.com/koomock/koomock/mock/saas"
	"github.com/koomock/koomock/openapi"
	"github.com/koomock/koomock/protocol"
)

func runFire(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "fire", "fire ACTIVITY --seller-url URL [--access-key KEY] [--set field=value]... [--probe PROBE]")
	var sf sellerFlags
	sf.register(fs)
	var sets listFlag
	fs.Var(&sets, "set", "set a body `field=value` (repeatable); field= leaves the field out")
	probeName := fs.String("probe", "", "send a deliberate fault: tampered-signature, missing-signature, stale-timestamp or missing-field:FIELD")
	var activity string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		activity, args = args[0], args[1:]
	}
	if err := fs.parse(args); err != nil {
		return usageError(e, "fire", err)
	}
	if activity == "" && fs.NArg() > 0 {
		activity = fs.Arg(0)
	} else if fs.NArg() > 0 {
		return usageError(e, "fire", fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	}
	spec, err := openapi.Load(nil, openapi.SellerFile)
	if err != nil {
		fmt.Fprintf(e.stderr, "koomock fire: %v\n", err)
		return exitUsage
	}
	source := ids.New(nil)
	body, ok := saas.DebugBody(protocol.Activity(activity), source.UUID, time.Now())
	if !ok {
		return usageError(e, "fire", fmt.Errorf("name an activity koomock can fire: %s", strings.Join(fireable(spec), ", ")))
	}
	if sf.sellerURL == "" {
		return usageError(e, "fire", errors.New("--seller-url is required"))
	}
	if err := applySets(body, sets); err != nil {
		return usageError(e, "fire", err)
	}
	probe, err := controlapi.ParseProbe(*probeName)
	if err != nil {
		return usageError(e, "fire", err)
	}
	key := sf.accessKey
	if key == "" {
		key = fixtures.DemoAccessKey
	}
	n := &notify.Notifier{Timeout: time.Duration(sf.timeout), Nonce: source.Nonce, Spec: spec, RequireBodySign: sf.requireBodySign}
	allow, checks := saas.Judging(protocol.Activity(activity), body)
	if violations, _ := spec.CheckRequest(activity, body); len(violations) > 0 && probe == controlapi.NoProbe {
		fmt.Fprintf(e.stderr, "note: this %s body does not match openapi/seller.yaml, as you asked:\n", activity)
		for _, v := range violations {
			fmt.Fprintf(e.stderr, "  %s: %s\n", pointerOrBody(v.Pointer), v.Message)
		}
	}
	ex, err := n.Send(ctx, notify.Delivery{
		Activity: activity, URL: sf.sellerURL, Key: key, Body: body,
		Probe: probe, Allow: allow, Checks: checks,
	})
	if err != nil {
		fmt.Fprintf(e.stderr, "koomock fire: %v\n", err)
		return exitUsage
	}
	printExchange(e.stdout, ex)
	if ex.Failed() {
		return exitRule
	}
	return exitOK
}

func fireable(spec *openapi.Spec) []string {
	var out []string
	for _, name := range spec.Webhooks() {
		if _, ok := saas.DebugBody(protocol.Activity(name), func() string { return "" }, time.Time{}); ok {
			out = append(out, name)
		}
	}
	return out
}

// applySets applies --set field=value overrides; an empty value removes the field.
func applySets(body map[string]any, sets []string) error {
	for _, s := range sets {
		k, v, ok := strings.Cut(s, "=")
		if !ok || k == "" {
			return fmt.Errorf("--set %q: want field=value", s)
		}
		if k == protocol.FieldActivity {
			return errors.New("--set activity: name the activity as the command's argument instead")
		}
		if v == "" {
			delete(body, k)
			continue
		}
		body[k] = v
	}
	return nil
}

func pointerOrBody(p string) string {
	if p == "" {
		return "body"
	}
	return p
}
