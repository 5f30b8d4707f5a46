package mock_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/i18n"
	"github.com/koomock/koomock/protocol"
)

// TestRefusalVerdictsSpeakTheReadersLanguage: the verdicts koomock gives a refused order query or usage
// push (a bad signature, an unknown order or order line, a refused record) carry a key, so a zh-CN
// reader reads them in Chinese, while their English is what it always was and KooGallery's own
// result message, embedded in the verdict, stays as KooGallery sends it.
func TestRefusalVerdictsSpeakTheReadersLanguage(t *testing.T) {
	srv, api := newRealTimeServer(t)
	ctx := context.Background()
	last := func(activity protocol.Activity, rule koomock.Rule) koomock.Verdict {
		t.Helper()
		list, err := api.Exchanges(ctx, koomock.ExchangeFilter{Activity: activity, Limit: 1})
		if err != nil || len(list) != 1 {
			t.Fatalf("%s exchanges: %+v %v", activity, list, err)
		}
		v, ok := list[0].Verdict(rule)
		if !ok {
			t.Fatalf("%s has no %s verdict: %+v", activity, rule, list[0].Verdicts)
		}
		return v
	}
	p := mustBuy(t, api, controlapi.BuyRequest{ChargingMode: koomock.ChargingOnDemand})

	orderQuery(t, srv.URL(), "orderId=X&orderLineId=X-1", "wrong-sk")
	v := last("orderQuery", koomock.RuleAPIGSignature)
	speaksChinese(t, "a badly signed call", v, "API 网关拒绝了这次调用（APIG.0301）")
	if !strings.HasPrefix(v.Message, "API Gateway refused the call (APIG.0301): ") || !strings.Contains(v.Message, "; ") {
		t.Errorf("the English verdict changed: %q", v.Message)
	}

	_, res, _ := orderQuery(t, srv.URL(), "orderId=NOPE&orderLineId=NOPE-1", fixtures.DemoSK)
	v = last("orderQuery", koomock.RuleOrderQuery)
	speaksChinese(t, "an unknown order", v, "订单 NOPE 不存在")
	if v.Message != "order NOPE does not exist" || res.ResultMsg != v.Message {
		t.Errorf("verdict %q, resultMsg %q, want both %q", v.Message, res.ResultMsg, "order NOPE does not exist")
	}
	_, res, _ = orderQuery(t, srv.URL(), "orderId="+p.Order.ID+"&orderLineId="+p.Order.ID+"-999999", fixtures.DemoSK)
	v = last("orderQuery", koomock.RuleOrderQuery)
	speaksChinese(t, "an unknown order line", v, "没有订单行 "+p.Order.ID+"-999999")
	if v.Message != res.ResultMsg || !strings.HasSuffix(v.Message, "(its line is "+p.Order.LineID+")") {
		t.Errorf("verdict %q, resultMsg %q", v.Message, res.ResultMsg)
	}

	hourAgo := time.Now().Add(-2 * time.Hour)
	push(t, srv.URL(), protocol.UsagePushPath, fixtures.DemoSK, usageBody(p.Instance.ID, "sn-1", "1", hourAgo, ""), nil)
	v = last("usagePush", koomock.RuleUsageSignature)
	speaksChinese(t, "a usage push signed with the wrong key", v, "用量推送的签名无效")
	if !strings.HasPrefix(v.Message, protocol.ErrUsageSignature.Error()+": ") {
		t.Errorf("the English verdict changed: %q", v.Message)
	}
	push(t, srv.URL(), protocol.UsagePushPath, fixtures.DemoAccessKey, usageBody("no-such-instance", "sn-2", "1", hourAgo, ""), nil)
	v = last("usagePush", koomock.RuleUsageRecords)
	wire := "usage_records[0]: instance no-such-instance does not exist"
	speaksChinese(t, "a refused usage record", v, "KooGallery 拒绝了这次用量推送，结果码 MKT.9001", wire)
	if v.Message != "MKT.9001: "+wire {
		t.Errorf("the English verdict changed: %q", v.Message)
	}
}

// speaksChinese checks that v has a key, renders in Chinese with want in it, and renders in English as
// its Message.
func speaksChinese(t *testing.T, what string, v koomock.Verdict, want ...string) {
	t.Helper()
	zh := i18n.For(i18n.Chinese).Why(v)
	if v.Key == "" || !hasHan(zh) {
		t.Errorf("%s: the verdict does not speak Chinese: key %q, %q", what, v.Key, zh)
	}
	for _, w := range want {
		if !strings.Contains(zh, w) {
			t.Errorf("%s: %q does not say %q", what, zh, w)
		}
	}
	if en := i18n.For(i18n.English).Why(v); en != v.Message {
		t.Errorf("%s: English renders %q, the journal keeps %q", what, en, v.Message)
	}
}
