package deploy

import (
	"strings"
	"testing"

	"github.com/koomock/koomock/i18n"
)

// TestStepLines: a step's line is in the printer's language, its name padded to the same column (a
// Chinese character takes two cells); the report keeps the English detail with its key.
func TestStepLines(t *testing.T) {
	for _, c := range []struct {
		p    *i18n.Printer
		want string
	}{
		{nil, "FAIL download     client.zip: 3 bytes in 2 requests (HTTP 206)\nok   install      server's user_data exited with 0\n"},
		{i18n.For(i18n.Chinese), "失败 下载         client.zip：3 字节，分 2 次请求（HTTP 206）\n通过 安装         server 的 user_data 退出码为 0\n"},
	} {
		var out strings.Builder
		var rep Report
		o := Options{Out: &out, Printer: c.p}
		rep.step(o, "download", false, "deployStep.ranges", "client.zip", 3, 2, 206)
		rep.step(o, "install", true, "deployStep.exited", "server", 0)
		if out.String() != c.want {
			t.Errorf("%s: got\n%q, want\n%q", c.p.Lang(), out.String(), c.want)
		}
		if s := rep.Steps[0]; s.Detail != "client.zip: 3 bytes in 2 requests (HTTP 206)" || s.Key != "deployStep.ranges" || len(s.Args) != 4 {
			t.Errorf("%s: step = %+v", c.p.Lang(), s)
		}
	}
}
