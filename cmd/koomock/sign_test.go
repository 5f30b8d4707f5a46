package main

import (
	"strings"
	"testing"
)

// TestSignPrintsTheSpecVectors runs `koomock sign` with the spec's inputs and finds the spec's
// outputs, so a seller comparing line by line compares with values known to be right.
func TestSignPrintsTheSpecVectors(t *testing.T) {
	const key = "test-access-key-123"
	code, out, errOut := cli(t, nil, "sign", "--key", key,
		"--nonce", "50D83FDECAED6CCD8EF597F2A577950527928BA287D04E6036E92B2806FD17DA", "--timestamp", "1680508066618")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"285908bb4967f74e31d81e4e6535e080bd5044f4371d9256c58670d2b69a67a9", // V2 inner digest (§2.2)
		"62E90CD8E07B3F168F232D9099789AAB7BA6ECCE7D5977652F689BEC1B64D13F", // V2 signature (§2.2)
		"APIG AK/SK: give --url",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %s:\n%s", want, out)
		}
	}
	// The kit vector of §2.3.
	_, out, _ = cli(t, nil, "sign", "--scheme", "kit", "--key", key,
		"--nonce", "50D83FDECAED6CCD8EF597F2A577950527928BA287D04E6036E92B2806FD17DA", "--timestamp", "1680508066618",
		"--body", `{"domainName":"https://example.tenantaccount.com","flag":1,"instanceId":"huaiweitest123456","name":"huaiweitest","orderId":"CS1906666666ABCDE","tenantCode":"huawei","tenantId":"68cbc86abc","testFlag":0,"timeStamp":"20220413093539534"}`)
	if !strings.Contains(out, "767d7e86a19a52e91b229e5b0f28f3a5c32bd5145b525b4da502c231e0c3b8c4") {
		t.Errorf("kit vector missing:\n%s", out)
	}
	// The usage-push vector of §6.3.
	_, out, _ = cli(t, nil, "sign", "--scheme", "usage-push", "--key", key, "--nonce", "6c63c221-1f6b-4141-8ff4-22f5dfe82b65", "--timestamp", "1709690865879",
		"--body", `{"usage_records":[{"begin_time":"20220809T080000Z","end_time":"20220809T090000Z","instance_id":"7f141bf1-aec8-4859-8323-fb3a8ad50721","metering_sn":"sn-0001","record_time":"20220809T091000Z","usage_value":"99"}]}`)
	if !strings.Contains(out, "PBNsDzxO8qf7knZpeqwkdd1ECwDksPnj02ZYFY9eSRk=") {
		t.Errorf("usage-push vector missing:\n%s", out)
	}
	// Body-Sign over the answer of §2.4, and V1 over the parameters of §7.
	_, out, _ = cli(t, nil, "sign", "--scheme", "body-sign", "--key", key, "--body", `{"resultCode":"000000","resultMsg":"success"}`)
	if !strings.Contains(out, "9r6UjfYtel1H1EO7t+89DeDkSnQky1LpCOfzpJpfHuk=") {
		t.Errorf("Body-Sign vector missing:\n%s", out)
	}
	_, out, _ = cli(t, nil, "sign", "--scheme", "v1", "--key", key, "--timestamp", "1500951073409",
		"--body", `{"activity":"newInstance","businessId":"b1","orderId":"o1","testFlag":"1"}`)
	if !strings.Contains(out, "0jMPcK3FO6E5JpX0d2t0DrVkZHYSp7njfqL7/yrauoE=") {
		t.Errorf("V1 vector missing:\n%s", out)
	}
	for _, o := range []string{out} {
		if strings.Contains(o, key) {
			t.Error("sign printed the key")
		}
	}
	code, out, _ = cli(t, nil, "sign", "--scheme", "apig", "--url", "https://mkt.myhuaweicloud.com/api/mkp-openapi-public/global/v1/order/query?orderId=CS1")
	if code != exitOK || !strings.Contains(out, "/order/query/\n") || strings.Contains(out, "koomockDemoSecretKey") {
		t.Errorf("apig: exit %d\n%s", code, out)
	}
	for _, args := range [][]string{{"sign", "--scheme", "v3"}, {"sign", "--scheme", "apig"}, {"sign", "--body", "[1]", "--scheme", "v2"}, {"sign", "--body", "@/no/such/file"}} {
		if code, _, _ := cli(t, nil, args...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, exitUsage)
		}
	}
}
