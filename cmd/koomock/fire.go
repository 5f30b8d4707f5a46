package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/ids"
	"github.com/koomock/koomock/mock"
	"github.com/koomock/koomock/mock/license"
	"github.com/koomock/koomock/mock/notify"
	"github.com/koomock/koomock/mock/saas"
	"github.com/koomock/koomock/openapi"
	"github.com/koomock/koomock/protocol"
)

// fireSynopsis is the head of `koomock fire -h`: what each kind of activity is signed with and where it
// goes.
const fireSynopsis = `fire ACTIVITY --seller-url URL [--set field=value]... [--probe PROBE]

Sends one callback as the seller console's debugging does (testFlag 1), signed exactly as KooGallery
signs it, and judges the answer: exit 0 when every rule holds, 1 when one is broken, 2 for a usage error.
  SaaS activities    %s
                     to --seller-url, signed with --access-key
  license callbacks  %s
                     to --license-url (default --seller-url), signed with --license-key (default
                     --access-key), about a fresh code nobody bought
  kit syncs          %s
                     to --seller-url + /produceAPI/v2/SYNC, signed in x-sign with --kit-key
                     (--kit-inner-hmac for the docs' reading), about koomock's demo tenant;
                     applicationSync's clientSecret encrypted for --seller-public-key (--oaep-hash)
--set replaces a body field (JSON for a field that is not a string, e.g. --set flag=2); field= leaves
it out.`

// kitDomain stands for koomock's public URL in a fired tenantSync's domainName: where koomock serve
// listens by default. --set domainName=URL names another.
const kitDomain = "http://" + mock.DefaultAddr

// fireFlags are fire's settings: the seller's, and the license and kit ones each family of callbacks
// is addressed and signed with.
type fireFlags struct {
	seller sellerFlags
	lic    licenseFlags
	joint  jointFlags
}

func runFire(ctx context.Context, e *env, args []string) int {
	spec, err := openapi.Load(nil, openapi.SellerFile)
	if err != nil {
		fmt.Fprintf(e.stderr, "koomock fire: %v\n", err)
		return exitUsage
	}
	saasNames, licenseNames, kitNames := fireable(spec)
	fs := newFlagSet(e, "fire", fmt.Sprintf(fireSynopsis, strings.Join(saasNames, ", "), strings.Join(licenseNames, ", "), strings.Join(kitNames, ", ")))
	var ff fireFlags
	lang := registerLang(fs)
	ff.seller.register(fs)
	ff.lic.registerCallbacks(fs)
	ff.joint.registerKit(fs, " (default: koomock's demo kit key)")
	var sets listFlag
	fs.Var(&sets, "set", "set a body `field=value` (repeatable); field= leaves the field out")
	probeName := fs.String("probe", "", "send a deliberate fault: tampered-signature, missing-signature, stale-timestamp or missing-field:FIELD")
	asJSON := registerJSON(fs)
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
	d, err := ff.delivery(activity, ids.New(nil))
	if errors.Is(err, errNotFireable) {
		all := slices.Concat(saasNames, licenseNames, kitNames)
		return usageError(e, "fire", fmt.Errorf("name an activity koomock can fire: %s", strings.Join(all, ", ")))
	}
	if err != nil {
		return usageError(e, "fire", err)
	}
	if err := applySets(d.Body, sets); err != nil {
		return usageError(e, "fire", err)
	}
	if d.Probe, err = controlapi.ParseProbe(*probeName); err != nil {
		return usageError(e, "fire", err)
	}
	if d.Probe == controlapi.NoProbe {
		noteSchema(e, spec, d)
	}
	n := &notify.Notifier{Timeout: time.Duration(ff.seller.timeout), Nonce: ids.New(nil).Nonce, Spec: spec, RequireBodySign: ff.seller.requireBodySign,
		Policy: mock.Config{Strict: ff.seller.strict, Market: mock.MarketConfig{RequireBodySign: ff.seller.requireBodySign}}.Policy()}
	ex, err := n.Send(ctx, d)
	if err != nil {
		fmt.Fprintf(e.stderr, "koomock fire: %v\n", err)
		if *asJSON {
			writeJSON(e.stdout, jsonError{Error: err.Error()})
		}
		return exitUsage
	}
	if *asJSON {
		writeJSON(e.stdout, exchangeResult{Failed: ex.Failed(), Exchange: ex})
	} else {
		printExchange(e.stdout, lang.printer(e), ex)
	}
	if ex.Failed() {
		return exitRule
	}
	return exitOK
}

// errNotFireable is delivery's answer for a name that is no activity koomock can fire.
var errNotFireable = errors.New("not fireable")

