package license_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/mock"
	"github.com/koomock/koomock/openapi"
	"github.com/koomock/koomock/protocol"
)

// heartbeatStatus queries a code and returns the status it reports.
func (e *env) heartbeatStatus(code string) protocol.LicenseStatus {
	e.t.Helper()
	a := e.call(heartbeatV1, `{"license":"`+code+`"}`, nil).expect(e.t, 200, protocol.LicenseSuccess)
	var li protocol.LicenseInfo
	json.Unmarshal(a.env.Data, &li)
	return li.Status
}

// TestLifeFollowsTheClock walks a monthly code through expiry, renewal while frozen, expiry again and
// the end of the freeze window, on virtual time, checking the callbacks and what the query reports.
func TestLifeFollowsTheClock(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	bought, err := e.api.BuyLicense(ctx, controlapi.LicensePurchase{PeriodType: koomock.PeriodMonth})
	if err != nil {
		t.Fatal(err)
	}
	c := bought.Codes[0]
	if bought.Order == nil || bought.Order.ExpireAt != start.AddDate(0, 1, 0) || !c.ExpireAt.Equal(start.AddDate(0, 1, 0)) || !c.Received() {
		t.Fatalf("purchase = %+v", bought)
	}
	e.call(activateV1, `{"license":"`+c.Code+`"}`, nil).expect(t, 200, protocol.LicenseSuccess)

	e.advance("29d")
	if got := e.heartbeatStatus(c.Code); got != protocol.LicenseAlive {
		t.Fatalf("a day before expiry: %s", got)
	}
	if names, _ := e.seller.received(); len(names) != 0 {
		t.Fatalf("callbacks before expiry: %v", names)
	}
	e.advance("1d") // to Dec 27 08:00, when the month ends
	if names, _ := e.seller.received(); !slices.Equal(names, []string{"updateLicenseCodeStatus FREEZE"}) {
		t.Fatalf("at expiry the seller got %v, want FREEZE", names)
	}
	if got := e.heartbeatStatus(c.Code); got != protocol.LicenseExpired {
		t.Errorf("a frozen code reports %s, want EXPIRED", got)
	}
	jobs, _ := e.api.Jobs(ctx, "license.freezeEnd")
	if len(jobs) != 1 || !jobs[0].DueAt.Equal(start.AddDate(0, 1, 0).Add(15*24*time.Hour)) {
		t.Fatalf("freeze window end = %+v", jobs)
	}

	res, err := e.api.LicenseAction(ctx, c.Code, "renew", controlapi.LicenseRenewal{PeriodType: koomock.PeriodMonth})
	if err != nil {
		t.Fatal(err)
	}
	renewedTo := start.AddDate(0, 2, 0)
	if len(res.Callbacks) != 2 || res.Callbacks[0].Activity != "refreshLicenseCode" || res.Callbacks[1].Activity != "updateLicenseCodeStatus" ||
		res.Code.State != koomock.LicenseActive || !res.Code.ExpireAt.Equal(renewedTo) {
		t.Fatalf("renewal of a frozen code = %+v", res)
	}
	names, bodies := e.seller.received()
	if !slices.Equal(names[1:], []string{"refreshLicenseCode RENEWAL", "updateLicenseCodeStatus UNFREEZE"}) ||
		bodies[1]["expireTime"] != protocol.FormatLicenseTime(renewedTo) || bodies[1]["orderId"] == c.OrderID {
		t.Errorf("renewal callbacks = %v %v", names, bodies)
	}
	if got := e.heartbeatStatus(c.Code); got != protocol.LicenseAlive {
		t.Errorf("after renewal: %s", got)
	}
	if jobs, _ := e.api.Jobs(ctx, "license.freezeEnd"); len(jobs) != 0 {
		t.Errorf("the freeze window still ends after the renewal: %+v", jobs)
	}

	e.advance("40d") // past the renewed expiry: frozen again
	e.advance("15d") // and the freeze window ends: released
	names, bodies = e.seller.received()
	if !slices.Equal(names[3:], []string{"updateLicenseCodeStatus FREEZE", "releaseLicenseCode"}) {
		t.Fatalf("after the second expiry the seller got %v", names)
	}
	if _, ok := bodies[4]["orderId"]; ok {
		t.Errorf("a release at the end of the freeze window carries an order: %v", bodies[4])
	}
	if got := e.heartbeatStatus(c.Code); got != protocol.LicenseReleased {
		t.Errorf("after release: %s", got)
	}
	jobs, _ = e.api.Jobs(ctx, "")
	for _, j := range jobs {
		if strings.HasSuffix(j.Key, c.Code) {
			t.Errorf("job left for a released code: %+v", j)
		}
	}
	d := e.detail(c.Code)
	var kinds []string
	for _, h := range d.History {
		if h.Kind != koomock.LicenseEventHeartbeat {
			kinds = append(kinds, string(h.Kind))
		}
	}
	if strings.Join(kinds, " ") != "released frozen unfrozen renewed frozen activated received issued" {
		t.Errorf("history = %v", kinds)
	}
}

