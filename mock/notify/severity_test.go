package notify_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/mock/notify"
)

// outcomeOf sends d to a seller answering status and body and returns the verdict under rule.
func outcomeOf(t *testing.T, policy koomock.Policy, d func(url string) notify.Callback, status int, body string, header http.Header, rule koomock.Rule) (koomock.Verdict, *koomock.Exchange) {
	t.Helper()
	n, _ := newNotifier(t)
	n.Policy = policy
	srv := httptest.NewServer(&seller{status: status, body: body, header: header})
	defer srv.Close()
	e, err := n.Send(context.Background(), d(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	v, _ := e.Verdict(rule)
	return v, e
}

func probing(p controlapi.Probe) func(string) notify.Callback {
	return func(url string) notify.Callback {
		d := newInstance(url)
		d.Probe = p
		return d
	}
}

// TestNullFieldsAreAbsent: Spring Boot's Jackson writes unset answer fields as null; KooGallery's
// parser reads them as absent. A null optional field is a warning, a null mandatory field still fails.
func TestNullFieldsAreAbsent(t *testing.T) {
	springRefusal := `{"resultCode":"000001","resultMsg":"token is invalid","instanceId":null,"encryptType":null}`
	v, e := outcomeOf(t, koomock.Policy{}, probing(controlapi.TamperedSignature), 200, springRefusal, nil, koomock.RuleRefused)
	if v.Outcome != koomock.Pass || e.Failed() {
		t.Fatalf("a null optional field failed the refusal: %+v", e.Verdicts)
	}
	if w, ok := e.Verdict(koomock.RuleNullField); !ok || w.Outcome != koomock.Warn || w.Pointer != "/encryptType" && w.Pointer != "/instanceId" {
		t.Errorf("no answer.nullField warning: %+v", e.Verdicts)
	}
	if v, _ := e.Verdict(koomock.RuleSchema); v.Outcome != koomock.Pass {
		t.Errorf("schema verdict %+v", v)
	}
	_, e = outcomeOf(t, koomock.Policy{Strict: true}, probing(controlapi.TamperedSignature), 200, springRefusal, nil, koomock.RuleRefused)
	if f := e.Failures(); len(f) == 0 || f[0].Rule != koomock.RuleNullField {
		t.Errorf("--strict does not fail null fields: %+v", e.Verdicts)
	}
	_, e = outcomeOf(t, koomock.Policy{}, newInstance, 200, `{"resultCode":null,"instanceId":"i-1"}`, nil, koomock.RuleSchema)
	if f := e.Failures(); len(f) == 0 || f[0].Rule != koomock.RuleSchema || !strings.Contains(f[0].Message, "as null") {
		t.Errorf("a null resultCode does not fail the schema: %+v", e.Verdicts)
	}
}

// TestMissingFieldProbesAreAdvisory: KooGallery never sends a callback without a mandatory field, so
// what a seller answers to one is advice, except that 000002 (or 000003 for a missing instanceId)
// is what a sound seller answers.
func TestMissingFieldProbesAreAdvisory(t *testing.T) {
	spring500 := `{"timestamp":"2026-12-04T01:00:00.000+00:00","status":500,"error":"Internal Server Error","path":"/produceAPI/v2"}`
	tests := []struct {
		name   string
		probe  controlapi.Probe
		status int
		body   string
		want   koomock.Outcome
	}{
		{"000002", controlapi.MissingField("orderId"), 200, `{"resultCode":"000002"}`, koomock.Pass},
		{"000003 for a missing instanceId", controlapi.MissingField("instanceId"), 200, `{"resultCode":"000003"}`, koomock.Pass},
		{"000003 for another field", controlapi.MissingField("orderId"), 200, `{"resultCode":"000003"}`, koomock.Warn},
		{"success", controlapi.MissingField("orderId"), 200, `{"resultCode":"000000","instanceId":"i-1"}`, koomock.Warn},
		{"Spring Boot's HTTP 500", controlapi.MissingField("orderId"), 500, spring500, koomock.Warn},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, e := outcomeOf(t, koomock.Policy{}, probing(tt.probe), tt.status, tt.body, nil, koomock.RuleMissingField)
			if v.Outcome != tt.want || e.Failed() {
				t.Errorf("verdict %+v, want %s and no failure; all: %+v", v, tt.want, e.Verdicts)
			}
			if tt.want == koomock.Warn {
				if _, e := outcomeOf(t, koomock.Policy{Strict: true}, probing(tt.probe), tt.status, tt.body, nil, koomock.RuleMissingField); !e.Failed() {
					t.Errorf("--strict does not fail it: %+v", e.Verdicts)
				}
			}
		})
	}
	// A signature probe stays required: answering it with HTTP 500 fails.
	if _, e := outcomeOf(t, koomock.Policy{}, probing(controlapi.TamperedSignature), 500, spring500, nil, koomock.RuleRefused); !e.Failed() {
		t.Errorf("HTTP 500 to a tampered signature passed: %+v", e.Verdicts)
	}
}

// TestWrongBodySign: a present but wrong Body-Sign is a warning, and fails (so the delivery is retried)
// only with --require-body-sign.
func TestWrongBodySign(t *testing.T) {
	bad := http.Header{"Body-Sign": {`sign_type="HMAC-SHA256", signature= "AAAA"`}}
	ok := `{"resultCode":"000000","instanceId":"i"}`
	v, e := outcomeOf(t, koomock.Policy{}, newInstance, 200, ok, bad, koomock.RuleBodySign)
	if v.Outcome != koomock.Warn || !strings.Contains(v.Message, "matches no known mistake") || e.Failed() {
		t.Errorf("default: %+v", e.Verdicts)
	}
	v, _ = outcomeOf(t, koomock.Policy{Raised: []koomock.Rule{koomock.RuleBodySign}}, newInstance, 200, ok, bad, koomock.RuleBodySign)
	if v.Outcome != koomock.Fail {
		t.Errorf("--require-body-sign: %+v", v)
	}
}