// delivery builds the callback to fire from the body koomock's server sends for the same debug call,
// addressed, signed and judged as the server does.
func (ff *fireFlags) delivery(activity string, src *ids.Source) (notify.Callback, error) {
	now := time.Now()
	if body, ok := saas.DebugBody(protocol.Activity(activity), src.UUID, now); ok {
		if ff.seller.sellerURL == "" {
			return notify.Callback{}, errors.New("--seller-url is required")
		}
		allow, checks := saas.Judging(protocol.Activity(activity), body)
		return notify.Callback{Activity: protocol.Activity(activity), URL: ff.seller.sellerURL, Key: ff.accessKey(), Body: body, Allow: allow, Checks: checks}, nil
	}
	catalog, err := fixtures.LoadLicenseCatalog()
	if err != nil {
		return notify.Callback{}, err
	}
	if body, ok := license.DebugBody(protocol.Activity(activity), src, catalog.Products[0].ID, now); ok {
		url, key := ff.lic.url, ff.lic.key
		if url == "" {
			url = ff.seller.sellerURL
		}
		if key == "" {
			key = ff.accessKey()
		}
		if url == "" {
			return notify.Callback{}, errors.New("--license-url or --seller-url is required")
		}
		code, _ := body[protocol.FieldLicense].(string)
		return notify.Callback{Activity: protocol.Activity(activity), URL: url, Key: key, Body: body, InstanceID: code,
			ResultCodes: protocol.LicenseCallbackResults}, nil
	}
	if !slices.Contains(protocol.KitSyncs, protocol.Activity(activity)) {
		return notify.Callback{}, errNotFireable
	}
	if ff.seller.sellerURL == "" {
		return notify.Callback{}, errors.New("--seller-url is required: kit syncs go to it + " + protocol.KitPathPrefix + activity)
	}
	joint, err := ff.joint.config()
	if err != nil {
		return notify.Callback{}, err
	}
	if joint.KitKey == "" {
		joint.KitKey = fixtures.DemoKitKey
	}
	k, err := joint.StandaloneKit(ff.seller.sellerURL, kitDomain)
	if err != nil {
		return notify.Callback{}, err
	}
	d, _, err := k.DebugSync(protocol.Activity(activity))
	return d, err
}

// accessKey is the key of the basic interfaces: --access-key, or koomock's demo key.
func (ff *fireFlags) accessKey() string {
	if ff.seller.accessKey == "" {
		return fixtures.DemoAccessKey
	}
	return ff.seller.accessKey
}

// fireable lists the webhooks of openapi/seller.yaml fire can send, by family.
func fireable(spec *openapi.Spec) (saasNames, licenseNames, kitNames []string) {
	src := ids.New(nil)
	for _, name := range spec.Webhooks() {
		switch {
		case slices.Contains(protocol.KitSyncs, protocol.Activity(name)):
			kitNames = append(kitNames, name)
		case has(saas.DebugBody(protocol.Activity(name), src.UUID, time.Time{})):
			saasNames = append(saasNames, name)
		case has(license.DebugBody(protocol.Activity(name), src, "", time.Time{})):
			licenseNames = append(licenseNames, name)
		}
	}
	return saasNames, licenseNames, kitNames
}

// has is the ok of a body builder's answer.
func has(_ map[string]any, ok bool) bool { return ok }

// noteSchema warns, without failing, when --set made a body the seller's document does not allow: the
// user may well mean to send it.
func noteSchema(e *env, spec *openapi.Spec, d notify.Callback) {
	// Validate what goes on the wire: numbers as JSON numbers, whatever Go type built them.
	raw, err := protocol.MarshalCanonical(d.Body)
	if err != nil {
		return
	}
	var wire map[string]any
	if json.Unmarshal(raw, &wire) != nil {
		return
	}
	if violations, _ := spec.CheckRequest(string(d.Activity), wire); len(violations) > 0 {
		fmt.Fprintf(e.stderr, "note: this %s body does not match openapi/seller.yaml, as you asked:\n", d.Activity)
		for _, v := range violations {
			fmt.Fprintf(e.stderr, "  %s: %s\n", pointerOrBody(v.Pointer), v.Message)
		}
	}
}

// applySets applies --set field=value overrides; an empty value removes the field. A field that is not
// a string (a kit sync's flag, testFlag or userList) takes its value as JSON.
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
		if old, has := body[k]; has {
			if _, isString := old.(string); !isString {
				var value any
				if err := json.Unmarshal([]byte(v), &value); err != nil {
					return fmt.Errorf("--set %s: this field is not a string, so give its value as JSON: %v", k, err)
				}
				body[k] = value
				continue
			}
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
