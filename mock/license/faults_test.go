package license_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/mock/license"
	"github.com/koomock/koomock/protocol"
)

func (e *env) fault(f koomock.Fault) {
	e.t.Helper()
	if _, err := e.api.SetFault(context.Background(), f); err != nil {
		e.t.Fatal(err)
	}
}

// TestGatewayErrorFault: the gateway answers the targeted code's calls with its error; other codes
// are untouched, so scenarios side by side do not disturb each other.
func TestGatewayErrorFault(t *testing.T) {
	e := newEnv(t, nil)
	hit, spared := e.testCode(), e.testCode()
	for _, tc := range []struct {
		value  string
		status int
		code   string
	}{{"401", 401, "APIG.0301"}, {"", 502, "APIG.0202"}, {"504", 504, "APIG.0203"}, {"429", 429, "APIG.0308"}} {
		e.fault(koomock.Fault{Name: license.FaultGatewayError, Target: hit.Code, Value: tc.value, Remaining: 1})
		a := e.call(activateV1, `{"license":"`+hit.Code+`"}`, nil)
		if a.status != tc.status || !strings.Contains(a.raw, `"error_code":"`+tc.code+`"`) || !strings.Contains(a.raw, "request_id") {
			t.Errorf("fault value %q: HTTP %d %s, want %d %s", tc.value, a.status, a.raw, tc.status, tc.code)
		}
	}
	e.fault(koomock.Fault{Name: license.FaultGatewayError, Target: hit.Code, Value: "502"})
	e.call(activateV1, `{"license":"`+spared.Code+`"}`, nil).expect(t, 200, protocol.LicenseSuccess)
	e.call(activateV2, `{"license_list":["`+spared.Code+`","`+hit.Code+`"]}`, nil)
	if d := e.detail(hit.Code); d.Code.Activated {
		t.Error("the gateway fault let the call through")
	}
	j := e.journal(hit.Code)
	if v, _ := j[0].Verdict(koomock.RuleLicenseCall); v.Outcome != koomock.Warn || !strings.Contains(v.Message, license.FaultGatewayError) {
		t.Errorf("the journal does not name the fault: %+v", j[0].Verdicts)
	}
}

// TestGatewayLatencyFault: the answer is held until the client gives up (its own timeout; nothing
// sleeps), or for the fault's duration, after which the call goes through.
func TestGatewayLatencyFault(t *testing.T) {
	e := newEnv(t, nil)
	c := e.testCode()
	e.fault(koomock.Fault{Name: license.FaultGatewayLatency, Target: c.Code, Remaining: 1})
	body := `{"license":"` + c.Code + `"}`
	r, _ := http.NewRequest(http.MethodPost, e.srv.URL()+activateV1, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	protocol.SignAPIGRequest(r, []byte(body), fixtures.DemoAK, fixtures.DemoSK, e.clk.Wall())
	next := e.nextExchange(koomock.ExchangeFilter{Direction: koomock.Inbound, InstanceID: c.Code})
	client := &http.Client{Timeout: 50 * time.Millisecond}
	_, err := client.Do(r)
	var te interface{ Timeout() bool }
	if !errors.As(err, &te) || !te.Timeout() {
		t.Fatalf("the client got an answer through the latency fault: %v", err)
	}
	// The held call is journaled once the server notices the client left.
	if !next() {
		t.Fatal("the held call was never journaled")
	}
	j := e.journal(c.Code)
	if len(j) != 1 || j[0].Response.Status != 504 {
		t.Fatalf("journal = %+v", j)
	}
	if v, _ := j[0].Verdict(koomock.RuleLicenseCall); !strings.Contains(v.Message, "the client gave up after") {
		t.Errorf("the journal does not say the client gave up: %+v", j[0].Verdicts)
	}
	if d := e.detail(c.Code); d.Code.Activated {
		t.Error("a held call activated the code")
	}

	e.fault(koomock.Fault{Name: license.FaultGatewayLatency, Target: c.Code, Value: "10ms", Remaining: 1})
	e.call(activateV1, body, nil).expect(t, 200, protocol.LicenseSuccess)
	if msg := verdictMessages(e.journal(c.Code)[0]); !strings.Contains(msg, "held for 10ms") || !strings.Contains(msg, "92020000") {
		t.Errorf("after holding 10ms the call did not go through: %s", msg)
	}
}

func TestStatusFault(t *testing.T) {
	e := newEnv(t, nil)
	c := e.testCode()
	e.call(activateV1, `{"license":"`+c.Code+`"}`, nil).expect(t, 200, protocol.LicenseSuccess)
	e.fault(koomock.Fault{Name: license.FaultStatus, Target: c.Code, Value: "RELEASED", Remaining: 1})
	if got := e.heartbeatStatus(c.Code); got != protocol.LicenseReleased {
		t.Errorf("with the status fault: %s", got)
	}
	if got := e.heartbeatStatus(c.Code); got != protocol.LicenseAlive {
		t.Errorf("after the fault's one firing: %s", got)
	}
	list, err := e.api.Faults(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	offered := map[string]bool{}
	for _, d := range list.Offered {
		offered[d.Name] = d.Description != ""
	}
	for _, name := range []string{license.FaultGatewayError, license.FaultGatewayLatency, license.FaultStatus} {
		if !offered[name] {
			t.Errorf("fault %s is not offered with a description: %+v", name, list.Offered)
		}
	}
}

func TestProbes(t *testing.T) {
	e := newEnv(t, nil)
	e.seller.setAnswer(func(string, map[string]any) string { return "000000" }) // accepts anything
	x, err := e.api.LicenseProbe(context.Background(), protocolProbe("updateLicenseCodeStatus", "tampered-signature"))
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := x.Verdict(koomock.RuleRefused); v.Outcome != koomock.Fail {
		t.Errorf("a seller accepting a tampered license callback: %+v", x.Verdicts)
	}
	e.seller.setAnswer(func(string, map[string]any) string { return "000002" })
	x, err = e.api.LicenseProbe(context.Background(), protocolProbe("refreshLicenseCode", "missing-field:expireTime"))
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := x.Verdict(koomock.RuleMissingField); v.Outcome != koomock.Pass {
		t.Errorf("a refused probe: %+v", x.Verdicts)
	}
	if _, err := e.api.LicenseProbe(context.Background(), protocolProbe("newInstance", "tampered-signature")); err == nil {
		t.Error("a license probe for newInstance was accepted")
	}
	if _, err := e.api.LicenseProbe(context.Background(), protocolProbe("releaseLicenseCode", "missing-field:orderId")); err == nil {
		t.Error("a missing-field probe for an optional field was accepted")
	}
}
