package console_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/koomock/koomock/controlapi"
)

// getIn loads a console page as a browser whose languages are accept.
func (b *browser) getIn(path, accept string) page {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.base+path, nil)
	req.Header.Set("Accept-Language", accept)
	return b.do(req)
}

// TestTheConsoleSpeaksTheBrowsersLanguage: a zh-CN browser reads the console in Chinese, an English
// one in English, and one exchange's verdicts in either language.
func TestTheConsoleSpeaksTheBrowsersLanguage(t *testing.T) {
	srv, api := newServer(t, noInstanceSeller, nil)
	p, err := api.Buy(context.Background(), controlapi.BuyRequest{})
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, srv.URL())
	zh := b.getIn("/console/", "zh-CN,zh;q=0.9,en;q=0.8").body
	mustContain(t, "the overview for zh-CN", zh, `<html lang="zh-CN">`, ">订单与实例</a>", ">日志</a>", ">授权码</a>", "最近交互的健康状况")
	en := b.getIn("/console/", "en-US,en;q=0.9").body
	mustContain(t, "the overview for en", en, `<html lang="en">`, ">Orders and instances</a>", ">Journal</a>", "Health of the last exchanges")
	if strings.Contains(en, "订单与实例") {
		t.Error("the English overview has Chinese navigation")
	}
	for lang, body := range map[string]string{"en": en, "zh-CN": zh} {
		if strings.Contains(body, ">nav.") {
			t.Errorf("the %s navigation names a page the catalog has no title for:\n%s", lang, body)
		}
	}
	mustContain(t, "the zh-CN navigation", zh, ">资产中心</a>", ">调测用例</a>", ">租户与用户</a>")

	exchange := fmt.Sprintf("/console/journal/%d", p.Exchange.ID)
	mustContain(t, "the exchange page for zh-CN", b.getIn(exchange, "zh-CN").body,
		"resultCode 000000 没有附带 instanceId；云商店之后的每个回调都需要它", ">失败</span>")
	mustContain(t, "the exchange page for en", b.getIn(exchange, "en").body,
		"resultCode 000000 came without an instanceId; KooGallery needs it for every later callback", ">fail</span>")
	// The journal's rows, streamed or not, give the first failure's why in the reader's language.
	mustContain(t, "the journal for zh-CN", b.getIn("/console/journal", "zh-CN").body, "没有附带 instanceId")
}

// TestTheLanguageSwitchIsRemembered: the switch on every page sets a cookie that outweighs the
// browser's Accept-Language, and goes back to the page it was on.
func TestTheLanguageSwitchIsRemembered(t *testing.T) {
	srv, _ := newServer(t, nil, nil)
	b := newBrowser(t, srv.URL())
	page := b.getIn("/console/journal", "en")
	mustContain(t, "the switch", page.body, `action="/console/lang"`, `name="lang" value="zh-CN"`, ">中文</button>", `name="back" value="/console/journal"`)

	to := b.post("/console/lang", url.Values{"lang": {"zh-CN"}, "back": {"/console/journal"}})
	if to.status != http.StatusSeeOther || to.location != "/console/journal" {
		t.Fatalf("switch: %d to %q, want 303 to /console/journal", to.status, to.location)
	}
	mustContain(t, "the journal after switching to Chinese", b.getIn("/console/journal", "en").body, `<html lang="zh-CN">`, "<h1>日志</h1>", ">English</button>")

	b.post("/console/lang", url.Values{"lang": {"en"}, "back": {"https://elsewhere.example/"}})
	mustContain(t, "the journal after switching back", b.getIn("/console/journal", "zh-CN").body, `<html lang="en">`, "<h1>Journal</h1>")

	// A language koomock does not speak forgets the choice: the browser's language applies again.
	b.post("/console/lang", url.Values{"lang": {"klingon!"}})
	mustContain(t, "the journal after an unknown choice", b.getIn("/console/journal", "zh-CN").body, `<html lang="zh-CN">`)
}
