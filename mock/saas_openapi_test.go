package mock_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/koomock/koomock/diagnose"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/mock"
	"github.com/koomock/koomock/mock/apig"
	"github.com/koomock/koomock/protocol"
)

// orderQuery calls the order query signed with the demo AK/SK (or sk) and decodes the answer.
func orderQuery(t *testing.T, base, query, sk string) (int, protocol.OrderQueryResult, apig.Error) {
	t.Helper()
	req, _ := http.NewRequest("GET", base+protocol.OrderQueryPath+"?"+query, nil)
	protocol.SignAPIGRequest(req, nil, fixtures.DemoAK, sk, time.Now())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var res protocol.OrderQueryResult
	var gw apig.Error
	json.Unmarshal(raw, &res)
	json.Unmarshal(raw, &gw)
	return resp.StatusCode, res, gw
}

func TestOrderQuery(t *testing.T) {
	srv, api := newTestServer(t, nil)
	p := mustBuy(t, api, controlapi.BuyRequest{LinearValue: 5, ExtendParams: []koomock.Param{{Key: "domain", Value: "acme"}}})
	status, res, _ := orderQuery(t, srv.URL(), "orderId="+p.Order.ID+"&orderLineId="+p.Order.LineID, fixtures.DemoSK)
	if status != 200 || res.ResultCode != "MKT.0000" || res.OrderInfo == nil {
		t.Fatalf("HTTP %d %+v", status, res)
	}
	info, line := res.OrderInfo, res.OrderInfo.OrderLine[0]
	if info.OrderType != "NEW" || info.CreateTime != start.Format("20060102150405") || line.ChargingMode != "PERIOD" ||
		line.ExpireTime != start.AddDate(1, 0, 0).Format("20060102150405") || line.ProductInfo[0].SKUCode != p.Order.SKUCode ||
		line.ProductInfo[0].LinearValue != 5 || info.BuyerInfo.CustomerID == "" || info.ExtendParams[0].Value != "acme" {
		t.Errorf("order info %+v / %+v", info, line)
	}
	for _, id := range []string{"MOCKPERIODYEARNEW", "MOCKONETIMENEW", "MOCKONDEMAND", "MOCKONDEMANDPKG", "MOCKPERIODDAYTRIAL",
		"MOCKMONTYTRIALTOFORMAL", "MOCKMONTYUNSUBSCRIBE", "MOCKMONTYRENEW", "MOCKMONTYCHANGE"} {
		_, res, _ := orderQuery(t, srv.URL(), "orderId="+id+"&orderLineId="+id+"-000001", fixtures.DemoSK)
		if res.ResultCode != "MKT.0000" || res.OrderInfo.OrderID != id {
			t.Errorf("debug order %s: %+v", id, res)
		}
	}
	for q, code := range map[string]string{
		"orderId=CSNOSUCHORDER":                        "MKT.0101",
		"orderId=" + p.Order.ID + "&orderLineId=other": "MKT.0101",
	} {
		if _, res, _ := orderQuery(t, srv.URL(), q, fixtures.DemoSK); res.ResultCode != code {
			t.Errorf("%s: %+v, want %s", q, res, code)
		}
	}
	if status, res, _ := orderQuery(t, srv.URL(), "orderLineId=x", fixtures.DemoSK); status != 400 || res.ResultCode != "MKT.0100" {
		t.Errorf("no orderId: HTTP %d %+v", status, res)
	}
	if status, _, gw := orderQuery(t, srv.URL(), "orderId="+p.Order.ID, "wrong-secret"); status != 401 || gw.Code != apig.CodeAuthFailed {
		t.Errorf("bad signature: HTTP %d %+v", status, gw)
	}
	calls, _ := api.Exchanges(context.Background(), koomock.ExchangeFilter{Activity: "orderQuery", FailedOnly: true})
	if len(calls) != 2 {
		t.Errorf("failed order queries in the journal: %d, want the two the validator and gateway refused", len(calls))
	}
}

// usageBody is one record of a push for instance, stamped relative to now.
func usageBody(instance, sn, value string, begin time.Time, extra string) string {
	return fmt.Sprintf(`{"usage_records":[{"begin_time":%q,"end_time":%q,"instance_id":%q,"metering_sn":%q,"record_time":%q,"usage_value":%q%s}]}`,
		begin.UTC().Format(protocol.UsageTimeLayout), begin.Add(time.Hour).UTC().Format(protocol.UsageTimeLayout), instance, sn,
		begin.Add(time.Hour).UTC().Format(protocol.UsageTimeLayout), value, extra)
}

