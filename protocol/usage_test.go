package protocol_test

import (
	"strings"
	"testing"
	"time"

	"github.com/koomock/koomock/protocol"
)

// The spec's usage-push vector (saas-v2 §6.3).
func TestSignUsageVector(t *testing.T) {
	body := `{"usage_records":[{"begin_time":"20220809T080000Z","end_time":"20220809T090000Z","instance_id":"7f141bf1-aec8-4859-8323-fb3a8ad50721","metering_sn":"sn-0001","record_time":"20220809T091000Z","usage_value":"99"}]}`
	got := protocol.SignUsage("test-access-key-123", "1709690865879", "6c63c221-1f6b-4141-8ff4-22f5dfe82b65", []byte(body))
	if want := "PBNsDzxO8qf7knZpeqwkdd1ECwDksPnj02ZYFY9eSRk="; got != want {
		t.Fatalf("signature %s, want %s", got, want)
	}
	if err := protocol.VerifyUsage("test-access-key-123", "1709690865879", "6c63c221-1f6b-4141-8ff4-22f5dfe82b65", got, []byte(body)); err != nil {
		t.Fatal(err)
	}
	// The same record sent with its keys in another order still verifies: the signature covers the
	// naturally sorted body.
	unsorted := `{"usage_records":[{"instance_id":"7f141bf1-aec8-4859-8323-fb3a8ad50721","usage_value":"99","metering_sn":"sn-0001","begin_time":"20220809T080000Z","end_time":"20220809T090000Z","record_time":"20220809T091000Z"}]}`
	if err := protocol.VerifyUsage("test-access-key-123", "1709690865879", "6c63c221-1f6b-4141-8ff4-22f5dfe82b65", got, []byte(unsorted)); err != nil {
		t.Errorf("unsorted body: %v", err)
	}
	// Signing the unsorted bytes is the mistake: KooGallery verifies over the natural order.
	overUnsorted := protocol.SignUsage("test-access-key-123", "1709690865879", "6c63c221-1f6b-4141-8ff4-22f5dfe82b65", []byte(unsorted))
	if err := protocol.VerifyUsage("test-access-key-123", "1709690865879", "6c63c221-1f6b-4141-8ff4-22f5dfe82b65", overUnsorted, []byte(unsorted)); err != protocol.ErrUsageSignature {
		t.Errorf("signature over the unsorted body: %v", err)
	}
	if err := protocol.VerifyUsage("other-key", "1709690865879", "6c63c221-1f6b-4141-8ff4-22f5dfe82b65", got, []byte(body)); err != protocol.ErrUsageSignature {
		t.Errorf("wrong key: %v", err)
	}
	if err := protocol.VerifyUsage("test-access-key-123", "", "n", got, []byte(body)); err != protocol.ErrUsageHeaders {
		t.Errorf("no ts: %v", err)
	}
}

func TestUsageAmount(t *testing.T) {
	for _, ok := range []string{"99", "0.0001", "12.5", "99999999.9999"} {
		if _, err := protocol.UsageAmount(ok).Value(); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "0", "-1", "1.00001", "abc", "1e3", ".5", "1234567890123"} {
		if _, err := protocol.UsageAmount(bad).Value(); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	var p protocol.UsagePush
	if err := jsonUnmarshal(`{"usage_records":[{"usage_value":2.5},{"usage_value":"3"}]}`, &p); err != nil || p.Records[0].UsageValue != "2.5" || p.Records[1].UsageValue != "3" {
		t.Errorf("usage_value as number and string: %+v %v", p, err)
	}
}

func TestExpireTime(t *testing.T) {
	at := time.Date(2022, 11, 24, 2, 36, 18, 256e6, time.UTC)
	if got := protocol.FormatExpireTime(at, 14); got != "20221124023618" {
		t.Errorf("14 digits: %s", got)
	}
	if got := protocol.FormatExpireTime(at, 17); got != "20221124023618256" {
		t.Errorf("17 digits: %s", got)
	}
	for s, want := range map[string]time.Time{"20221124023618": at.Truncate(time.Second), "20221124023618256": at} {
		if got, err := protocol.ParseExpireTime(s); err != nil || !got.Equal(want) {
			t.Errorf("%s: %v %v, want %v", s, got, err, want)
		}
	}
	for _, bad := range []string{"2022112402361", "202211240236182", "20221324023618", "2022-11-24T02:3"} {
		if _, err := protocol.ParseExpireTime(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestEscapeNonASCII(t *testing.T) {
	got := string(protocol.EscapeNonASCII([]byte(`{"memo":"欢迎 😀 ok"}`)))
	if want := `{"memo":"\u6b22\u8fce \ud83d\ude00 ok"}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if strings.ContainsFunc(got, func(r rune) bool { return r > 127 }) {
		t.Error("non-ASCII left")
	}
	var back map[string]string
	if err := jsonUnmarshal(got, &back); err != nil || back["memo"] != "欢迎 😀 ok" {
		t.Errorf("round trip: %q %v", back["memo"], err)
	}
}
