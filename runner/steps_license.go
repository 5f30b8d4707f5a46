package runner

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/cucumber/godog"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/i18n"
	"github.com/koomock/koomock/protocol"
)

// licenseScenario is the License 2.0 state of one running scenario.
type licenseScenario struct {
	code     string
	stateDir string
	runs     []clientRun
	// journalMark is the newest journal entry before the last run.
	journalMark int64
	// callbacks are the license callbacks the last lifecycle step sent.
	callbacks []*koomock.Exchange
}

// licenseState returns the scenario's License 2.0 state, made on first use.
func licenseState(ctx context.Context) *licenseScenario {
	s := state(ctx)
	if s.license == nil {
		s.license = &licenseScenario{}
	}
	return s.license
}

// licenseHooks removes the scenario's client state directory at its end.
func (r *run) licenseHooks(sc *godog.ScenarioContext) {
	sc.After(func(ctx context.Context, _ *godog.Scenario, err error) (context.Context, error) {
		if s, ok := ctx.Value(scenarioKey{}).(*scenario); ok && s.license != nil && s.license.stateDir != "" {
			os.RemoveAll(s.license.stateDir)
		}
		return ctx, nil
	})
}

func licenseSteps() StepGroup {
	return StepGroup{
		Name: "License 2.0: the seller's software and the license callbacks",
		Doc: "The seller's software (--license-client-cmd, or the bundled reference client) is run once per day of use " +
			"with a license code, and judged from koomock's journal and its decision (docs/license-client.md); the license " +
			"callbacks go to the seller's license production URL (--license-url, default --seller-url) " +
			"(spec license-login §1). Without a license client the client scenarios skip.",
		Steps: []StepDef{
			{`^a buyer bought a license code$`, "buys a code valid for ten years (so that no clock move elsewhere expires it) and receives it",
				"a buyer bought a license code", buyLicense},
			{`^another installation of the software activated the code$`, "activates the code through koomock's control API, as another installation would",
				"another installation of the software activated the code", licenseAction("activate")},
			{`^the gateway refuses the software's credentials$`, "fault license-gateway-error 401 (APIG.0301) on the scenario's code",
				"the gateway refuses the software's credentials", gatewayFault(controlapi.FaultLicenseGatewayError, "401")},
			{`^the gateway fails with HTTP (\d{3})$`, "fault license-gateway-error with that status on the scenario's code",
				"the gateway fails with HTTP 502", func(ctx context.Context, status string) error {
					return gatewayFault(controlapi.FaultLicenseGatewayError, status)(ctx)
				}},
			{`^the gateway answers slower than the software's timeout$`, "fault license-gateway-latency on the scenario's code: the answer is held until the software hangs up",
				"the gateway answers slower than the software's timeout", gatewayFault(controlapi.FaultLicenseGatewayLatency, "")},
			{`^the software (?:starts|started) with the code$`, "runs the license client once with the code",
				"the software starts with the code", startSoftware},
			{`^the software started with the code and runs$`, "runs the license client once and requires that it runs",
				"the software started with the code and runs", func(ctx context.Context) error {
					if err := startSoftware(ctx); err != nil {
						return err
					}
					return softwareRuns(ctx)
				}},
			{`^the software starts again the next day$`, "runs the license client again, as the next day's first use",
				"the software starts again the next day", startSoftware},
			{`^the software starts with a code KooGallery never issued$`, "runs the license client with a made-up code",
				"the software starts with a code KooGallery never issued", func(ctx context.Context) error {
					var b [6]byte
					rand.Read(b[:])
					licenseState(ctx).code = fmt.Sprintf("PLNEVERISSUED%X", b)
					return startSoftware(ctx)
				}},
			{`^the license code (?:expires|expired)$`, "brings the code's expiry to now: it is frozen (updateLicenseCodeStatus FREEZE)",
				"the license code expires", licenseAction(controlapi.LicenseExpire)},
			{`^(?:KooGallery releases the code|the freeze window ends|KooGallery sends releaseLicenseCode again)$`,
				"releases the code (releaseLicenseCode); for a code already released, sends releaseLicenseCode again",
				"the freeze window ends", licenseAction(controlapi.LicenseRelease)},
			{`^the buyer (?:renews|renewed) the license for a year$`, "renews the code for a year: refreshLicenseCode RENEWAL, and UNFREEZE for a frozen code",
				"the buyer renews the license for a year", licenseAction(controlapi.LicenseRenew)},
			{`^the buyer unsubscribes the renewal period$`, "takes the last renewal back: refreshLicenseCode UNSUBSCRIBE_RENEWAL_PERIOD",
				"the buyer unsubscribes the renewal period", licenseAction(controlapi.LicenseUnsubscribeRenewal)},
			{`^the buyer (?:unsubscribes|unsubscribed) the license$`, "unsubscribes: releaseLicenseCode with the unsubscription order",
				"the buyer unsubscribes the license", licenseAction(controlapi.LicenseUnsubscribe)},
			{`^KooGallery sends the license callback (\w+) with a tampered signature$`, "a license callback for an unknown code, its signature tampered",
				"KooGallery sends the license callback updateLicenseCodeStatus with a tampered signature",
				func(ctx context.Context, activity string) error {
					return licenseProbe(ctx, activity, controlapi.TamperedSignature)
				}},
			{`^KooGallery sends the license callback (\w+) without the mandatory field "([^"]+)"$`, "a license callback without one of its mandatory fields",
				`KooGallery sends the license callback releaseLicenseCode without the mandatory field "license"`,
				func(ctx context.Context, activity, field string) error {
					return licenseProbe(ctx, activity, controlapi.MissingField(field))
				}},
			{`^the software activated the code$`, "koomock holds the code as activated", "the software activated the code", softwareActivated},
			{`^the software checked the code's status(?: again)?$`, "the last run made a successful heartbeat about the code",
				"the software checked the code's status", softwareCheckedStatus},
			{`^the software reported usage statistics$`, "the last run reported usage of the code, accepted",
				"the software reported usage statistics", softwareReportedUsage},
			{`^the software runs$`, "the last run neither exited non-zero nor printed KOOMOCK-LICENSE-BLOCKED", "the software runs", softwareRuns},
			{`^the software blocks the user$`, "the last run exited non-zero or printed KOOMOCK-LICENSE-BLOCKED", "the software blocks the user", softwareBlocks},
			{`^the software gives up waiting$`, "the last run decided before koomock stopped waiting (--license-client-wait)",
				"the software gives up waiting", softwareGivesUp},
			{`^the software's calls follow every KooGallery rule$`, "no call of the last run about the code broke a rule (signature, schema)",
				"the software's calls follow every KooGallery rule", softwareCallsFollowRules},
			{`^the seller accepts every callback$`, "every license callback of the last step was answered with success",
				"the seller accepts every callback", sellerAcceptsEvery},
			{`^every answer follows every KooGallery rule$`, "no license callback of the last step broke a rule",
				"every answer follows every KooGallery rule", everyAnswerFollowsRules},
		},
	}
}

