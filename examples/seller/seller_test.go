package seller_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/koomock/koomock/examples/seller"
	"github.com/koomock/koomock/protocol"
)

const key = "seller-test-key"

var now = time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)

type answer struct {
	ResultCode string `json:"resultCode"`
	ResultMsg  string `json:"resultMsg"`
	InstanceID string `json:"instanceId"`
}

// call signs body at signedAt and posts it, returning the decoded answer after checking Body-Sign.
func call(t *testing.T, srv *httptest.Server, body string, signedAt time.Time, edit func(url.Values)) answer {
	t.Helper()
	canonical, err := protocol.CanonicalJSON([]byte(body))
	if err != nil {
		canonical = []byte(body)
	}
	q := protocol.SignV2(key, "NONCE1", signedAt, canonical).Query()
	if edit != nil {
		edit(q)
	}
	resp, err := http.Post(srv.URL+seller.ProducePath+"?"+q.Encode(), "application/json;charset=utf8", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if err := protocol.VerifyBodySign(key, resp.Header.Get(protocol.BodySignHeader), raw); err != nil {
		t.Errorf("Body-Sign of %s: %v", raw, err)
	}
	var a answer
	if resp.StatusCode != 200 || json.Unmarshal(raw, &a) != nil {
		t.Fatalf("HTTP %d %s", resp.StatusCode, raw)
	}
	return a
}

func TestReferenceSeller(t *testing.T) {
	srv := httptest.NewServer(seller.New(seller.Config{AccessKey: key, Now: func() time.Time { return now }, Wall: func() time.Time { return now }}))
	defer srv.Close()
	newInstance := func(business string) string {
		return `{"activity":"newInstance","businessId":"` + business + `","orderId":"CS1","orderLineId":"CS1-000001"}`
	}
	first := call(t, srv, newInstance("b-1"), now, nil)
	if first.ResultCode != "000000" || first.InstanceID != "b-1" {
		t.Fatalf("first newInstance: %+v", first)
	}
	if again := call(t, srv, newInstance("b-2"), now, nil); again.InstanceID != "b-1" {
		t.Errorf("resend created %q, want the first instance b-1", again.InstanceID)
	}
	tests := []struct {
		name string
		body string
		at   time.Time
		edit func(url.Values)
		code string
	}{
		{"tampered signature", newInstance("b-3"), now, func(q url.Values) { q.Set("signature", "00") }, "000001"},
		{"no signature", newInstance("b-3"), now, func(q url.Values) { q.Del("signature") }, "000001"},
		{"stale timestamp", newInstance("b-3"), now.Add(-2 * time.Minute), nil, "000002"},
		{"no nonce", newInstance("b-3"), now, func(q url.Values) { q.Del("nonce") }, "000002"},
		{"missing orderId", `{"activity":"newInstance","businessId":"b","orderLineId":"l"}`, now, nil, "000002"},
		{"unknown activity", `{"activity":"launchRocket"}`, now, nil, "000002"},
		{"not JSON", `activity=newInstance`, now, nil, "000002"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := call(t, srv, tt.body, tt.at, tt.edit); got.ResultCode != tt.code {
				t.Errorf("resultCode %s (%s), want %s", got.ResultCode, got.ResultMsg, tt.code)
			}
		})
	}
}