// TestCallbacksFollowTheSchema checks every license callback koomock sends against seller.yaml and
// its signature with the license key.
func TestCallbacksFollowTheSchemaAndAreSigned(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	c := e.testCode()
	steps := []struct{ action controlapi.LicenseAction }{{"renew"}, {"unsubscribe-renewal"}, {"expire"}, {"renew"}, {"unsubscribe"}, {"release"}}
	var last controlapi.LicenseResult
	for _, s := range steps {
		res, err := e.api.LicenseAction(ctx, c.Code, s.action, nil)
		if err != nil {
			t.Fatalf("%s: %v", s.action, err)
		}
		last = res
	}
	if v, ok := last.Callbacks[0].Verdict(koomock.RuleLicenseReleaseIdempotent); !ok || v.Outcome != koomock.Pass {
		t.Errorf("a second release is not judged as one: %+v", last.Callbacks[0].Verdicts)
	}
	spec, err := openapi.Load(nil, openapi.SellerFile)
	if err != nil {
		t.Fatal(err)
	}
	names, bodies := e.seller.received()
	want := []string{"refreshLicenseCode RENEWAL", "refreshLicenseCode UNSUBSCRIBE_RENEWAL_PERIOD", "updateLicenseCodeStatus FREEZE",
		"refreshLicenseCode RENEWAL", "updateLicenseCodeStatus UNFREEZE", "releaseLicenseCode", "releaseLicenseCode"}
	if !slices.Equal(names, want) {
		t.Fatalf("callbacks = %v, want %v", names, want)
	}
	for i, b := range bodies {
		if v, err := spec.CheckRequest(b["activity"].(string), b); err != nil || len(v) != 0 {
			t.Errorf("%s: %+v %v", names[i], v, err)
		}
		if b["testFlag"] != "1" || b["license"] != c.Code {
			t.Errorf("%s of a test code: %v", names[i], b)
		}
		e.seller.mu.Lock()
		r, raw := e.seller.requests[i], e.seller.raw[i]
		e.seller.mu.Unlock()
		if err := protocol.VerifyV2(licenseKey, r.URL.Query(), raw, e.clk.Wall()); err != nil {
			t.Errorf("%s is not signed with the license key: %v", names[i], err)
		}
	}
	if bodies[5]["orderId"] == nil || bodies[5]["orderId"] != bodies[6]["orderId"] {
		t.Errorf("release on unsubscription and its resend carry the unsubscription order: %v %v", bodies[5], bodies[6])
	}
	if bodies[1]["expireTime"] != protocol.FormatLicenseTime(c.ExpireAt) {
		t.Errorf("unsubscribing the renewal must bring the expiry back to %s: %v", protocol.FormatLicenseTime(c.ExpireAt), bodies[1])
	}
}