// buyLicense buys a code valid for ten years, so that other scenarios moving the clock cannot make it
// expire under this one.
func buyLicense(ctx context.Context) error {
	s, l := state(ctx), licenseState(ctx)
	out, err := s.api.BuyLicense(ctx, controlapi.LicensePurchase{PeriodType: koomock.PeriodYear, PeriodNumber: 10})
	if err != nil {
		return harness(fmt.Errorf("buy a license: %w", err))
	}
	l.code = out.Codes[0].Code
	return nil
}

func needCode(l *licenseScenario) error {
	if l.code == "" {
		return harness(errors.New("no license code in this scenario: add a step that buys one"))
	}
	return nil
}

func licenseAction(action controlapi.LicenseAction) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		s, l := state(ctx), licenseState(ctx)
		if err := needCode(l); err != nil {
			return err
		}
		var req any
		if action == controlapi.LicenseRenew {
			req = controlapi.LicenseRenewal{PeriodType: koomock.PeriodYear, PeriodNumber: 1}
		}
		res, err := s.api.LicenseAction(ctx, l.code, action, req)
		if err != nil {
			return harness(fmt.Errorf("%s license code %s: %w", action, l.code, err))
		}
		l.callbacks = res.Callbacks
		for _, e := range res.Callbacks {
			s.record(e)
		}
		return nil
	}
}

func gatewayFault(name, value string) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		s, l := state(ctx), licenseState(ctx)
		if err := needCode(l); err != nil {
			return err
		}
		if _, err := s.api.SetFault(ctx, koomock.Fault{Name: name, Target: l.code, Value: value}); err != nil {
			return harness(fmt.Errorf("switch on fault %s: %w", name, err))
		}
		return nil
	}
}

func licenseProbe(ctx context.Context, activity string, p controlapi.Probe) error {
	s := state(ctx)
	e, err := s.api.LicenseProbe(ctx, controlapi.LicenseProbe{Activity: protocol.Activity(activity), Probe: string(p), Refusals: s.opts.Refusals[p.Kind()]})
	if err != nil {
		return harness(fmt.Errorf("send %s probe of %s: %w", p, activity, err))
	}
	s.record(e)
	return nil
}

