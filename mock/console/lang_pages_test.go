package console_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/fixtures"
)

// speaks checks one page in both languages: a zh-CN browser reads its Chinese headings and none of its
// English ones, an English browser the English ones, so no heading is left untranslated.
func (b *browser) speaks(what, path string, zh, en []string) {
	b.t.Helper()
	zhBody := b.getIn(path, "zh-CN,zh;q=0.9").body
	enBody := b.getIn(path, "en-US,en;q=0.9").body
	mustContain(b.t, what+" in zh-CN", zhBody, zh...)
	mustContain(b.t, what+" in en", enBody, en...)
	for _, s := range en {
		if strings.Contains(zhBody, s) {
			b.t.Errorf("%s in zh-CN still says %q", what, s)
		}
	}
}

// TestTheAssetCentreSpeaksChinese: the asset centre's list and an asset's page, their forms, headings and
// empty states, in the browser's language; the CLI commands stay as they are typed.
func TestTheAssetCentreSpeaksChinese(t *testing.T) {
	srv, api := newServer(t, nil, nil)
	b := newBrowser(t, srv.URL())
	b.speaks("the empty asset list", "/console/assets",
		[]string{"<h1>资产中心</h1>", ">添加应用资产</h2>", ">部署类软件包</option>", "还没有资产。", "<code>koomock asset add FILE --name NAME --version V1.0</code>"},
		[]string{"<h1>Asset centre</h1>", ">Add an application asset</h2>", "No asset yet.", "<th>Versions</th>"})
	a, err := api.CreateAsset(context.Background(), controlapi.AssetRequest{Name: "License-client", DeployedType: koomock.DeploySoftwarePackage})
	if err != nil {
		t.Fatal(err)
	}
	b.speaks("the asset list", "/console/assets",
		[]string{"<th>版本</th>", "<th>模板</th>", ">无</span>"},
		[]string{"<th>Versions</th>", "<th>Templates</th>", ">none</span>"})
	b.speaks("an asset's page", "/console/assets/"+a.ID,
		[]string{">上传版本</h2>", ">关联自动部署模板</h2>", "还没有版本。", "还没有模板", ">删除资产</h2>", "← 资产中心", "<code>koomock template check FILE</code>"},
		[]string{">Upload a version</h2>", ">Attach an auto-deploy template</h2>", "No version yet.", "No template yet", ">Delete the asset</h2>", "← Asset centre"})
}

// TestTheOverviewSpeaksChinese: the overview's body (the areas, what to paste, the settings) in the
// browser's language.
func TestTheOverviewSpeaksChinese(t *testing.T) {
	srv, _ := newServer(t, nil, nil)
	b := newBrowser(t, srv.URL())
	b.speaks("the overview", "/console/",
		[]string{">SaaS 生产接口回调</td>", ">联营 Kit 同步</td>", "请在“订单与实例”页面购买一个商品。", ">SaaS（基础接口）</h3>", "<dt>生产接口地址</dt>", "<dt>冻结期</dt>", "还没有交互"},
		[]string{">SaaS callbacks</td>", ">Kit syncs</td>", "Buy a product on the Orders page.", ">SaaS (basic interfaces)</h3>", "<dt>Production URL</dt>", "<dt>Freeze window</dt>", "Nothing yet"})
}

// TestOrderDeliveriesAndFaultsSpeakChinese: an order's page, the deliveries and the faults pages in the
// browser's language.
func TestOrderDeliveriesAndFaultsSpeakChinese(t *testing.T) {
	srv, api := newServer(t, nil, nil)
	p, err := api.Buy(context.Background(), controlapi.BuyRequest{})
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, srv.URL())
	b.speaks("an order's page", "/console/orders/"+p.Order.ID,
		[]string{"<h1>订单 <span", "<dt>买家</dt>", "<dt>实例 ID</dt>", ">重发 newInstance</button>", "关于此订单的交互", "云商店没有得到明确应答时"},
		[]string{"<h1>Order <span", "<dt>Buyer</dt>", "<dt>Instance ID</dt>", ">Resend newInstance</button>", "Exchanges about this order", "KooGallery sends an order again"})
	b.speaks("the deliveries", "/console/deliveries?status=all",
		[]string{"<h1>投递与重试</h1>", "回调投递，最新的在前", "<th>尝试次数</th>", "尚未完成"},
		[]string{"<h1>Deliveries and retries</h1>", "Deliveries, newest first", "<th>Attempts</th>", "still owed"})
	// States are named in the reader's language; the markup keeps the value.
	mustContain(t, "an order's states in zh-CN", b.getIn("/console/orders/"+p.Order.ID, "zh-CN").body, ">正常</span>", ">已交付</span>")
	mustContain(t, "the delivery filter in zh-CN", b.getIn("/console/deliveries", "zh-CN").body, `<option value="retrying">重试中</option>`)
	b.speaks("the faults", "/console/faults",
		[]string{"<h1>故障注入</h1>", ">已开启</h2>", ">可用故障</h2>", "没有开启的故障", ">开启</button>"},
		[]string{"<h1>Faults</h1>", ">Switched on</h2>", ">Offered</h2>", "No fault is on", ">Switch on</button>"})
}

