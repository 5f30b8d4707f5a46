package main

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/protocol"
)

// decodeOne decodes stdout as exactly one JSON object, as a script reads it.
func decodeOne(t *testing.T, what, stdout string, v any) {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(stdout))
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%s: stdout is not a JSON object: %v\n%s", what, err, stdout)
	}
	if dec.More() {
		t.Fatalf("%s: stdout holds more than one JSON value:\n%s", what, stdout)
	}
}

func TestSignJSON(t *testing.T) {
	code, out, errOut := cli(t, nil, "sign", "--json", "--key", "my-secret-key", "--nonce", "N0NCE", "--timestamp", "1680508066618",
		"--url", "https://mkt.myhuaweicloud.com/api/mkp-openapi-public/global/v1/order/query?orderId=CS1")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got signJSON
	decodeOne(t, "sign --json", out, &got)
	canonical, _ := protocol.CanonicalJSON([]byte(sampleBody))
	want := protocol.SignV2("my-secret-key", "N0NCE", time.UnixMilli(1680508066618), canonical)
	if got.Nonce != "N0NCE" || got.Timestamp != 1680508066618 || got.Schemes["v2"]["signature"] != want.Signature {
		t.Errorf("sign --json: %+v, want the v2 signature %s", got, want.Signature)
	}
	for _, s := range signSchemes {
		if len(got.Schemes[s]) == 0 {
			t.Errorf("sign --json has no %s values: %s", s, out)
		}
	}
	if strings.Contains(out, "my-secret-key") {
		t.Errorf("sign --json prints the key: %s", out)
	}
	// One scheme asked, one scheme answered.
	_, out, _ = cli(t, nil, "sign", "--json", "--scheme", "kit")
	var kit signJSON
	decodeOne(t, "sign --json --scheme kit", out, &kit)
	if len(kit.Schemes) != 1 || kit.Schemes["kit"]["xSign"] == "" {
		t.Errorf("sign --json --scheme kit: %s", out)
	}
}

func TestFireJSON(t *testing.T) {
	code, out, errOut := cli(t, nil, "fire", "newInstance", "--json", "--seller-url", referenceSeller(t, nil))
	if code != exitOK {
		t.Fatalf("exit %d: %s %s", code, out, errOut)
	}
	var got exchangeResult
	decodeOne(t, "fire --json", out, &got)
	if got.Failed || got.Exchange == nil || got.Exchange.Activity != "newInstance" || got.Exchange.Response == nil || got.Exchange.Response.Status != 200 {
		t.Errorf("fire --json: %s", out)
	}
}

func TestReplayAndHealthcheckJSON(t *testing.T) {
	api, _, stop := startServe(t, "--db", ":memory:")
	defer stop()
	p, err := api.Buy(context.Background(), controlapi.BuyRequest{})
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut := cli(t, nil, "replay", strconv.FormatInt(p.Exchange.ID, 10), "--json", "--mock-url", api.BaseURL)
	if code != exitOK {
		t.Fatalf("replay: exit %d: %s %s", code, out, errOut)
	}
	var replayed exchangeResult
	decodeOne(t, "replay --json", out, &replayed)
	if replayed.Replayed != p.Exchange.ID || replayed.Failed || replayed.Exchange == nil || replayed.Exchange.ID == p.Exchange.ID {
		t.Errorf("replay --json: %s", out)
	}
	code, out, _ = cli(t, nil, "replay", "1", "--json", "--mock-url", "http://127.0.0.1:1")
	var failed jsonError
	decodeOne(t, "replay --json with no koomock", out, &failed)
	if code != exitUsage || !strings.Contains(failed.Error, "no koomock at http://127.0.0.1:1") {
		t.Errorf("replay --json with no koomock: exit %d, %s", code, out)
	}

	u, _ := url.Parse(api.BaseURL)
	code, out, _ = cli(t, nil, "healthcheck", "--json", "--addr", u.Host)
	var h healthJSON
	decodeOne(t, "healthcheck --json", out, &h)
	if code != exitOK || !h.Healthy || h.URL != api.BaseURL+"/healthz" || h.Error != "" {
		t.Errorf("healthcheck --json: exit %d, %s", code, out)
	}
	code, out, _ = cli(t, nil, "healthcheck", "--json", "--addr", "127.0.0.1:1")
	h = healthJSON{}
	decodeOne(t, "healthcheck --json, nothing listening", out, &h)
	if code != exitUnhealthy || h.Healthy || h.Error == "" {
		t.Errorf("healthcheck --json, nothing listening: exit %d, %s", code, out)
	}
}

func TestConfigJSON(t *testing.T) {
	code, out, errOut := cli(t, map[string]string{"KOOMOCK_LOG_LEVEL": "debug"}, "config", "--json", "serve", "--addr", "127.0.0.1:9999", "--admin-token", "a-long-admin-token")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got configSettings
	decodeOne(t, "config --json", out, &got)
	if got.Command != "serve" || got.ConfigFileFound {
		t.Errorf("config --json: %s", out)
	}
	for name, want := range map[string]configSetting{
		"addr":      {Value: "127.0.0.1:9999", Source: "flag"},
		"log-level": {Value: "debug", Source: "KOOMOCK_LOG_LEVEL"},
		"db":        {Value: "", Source: "default"},
	} {
		if got.Settings[name] != want {
			t.Errorf("config --json %s: %+v, want %+v", name, got.Settings[name], want)
		}
	}
	if strings.Contains(out, "a-long-admin-token") || got.Settings["admin-token"].Value == "" {
		t.Errorf("config --json shows the admin token, or nothing for it: %+v", got.Settings["admin-token"])
	}
}