// startSoftware runs the seller's license client once, as the day's first start of the software.
func startSoftware(ctx context.Context) error {
	s, l := state(ctx), licenseState(ctx)
	if s.opts.LicenseClient == nil {
		return skip(ctx, "needs --license-client-cmd: license client scenarios run the seller's software with a license code")
	}
	if err := needCode(l); err != nil {
		return err
	}
	if l.stateDir == "" {
		dir, err := os.MkdirTemp("", "koomock-license-")
		if err != nil {
			return harness(err)
		}
		l.stateDir = dir
	}
	l.journalMark = 0
	if list, err := s.api.Exchanges(ctx, koomock.ExchangeFilter{Limit: 1}); err == nil && len(list) > 0 {
		l.journalMark = list[0].ID
	}
	ak, sk := s.opts.AK, s.opts.SK
	if ak == "" {
		ak, sk = demoAK, demoSK
	}
	env := map[string]string{EnvURL: s.api.BaseURL, EnvAK: ak, EnvSK: sk, EnvLicenseCode: l.code, EnvStateDir: l.stateDir}
	run, err := runClient(ctx, s.opts.LicenseClient, l.code, env, s.opts.ClientWait)
	if err != nil {
		return harness(err)
	}
	l.runs = append(l.runs, run)
	return nil
}

// The demo AK/SK (fixtures.DemoAK, fixtures.DemoSK), repeated here because the runner talks to koomock
// only through its control API.
const (
	demoAK = "KOOMOCKDEMOAKEXAMPLE"
	demoSK = "koomockDemoSecretKeyForLocalTestsOnly000"
)

func lastRun(l *licenseScenario) (clientRun, error) {
	if len(l.runs) == 0 {
		return clientRun{}, harness(errors.New("the software has not been started in this scenario"))
	}
	return l.runs[len(l.runs)-1], nil
}

// clientExchanges returns the calls the client made about the code during its last run, oldest
// first: those koomock tied to the code, and the others whose body names it (a batch tied to another
// code, or a call the gateway refused before anything was tied).
func clientExchanges(ctx context.Context, s *scenario, l *licenseScenario) ([]koomock.Exchange, error) {
	var out []koomock.Exchange
	for _, activity := range []protocol.Activity{protocol.LicenseAPIActivate, protocol.LicenseAPIHeartbeat, protocol.LicenseAPIUsage} {
		list, err := s.api.Exchanges(ctx, koomock.ExchangeFilter{Direction: koomock.Inbound, Activity: activity, AfterID: l.journalMark, Limit: 1000})
		if err != nil {
			return nil, harness(err)
		}
		for _, e := range list {
			if e.InstanceID == l.code || strings.Contains(e.Request.Body, l.code) {
				out = append(out, e)
			}
		}
	}
	slices.SortFunc(out, func(a, b koomock.Exchange) int { return int(a.ID - b.ID) })
	return out, nil
}

// succeeded returns the calls of activity among calls that KooGallery answered with success for the
// code (for usage statistics: without listing the code as refused).
func succeeded(calls []koomock.Exchange, activity protocol.Activity, code string) []koomock.Exchange {
	var out []koomock.Exchange
	for _, e := range calls {
		v, ok := e.Verdict(koomock.RuleLicenseCall)
		if e.Activity != activity || !ok || v.Outcome != koomock.Pass || e.Response == nil {
			continue
		}
		if activity == protocol.LicenseAPIUsage && strings.Contains(e.Response.Body, code) {
			continue // listed among the codes whose usage was refused
		}
		out = append(out, e)
	}
	return out
}

// clientFailure fails a step under rule, with the failed verdicts of the client's calls that explain it.
func clientFailure(ctx context.Context, what string, rule koomock.Rule, key string, args ...any) error {
	s, l := state(ctx), licenseState(ctx)
	calls, err := clientExchanges(ctx, s, l)
	if err != nil {
		return err
	}
	re := &ruleError{what: what}
	for i := range calls {
		if calls[i].Failed() {
			re.verdicts = append(re.verdicts, calls[i].Failures()...)
			if re.exchange == nil {
				re.exchange = &calls[i]
			}
		}
	}
	re.verdicts = append(re.verdicts, i18n.Verdict(rule, koomock.Fail, key, args...))
	return re
}

