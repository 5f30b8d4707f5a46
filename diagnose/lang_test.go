package diagnose_test

import (
	"strings"
	"testing"
	"time"

	"github.com/koomock/koomock/diagnose"
	"github.com/koomock/koomock/i18n"
	"github.com/koomock/koomock/protocol"
)

// TestSummariesSpeakBothLanguages: a diagnosis keeps its English summary and renders in Chinese from its
// key, the headers' names as the protocol spells them.
func TestSummariesSpeakBothLanguages(t *testing.T) {
	d := diagnose.APIG(diagnose.APIGInput{Request: protocol.APIGRequest{Method: "GET", Path: "/"}, Now: time.Now(), AK: "ak", SK: "sk"})
	if d.Mistake != diagnose.MistakeNoAuthorization || d.Key == "" || !strings.HasPrefix(d.Summary, "no Authorization header") {
		t.Fatalf("diagnosis = %+v, want no Authorization with a key", d)
	}
	zh := i18n.For(i18n.Chinese).Diagnosis(d)
	if !strings.Contains(zh, "没有 Authorization 请求头") || strings.Contains(zh, "header") {
		t.Errorf("zh-CN = %q", zh)
	}
	d.Key = "" // a diagnosis journaled before diagnoses had keys
	if got := i18n.For(i18n.Chinese).Diagnosis(d); got != d.Summary {
		t.Errorf("a keyless diagnosis in zh-CN = %q, want its English summary", got)
	}
}