// TestTenantsAndCasesSpeakChinese: the tenants list and a debug case's page in the browser's language.
func TestTenantsAndCasesSpeakChinese(t *testing.T) {
	srv, api := newServer(t, nil, nil)
	b := newBrowser(t, srv.URL())
	b.speaks("the tenants", "/console/tenants",
		[]string{"<h1>租户与用户</h1>", ">创建租户</h2>", "<span>租户编码（即其域名）</span>", ">域名</th>", "<code>tenantSync</code>"},
		[]string{"<h1>Tenants and users</h1>", ">Create a tenant</h2>", "<span>Tenant code (its domain)</span>", ">Domain</th>"})
	p, err := api.Buy(context.Background(), controlapi.BuyRequest{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := api.SaveCase(context.Background(), controlapi.SaveCaseRequest{ExchangeID: p.Exchange.ID, Name: "new"})
	if err != nil {
		t.Fatal(err)
	}
	b.speaks("a debug case", fmt.Sprintf("/console/cases/%d", c.ID),
		[]string{">调测用例 #", "<dt>失败天数</dt>", ">回调消息体</h2>", ">重放记录</h2>", "还没有重放。"},
		[]string{">Debug case #", "<dt>Failing days</dt>", ">Callback body</h2>", ">Replays</h2>", "Not replayed yet."})
}

// TestALicenseCodesPageSpeaksChinese: a license code's page, its lifecycle buttons and tables, in the
// browser's language.
func TestALicenseCodesPageSpeaksChinese(t *testing.T) {
	srv, _ := newServer(t, nil, nil)
	b := newBrowser(t, srv.URL())
	b.speaks("a license code's page", "/console/licenses/PLKOOMOCKDEMO0001",
		[]string{"<h1>授权码 <span", ">生命周期</h2>", ">立即到期（冻结）</button>", ">心跳</h2>", "<th>应答的状态</th>", "关于此授权码的交互"},
		[]string{"<h1>License code <span", ">Lifecycle</h2>", ">Expire now (FREEZE)</button>", ">Heartbeats</h2>", "<th>Status answered</th>", "Exchanges about this code"})
}

// TestAnInstancesPageSpeaksChinese: an instance's page, its actions and tables, in the browser's
// language; the callbacks' names stay as KooGallery spells them.
func TestAnInstancesPageSpeaksChinese(t *testing.T) {
	srv, api := newServer(t, nil, nil)
	p, err := api.Buy(context.Background(), controlapi.BuyRequest{})
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, srv.URL())
	b.speaks("an instance's page", "/console/instances/"+p.Instance.ID,
		[]string{"<h1>实例 <span", "，通过订单", ">立即到期</button>", "<code>updateInstanceStatus</code> FREEZE（冻结）", ">回调及其尝试</h2>", "<dt>首个订单</dt>", ">沿用原周期</option>"},
		[]string{"<h1>Instance <span", ", bought with order", ">Expire now</button>", "The period ends now", ">Callbacks and their attempts</h2>", "<dt>First order</dt>", ">its own</option>"})
	b.speaks("an action's result", "/console/instances/"+p.Instance.ID+"?done=renew&placed=O-1",
		[]string{"续费：发生了什么", "云商店下了订单"}, []string{"Renew: what happened", "KooGallery placed order"})
	// An action koomock has no name for is shown as it came, escaped.
	mustContain(t, "an unknown action's result", b.getIn("/console/instances/"+p.Instance.ID+"?done=%3Cb%3E", "zh-CN").body, "&lt;b&gt;：发生了什么")
}

// TestATenantsPageSpeaksChinese: a tenant's page, its app, departments and users, in the browser's
// language; the kit syncs keep their names and flags.
func TestATenantsPageSpeaksChinese(t *testing.T) {
	srv, _ := jointServer(t)
	b := newBrowser(t, srv.URL())
	b.speaks("a tenant's page", "/console/tenants/"+fixtures.DemoTenantID,
		[]string{">所有租户</a>", ">应用</h2>", ">部门</h2>", ">用户</h2>", ">全部重新同步</button>", "授权用户（authSync flag 1）", "关于此租户的交互", "<span>工号</span>"},
		[]string{">All tenants</a>", ">App</h2>", ">Departments</h2>", ">Users</h2>", ">Resync everything</button>", "Authorise a user", "Exchanges about this tenant", "<span>Employee code</span>"})
}

// TestSignatureDiagnosesSpeakChinese: an exchange's signature diagnoses are summed up in the reader's
// language.
func TestSignatureDiagnosesSpeakChinese(t *testing.T) {
	srv, api := newServer(t, refusingSeller, nil)
	p, err := api.Buy(context.Background(), controlapi.BuyRequest{})
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, srv.URL())
	b.speaks("the diagnoses", fmt.Sprintf("/console/journal/%d", p.Exchange.ID),
		[]string{"koomock 对此回调的签名是正确的", "签名不符合任何已知错误"},
		[]string{"koomock signed this callback correctly", "the signature matches no known mistake"})
}

// TestLoginAndErrorPagesSpeakChinese: the login page and an error page in the browser's language.
func TestLoginAndErrorPagesSpeakChinese(t *testing.T) {
	srv, _ := newServer(t, nil, withToken)
	b := newBrowser(t, srv.URL())
	b.speaks("the login page", "/console/login",
		[]string{"<h1>登录 koomock 控制台</h1>", "<code>--admin-token</code>", "<span>管理令牌</span>"},
		[]string{"<h1>Log in to the koomock console</h1>", "<span>Admin token</span>"})
	open, _ := newServer(t, nil, nil)
	b = newBrowser(t, open.URL())
	b.speaks("an error page", "/console/orders/NOPE",
		[]string{"<h1>操作没有成功</h1>", ">返回</a>"},
		[]string{"<h1>That did not work</h1>", ">Back</a>"})
}