func TestUnsubscribingAnExpiredRenewalFreezes(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	c := e.testCode()
	if _, err := e.api.LicenseAction(ctx, c.Code, "renew", controlapi.LicenseRenewal{PeriodType: koomock.PeriodMonth}); err != nil {
		t.Fatal(err)
	}
	e.advance("35d") // past the original 30 days, within the renewal
	res, err := e.api.LicenseAction(ctx, c.Code, "unsubscribe-renewal", nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Code.State != koomock.LicenseFrozen || len(res.Callbacks) != 2 {
		t.Errorf("unsubscribing the renewal that kept the code alive = %+v", res)
	}
}

func TestFrozenStatusSwitch(t *testing.T) {
	e := newEnv(t, func(c *mock.Config) { c.License.FrozenStatus = protocol.LicenseFrozen })
	c := e.testCode()
	e.call(activateV1, `{"license":"`+c.Code+`"}`, nil).expect(t, 200, protocol.LicenseSuccess)
	if _, err := e.api.LicenseAction(context.Background(), c.Code, "expire", nil); err != nil {
		t.Fatal(err)
	}
	if got := e.heartbeatStatus(c.Code); got != protocol.LicenseFrozen {
		t.Errorf("frozen code with --license-frozen-status FROZEN reports %s", got)
	}
	e.call(activateV1, `{"license":"`+e.testCode().Code+`"}`, nil).expect(t, 200, protocol.LicenseSuccess)
}

// TestFailedCallbacksAreRetried: a seller that keeps failing gets the callback every 2 minutes, 60
// more times, then no more; a seller that recovers stops the retries.
func TestFailedCallbacksAreRetried(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	e.seller.setAnswer(func(string, map[string]any) string { return "000005" })
	c := e.testCode()
	res, err := e.api.LicenseAction(ctx, c.Code, "expire", nil)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := res.Callbacks[0].Verdict(koomock.RuleSucceeded); v.Outcome != koomock.Fail {
		t.Fatalf("a 000005 answer: %+v", res.Callbacks[0].Verdicts)
	}
	jobs, _ := e.api.Jobs(ctx, "delivery.retry")
	if len(jobs) != 1 || jobs[0].Attempt != 2 || !jobs[0].DueAt.Equal(e.clk.Now().Add(2*time.Minute)) {
		t.Fatalf("retry = %+v", jobs)
	}
	e.advance("3h")
	names, _ := e.seller.received()
	if len(names) != 61 {
		t.Errorf("the seller got %d attempts, want 1 + 60 retries", len(names))
	}
	if jobs, _ := e.api.Jobs(ctx, "delivery.retry"); len(jobs) != 0 {
		t.Errorf("retries left after 60: %+v", jobs)
	}

	// A seller that recovers on the third attempt gets no fourth.
	calls := 0
	e.seller.setAnswer(func(string, map[string]any) string {
		calls++
		if calls < 3 {
			return "000005"
		}
		return "000000"
	})
	other := e.testCode()
	if _, err := e.api.LicenseAction(ctx, other.Code, "release", nil); err != nil {
		t.Fatal(err)
	}
	e.advance("1h")
	if calls != 3 {
		t.Errorf("a recovering seller got %d attempts, want 3", calls)
	}
	// A result code that license callbacks do not have fails answer.resultCode.
	e.seller.setAnswer(func(string, map[string]any) string { return "000103" })
	res, err = e.api.LicenseAction(ctx, e.testCode().Code, "expire", nil)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := res.Callbacks[0].Verdict(koomock.RuleResultCode); v.Outcome != koomock.Fail {
		t.Errorf("000103 to a license callback: %+v", res.Callbacks[0].Verdicts)
	}
}

// TestALateRetryCarriesTheCurrentState: a FREEZE still being retried when a renewal unfreezes the code
// goes out as UNFREEZE, so the seller never ends on a late FREEZE.
func TestALateRetryCarriesTheCurrentState(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	c := e.testCode()
	e.seller.setAnswer(func(a string, b map[string]any) string {
		if b["status"] == "FREEZE" {
			return "000005"
		}
		return "000000"
	})
	if _, err := e.api.LicenseAction(ctx, c.Code, "expire", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := e.api.LicenseAction(ctx, c.Code, "renew", nil); err != nil {
		t.Fatal(err)
	}
	e.advance("1h")
	names, _ := e.seller.received()
	want := []string{"updateLicenseCodeStatus FREEZE", "refreshLicenseCode RENEWAL", "updateLicenseCodeStatus UNFREEZE", "updateLicenseCodeStatus UNFREEZE"}
	if !slices.Equal(names, want) {
		t.Errorf("callbacks = %v, want %v", names, want)
	}
	if jobs, _ := e.api.Jobs(ctx, "delivery.retry"); len(jobs) != 0 {
		t.Errorf("retries left: %+v", jobs)
	}
}

func TestControlAPIRefusals(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	c := e.testCode()
	if _, err := e.api.LicenseAction(ctx, c.Code, "unsubscribe", nil); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		call func() error
		code controlapi.Code
	}{
		{"unknown action", func() error { _, err := e.api.LicenseAction(ctx, c.Code, "explode", nil); return err }, controlapi.CodeNotFound},
		{"unknown code", func() error { _, err := e.api.LicenseAction(ctx, "PLNOPE", "renew", nil); return err }, controlapi.CodeNotFound},
		{"renew a released code", func() error { _, err := e.api.LicenseAction(ctx, c.Code, "renew", nil); return err }, controlapi.CodeConflict},
		{"unsubscribe twice", func() error { _, err := e.api.LicenseAction(ctx, c.Code, "unsubscribe", nil); return err }, controlapi.CodeConflict},
		{"expire a released code", func() error { _, err := e.api.LicenseAction(ctx, c.Code, "expire", nil); return err }, controlapi.CodeConflict},
		{"unsubscribe a renewal never made", func() error {
			_, err := e.api.LicenseAction(ctx, e.testCode().Code, "unsubscribe-renewal", nil)
			return err
		}, controlapi.CodeConflict},
		{"bad validity", func() error {
			_, err := e.api.TestCodes(ctx, controlapi.TestCodesRequest{Validity: "soon"})
			return err
		}, controlapi.CodeInvalid},
		{"too many codes", func() error { _, err := e.api.TestCodes(ctx, controlapi.TestCodesRequest{Count: 101}); return err }, controlapi.CodeInvalid},
		{"bad period", func() error {
			_, err := e.api.BuyLicense(ctx, controlapi.LicensePurchase{PeriodType: "week"})
			return err
		}, controlapi.CodeInvalid},
		{"activate elsewhere twice", func() error {
			fresh := e.testCode()
			if _, err := e.api.LicenseAction(ctx, fresh.Code, "activate", nil); err != nil {
				return err
			}
			_, err := e.api.LicenseAction(ctx, fresh.Code, "activate", nil)
			return err
		}, controlapi.CodeConflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := controlapi.ErrorCode(tt.call()); got != tt.code {
				t.Errorf("error code %s, want %s", got, tt.code)
			}
		})
	}
}