func softwareActivated(ctx context.Context) error {
	s, l := state(ctx), licenseState(ctx)
	run, err := lastRun(l)
	if err != nil {
		return err
	}
	d, err := s.api.LicenseCode(ctx, l.code)
	if err != nil {
		return harness(err)
	}
	if d.Code.Activated {
		return nil
	}
	return clientFailure(ctx, "the software did not activate the license code", koomock.RuleLicenseActivates,
		"verdict.licenseActivates.fail", l.code, run.describe())
}

func softwareCheckedStatus(ctx context.Context) error {
	return clientDid(ctx, protocol.LicenseAPIHeartbeat, "the software did not check the code's status", koomock.RuleLicenseHeartbeat,
		"verdict.licenseHeartbeat.fail")
}

func softwareReportedUsage(ctx context.Context) error {
	return clientDid(ctx, protocol.LicenseAPIUsage, "the software did not report usage statistics", koomock.RuleLicenseUsage,
		"verdict.licenseUsage.fail")
}

// clientDid fails under rule unless the client's last run made a successful call of activity about
// the code; key's message is rendered with the code and what the run did.
func clientDid(ctx context.Context, activity protocol.Activity, what string, rule koomock.Rule, key string) error {
	s, l := state(ctx), licenseState(ctx)
	run, err := lastRun(l)
	if err != nil {
		return err
	}
	calls, err := clientExchanges(ctx, s, l)
	if err != nil {
		return err
	}
	if len(succeeded(calls, activity, l.code)) > 0 {
		return nil
	}
	return clientFailure(ctx, what, rule, key, l.code, run.describe())
}

func softwareRuns(ctx context.Context) error {
	run, err := lastRun(licenseState(ctx))
	if err != nil {
		return err
	}
	if !run.Blocked {
		return nil
	}
	return clientFailure(ctx, "the software refused a valid license code", koomock.RuleLicenseRuns,
		"verdict.licenseRuns.fail", run.describe())
}

func softwareBlocks(ctx context.Context) error {
	s, l := state(ctx), licenseState(ctx)
	run, err := lastRun(l)
	if err != nil {
		return err
	}
	if run.Blocked {
		return nil
	}
	why := i18n.Phrase("verdict.licenseBlocks.neverIssued", l.code)
	if d, err := s.api.LicenseCode(ctx, l.code); err == nil {
		why = i18n.Phrase("verdict.licenseBlocks.state", l.code, d.Code.State)
		if len(d.Heartbeats) > 0 && d.Heartbeats[0].Status != "" {
			why = i18n.Phrase("verdict.licenseBlocks.reported", l.code, d.Code.State, d.Heartbeats[0].Status)
		}
	}
	return &ruleError{what: "the software did not block the user", verdicts: []koomock.Verdict{
		i18n.Verdict(koomock.RuleLicenseBlocks, koomock.Fail, "verdict.licenseBlocks.fail", why, MarkerBlocked, run.describe())}}
}

func softwareGivesUp(ctx context.Context) error {
	run, err := lastRun(licenseState(ctx))
	if err != nil {
		return err
	}
	if !run.Lingered {
		return nil
	}
	return &ruleError{what: "the software waited for the gateway indefinitely", verdicts: []koomock.Verdict{
		i18n.Verdict(koomock.RuleLicenseTimeout, koomock.Fail, "verdict.licenseTimeout.fail", run.describe())}}
}

func softwareCallsFollowRules(ctx context.Context) error {
	s, l := state(ctx), licenseState(ctx)
	calls, err := clientExchanges(ctx, s, l)
	if err != nil {
		return err
	}
	for i := range calls {
		if calls[i].Failed() {
			return broke(fmt.Sprintf("the software's %s call broke %d KooGallery rule(s)", calls[i].Activity, len(calls[i].Failures())), &calls[i])
		}
	}
	return nil
}

func sellerAcceptsEvery(ctx context.Context) error {
	l := licenseState(ctx)
	if len(l.callbacks) == 0 {
		return harness(errors.New("koomock sent no license callback in this step"))
	}
	for _, e := range l.callbacks {
		if v, ok := e.Verdict(koomock.RuleSucceeded); !ok || v.Outcome != koomock.Pass {
			return broke(fmt.Sprintf("the seller did not accept a correctly signed %s", e.Activity), e)
		}
	}
	return nil
}

func everyAnswerFollowsRules(ctx context.Context) error {
	l := licenseState(ctx)
	if len(l.callbacks) == 0 {
		return harness(errors.New("koomock sent no license callback in this step"))
	}
	for _, e := range l.callbacks {
		if e.Failed() {
			return broke(fmt.Sprintf("the answer to %s broke %d KooGallery rule(s)", e.Activity, len(e.Failures())), e)
		}
	}
	return nil
}
