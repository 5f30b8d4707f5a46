package assets_test

import (
	"context"
	"strings"
	"testing"
	"unicode"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/i18n"
	"github.com/koomock/koomock/protocol"
)

// TestRefusalVerdictSpeaksTheReadersLanguage: a deployed-object refusal's verdict renders in Chinese
// for a zh-CN reader, with the error_msg the data source reads in it as it is sent, and in English as
// the journal keeps it.
func TestRefusalVerdictSpeaksTheReadersLanguage(t *testing.T) {
	e := newEnv(t, nil)
	_, ans, raw := e.deployed(protocol.PathAssetDeployedObject, q("asset_id", "nope", "deployed_type", "software_package"))
	if ans.ErrorCode != protocol.LicenseInvalidParam {
		t.Fatalf("an unknown asset: %s", raw)
	}
	list, err := e.api.Exchanges(context.Background(), koomock.ExchangeFilter{Direction: koomock.Inbound, Limit: 1})
	if err != nil || len(list) != 1 {
		t.Fatal(list, err)
	}
	var v koomock.Verdict
	for _, x := range list[0].Verdicts {
		if x.Rule == koomock.RuleRequestSchema && x.Outcome == koomock.Warn {
			v = x
		}
	}
	detail := "asset nope does not exist"
	zh := i18n.For(i18n.Chinese).Why(v)
	if v.Message != "deployed-object: "+detail || !strings.Contains(ans.ErrorMsg, detail) {
		t.Errorf("verdict %q, error_msg %q", v.Message, ans.ErrorMsg)
	}
	if !strings.ContainsFunc(zh, func(r rune) bool { return unicode.Is(unicode.Han, r) }) || !strings.Contains(zh, detail) || !strings.Contains(zh, "资产") {
		t.Errorf("a zh-CN reader reads %q", zh)
	}
	if en := i18n.For(i18n.English).Why(v); en != v.Message {
		t.Errorf("English renders %q, the journal keeps %q", en, v.Message)
	}
}