// push sends a new usage push signed with key (headers edited by edit) and returns status and code.
func push(t *testing.T, base, path, key, body string, edit func(http.Header)) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", base+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	ts := strconv.FormatInt(time.Now().UnixMilli(), 10)
	req.Header.Set("ts", ts)
	req.Header.Set("nonce", "nonce-1")
	req.Header.Set("signature", protocol.SignUsage(key, ts, "nonce-1", []byte(body)))
	if path == protocol.UsagePushOldPath {
		protocol.SignAPIGRequest(req, []byte(body), fixtures.DemoAK, fixtures.DemoSK, time.Now())
	}
	if edit != nil {
		edit(req.Header)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var res protocol.UsageResult
	json.NewDecoder(resp.Body).Decode(&res)
	return resp.StatusCode, res.ErrorCode
}

func TestUsagePushRules(t *testing.T) {
	srv, api := newRealTimeServer(t)
	ctx := context.Background()
	ondemand := mustBuy(t, api, controlapi.BuyRequest{ChargingMode: koomock.ChargingOnDemand}).Instance.ID
	period := mustBuy(t, api, controlapi.BuyRequest{}).Instance.ID
	key, url, now := fixtures.DemoAccessKey, srv.URL(), time.Now()
	hourAgo := now.Add(-2 * time.Hour)
	many := strings.Repeat(`{"begin_time":"20261127T000000Z","end_time":"20261127T010000Z","instance_id":"i","metering_sn":"s","record_time":"20261127T010000Z","usage_value":"1"},`, 1001)
	tests := []struct {
		name   string
		body   string
		edit   func(http.Header)
		status int
		code   string
	}{
		{"valid", usageBody(ondemand, "sn-1", "2.5", hourAgo, ""), nil, 200, "MKT.0000"},
		{"the same record again", usageBody(ondemand, "sn-1", "2.5", hourAgo, ""), nil, 200, "MKT.0000"},
		{"bad signature", usageBody(ondemand, "sn-2", "1", hourAgo, ""), func(h http.Header) { h.Set("signature", "AAAA") }, 401, "MKT.0102"},
		{"no ts", usageBody(ondemand, "sn-2", "1", hourAgo, ""), func(h http.Header) { h.Del("ts") }, 400, "MKT.0199"},
		{"nonce too long", usageBody(ondemand, "sn-2", "1", hourAgo, ""), func(h http.Header) { h.Set("nonce", strings.Repeat("n", 65)) }, 400, "MKT.0199"},
		{"more than 1000 records", `{"usage_records":[` + strings.TrimSuffix(many, ",") + `]}`, nil, 400, "MKT.9003"},
		{"time not in the format", strings.Replace(usageBody(ondemand, "sn-2", "1", hourAgo, ""), "Z\"", "\"", 1), nil, 400, "MKT.0100"},
		{"impossible date", `{"usage_records":[{"begin_time":"20261327T000000Z","end_time":"20261328T000000Z","instance_id":"` + ondemand +
			`","metering_sn":"sn-2","record_time":"20261328T000000Z","usage_value":"1"}]}`, nil, 400, "MKT.0101"},
		{"zero usage", usageBody(ondemand, "sn-2", "0", hourAgo, ""), nil, 400, "MKT.9002"},
		{"five decimals", usageBody(ondemand, "sn-2", "1.00001", hourAgo, ""), nil, 400, "MKT.9002"},
		{"begin_time 22 days ago", usageBody(ondemand, "sn-2", "1", now.Add(-22*24*time.Hour), ""), nil, 400, "MKT.9004"},
		{"unknown instance", usageBody("no-such-instance", "sn-2", "1", hourAgo, ""), nil, 400, "MKT.9001"},
		{"periodic instance", usageBody(period, "sn-2", "1", hourAgo, ""), nil, 403, "MKT.0150"},
		{"not JSON", "usage", nil, 400, "MKT.0100"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := tt.body
			status, code := push(t, url, protocol.UsagePushPath, key, body, tt.edit)
			if status != tt.status || code != tt.code {
				t.Errorf("HTTP %d %s, want %d %s", status, code, tt.status, tt.code)
			}
		})
	}
	d, _ := api.Instance(ctx, ondemand)
	// The reference seller pushed nothing yet (it pushes before answering queryInstance); the record
	// pushed twice counts once.
	if d.UsageTotal != 2.5 || len(d.Usage) != 1 {
		t.Errorf("stored usage: %+v", d.Usage)
	}
	refused, _ := api.Exchanges(ctx, koomock.ExchangeFilter{Activity: "usagePush", FailedOnly: true})
	if len(refused) != len(tests)-2 {
		t.Errorf("%d refused pushes journaled as failed, want %d", len(refused), len(tests)-2)
	}
	t.Run("old push", func(t *testing.T) {
		extra := `,"product_id":"OFFI100000000000000003"`
		if status, code := push(t, url, protocol.UsagePushOldPath, key, usageBody(ondemand, "old-1", "1", hourAgo, extra), nil); status != 200 || code != "MKT.0000" {
			t.Errorf("valid old push: %d %s", status, code)
		}
		if _, code := push(t, url, protocol.UsagePushOldPath, key, usageBody(ondemand, "old-2", "1", hourAgo, `,"product_id":"OTHER"`), nil); code != "MKT.0101" {
			t.Errorf("wrong product: %s", code)
		}
		if _, code := push(t, url, protocol.UsagePushOldPath, key, usageBody(ondemand, "old-3", "1", hourAgo, ""), nil); code != "MKT.0100" {
			t.Errorf("no product_id: %s", code)
		}
		if status, _ := push(t, url, protocol.UsagePushOldPath, key, usageBody(ondemand, "old-4", "1", hourAgo, extra), func(h http.Header) { h.Del("Authorization") }); status != 401 {
			t.Errorf("old push without AK/SK: HTTP %d", status)
		}
	})
}