func TestTestCodesAndDemoCodes(t *testing.T) {
	e := newEnv(t, nil)
	out, err := e.api.TestCodes(context.Background(), controlapi.TestCodesRequest{Count: 3, Validity: "7d", Amount: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Codes) != 3 || out.Order == nil || out.Order.TestFlag != "1" {
		t.Fatalf("test codes = %+v", out)
	}
	for _, c := range out.Codes {
		if !c.Received() || c.TestFlag != "1" || c.Amount != 5 || !c.ExpireAt.Equal(start.Add(7*24*time.Hour)) || !strings.HasPrefix(c.Code, "PL") || len(c.Code) != 18 {
			t.Errorf("test code = %+v", c)
		}
	}
	demo := e.srv.DemoLicenseCodes()
	if len(demo) != 3 || demo[0].Code != "PLKOOMOCKDEMO0001" || !demo[0].Received() || !demo[0].ExpireAt.Equal(start.AddDate(1, 0, 0)) {
		t.Errorf("demo codes = %+v", demo)
	}
	e.call(activateV1, `{"license":"PLKOOMOCKDEMO0002"}`, nil).expect(t, 200, protocol.LicenseSuccess)
}

// TestStateSurvivesARestart: activation, heartbeat flags and pending expiry are in the store.
func TestStateSurvivesARestart(t *testing.T) {
	db := filepath.Join(t.TempDir(), "koomock.db")
	e := newEnv(t, func(c *mock.Config) { c.DB = db })
	c := e.testCode()
	e.call(activateV1, `{"license":"`+c.Code+`"}`, nil).expect(t, 200, protocol.LicenseSuccess)
	e.heartbeatStatus(c.Code)
	e.close()

	again := newEnv(t, func(cfg *mock.Config) { cfg.DB = db })
	d := again.detail(c.Code)
	if !d.Code.Activated || !d.Code.HeartbeatSeen || len(d.History) != 4 {
		t.Errorf("after restart: %+v", d)
	}
	again.call(activateV1, `{"license":"`+c.Code+`"}`, nil).expect(t, 200, protocol.LicenseIllegalState)
	if jobs, _ := again.api.Jobs(context.Background(), "license.expire"); len(jobs) != 4 { // the code and 3 demo codes
		t.Errorf("expiry jobs after restart = %+v", jobs)
	}
	again.advance("31d")
	if names, _ := again.seller.received(); !slices.Contains(names, "updateLicenseCodeStatus FREEZE") {
		t.Errorf("the code did not expire after the restart: %v", names)
	}
}

// TestReplayedCallbacksKeepTheirRules: a license callback replayed from the journal is judged by the
// license callbacks' result codes, not the basic interfaces' wider table; and it cannot become a debug
// case, since dial tests replay SaaS callbacks at the production interface.
func TestReplayedCallbacksKeepTheirRules(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	res, err := e.api.LicenseAction(ctx, e.testCode().Code, "expire", nil)
	if err != nil || len(res.Callbacks) != 1 || res.Callbacks[0].Failed() {
		t.Fatalf("expire: %+v, %v", res, err)
	}
	sent := res.Callbacks[0]
	// 000103 is a basic-interface code (newInstance: already purchased) a license callback may not use.
	e.seller.setAnswer(func(string, map[string]any) string { return string(protocol.ResultAlreadyPurchased) })
	replayed, err := e.api.Replay(ctx, sent.ID)
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := replayed.Verdict(koomock.RuleResultCode); !ok || v.Outcome != koomock.Fail {
		t.Errorf("a replayed license callback answered 000103: verdicts %+v", replayed.Verdicts)
	}
	if _, err := e.api.SaveCase(ctx, controlapi.SaveCaseRequest{ExchangeID: sent.ID}); controlapi.ErrorCode(err) != controlapi.CodeConflict ||
		!strings.Contains(err.Error(), "SaaS basic interfaces") {
		t.Errorf("saving a license callback as a debug case: %v", err)
	}
}
