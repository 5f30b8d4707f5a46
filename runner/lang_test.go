package runner_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/koomock/koomock/examples/seller/sellertest"
	"github.com/koomock/koomock/i18n"
	"github.com/koomock/koomock/mock"
	"github.com/koomock/koomock/runner"
)

// TestReportsInChinese runs the official sample as published with --lang zh-CN: the summary, the HTML
// report and the JUnit report speak Chinese, verdicts included, while rule names, activities and
// KooGallery's own wire texts stay as they are.
func TestReportsInChinese(t *testing.T) {
	v := sellertest.SampleVariants[1]
	p := startPairWith(t, v.Handler, mock.Config{Market: mock.MarketConfig{CallbackTimeout: 5 * time.Second}})
	profile, err := runner.ParseProfile(v.Profile)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	html, junit := filepath.Join(dir, "report.html"), filepath.Join(dir, "report.xml")
	var out bytes.Buffer
	p.opts.Profile, p.opts.Output, p.opts.Concurrency, p.opts.Seed = profile, &out, 4, 11
	p.opts.Format, p.opts.Lang = "progress,html:"+html+",junit:"+junit, i18n.For(i18n.Chinese)
	if _, err := runner.Run(context.Background(), p.opts); err != nil {
		t.Fatal(err)
	}
	summary := out.String()
	mustHave(t, "the summary", summary, "商家违反了：instance.unknown", "修复：对从未创建过的实例应答 000003",
		"规则 instance.unknown 位于 /resultCode：发送了指向商家从未创建的实例的回调", "（随机种子 11）")
	page, _ := os.ReadFile(html)
	mustHave(t, "the HTML report", string(page), `<html lang="zh-CN">`, "失败的场景", "商家违反了：", "修复：")
	xml, _ := os.ReadFile(junit)
	mustHave(t, "the JUnit report", string(xml), "步骤：", "修复：", "云商店接受这种做法")
	if t.Failed() {
		t.Logf("summary:\n%s", summary)
	}
}

func mustHave(t *testing.T, what, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%s does not contain %q", what, w)
		}
	}
}