// TestUsagePushAPIGSwitch: with --usage-push-apig the new push needs API Gateway AK/SK as well.
func TestUsagePushAPIGSwitch(t *testing.T) {
	srv, api := newTestServer(t, func(c *mock.Config) {
		c.Market.UsagePushAPIG = true
		c.Clock.Freeze(time.Time{})
	})
	id := mustBuy(t, api, controlapi.BuyRequest{ChargingMode: koomock.ChargingOnDemand}).Instance.ID
	body := usageBody(id, "sn-1", "1", time.Now().Add(-time.Hour), "")
	if status, _ := push(t, srv.URL(), protocol.UsagePushPath, fixtures.DemoAccessKey, body, nil); status != 401 {
		t.Errorf("without AK/SK: HTTP %d, want the gateway's 401", status)
	}
	req, _ := http.NewRequest("POST", srv.URL()+protocol.UsagePushPath, bytes.NewReader([]byte(body)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("ts", "1")
	req.Header.Set("nonce", "n")
	req.Header.Set("signature", protocol.SignUsage(fixtures.DemoAccessKey, "1", "n", []byte(body)))
	protocol.SignAPIGRequest(req, []byte(body), fixtures.DemoAK, fixtures.DemoSK, time.Now())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("with AK/SK and the body signature: HTTP %d", resp.StatusCode)
	}
}

// TestUsagePushSignatureIsDiagnosed: a push signed over its keys in the order sent is refused with
// MKT.0102, and the journal names the mistake; a push signed with the API SK is named too.
func TestUsagePushSignatureIsDiagnosed(t *testing.T) {
	srv, api := newRealTimeServer(t)
	ctx := context.Background()
	ondemand := mustBuy(t, api, controlapi.BuyRequest{ChargingMode: koomock.ChargingOnDemand}).Instance.ID
	begin := time.Now().Add(-2 * time.Hour).UTC()
	unsorted := fmt.Sprintf(`{"usage_records":[{"usage_value":"1","instance_id":%q,"metering_sn":"sn-9","begin_time":%q,"end_time":%q,"record_time":%q}]}`,
		ondemand, begin.Format(protocol.UsageTimeLayout), begin.Add(time.Hour).Format(protocol.UsageTimeLayout), begin.Add(time.Hour).Format(protocol.UsageTimeLayout))
	for _, c := range []struct {
		key, body, mistake string
	}{
		{fixtures.DemoAccessKey, unsorted, diagnose.MistakeUsageUnsorted},
		{fixtures.DemoSK, usageBody(ondemand, "sn-10", "1", begin, ""), diagnose.MistakeUsageWrongKey},
	} {
		if status, code := push(t, srv.URL(), protocol.UsagePushPath, c.key, c.body, nil); status != 401 || code != protocol.MKTInvalidBodySign {
			t.Fatalf("HTTP %d %s", status, code)
		}
		list, err := api.Exchanges(ctx, koomock.ExchangeFilter{Activity: "usagePush", Limit: 1})
		if err != nil || len(list) != 1 || len(list[0].Diagnoses) != 1 || list[0].Diagnoses[0].Mistake != c.mistake {
			t.Fatalf("journal: %+v, %v", list, err)
		}
	}
}
