package kit_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/mock"
	"github.com/koomock/koomock/mock/mocktest"
	"github.com/koomock/koomock/openapi"
	"github.com/koomock/koomock/protocol"
)

type received struct {
	path   string
	header http.Header
	raw    []byte
	body   map[string]any
}

// seller verifies each kit sync with the kit key on its own (wall) clock, as a seller must, and answers:
// signature timestamps follow real time even when koomock's clock is virtual (see clock.Wall).
type seller struct {
	mu   sync.Mutex
	got  []received
	errs []string
	now  func() time.Time
}

func (s *seller) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	var body map[string]any
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.UseNumber()
	dec.Decode(&body)
	s.mu.Lock()
	s.got = append(s.got, received{r.URL.Path, r.Header.Clone(), raw, body})
	if err := protocol.VerifyKit(fixtures.DemoKitKey, r.Header, raw, s.now(), false); err != nil {
		s.errs = append(s.errs, r.URL.Path+": "+err.Error())
	}
	s.mu.Unlock()
	io.WriteString(w, `{"resultCode":"000000","resultMsg":"Success"}`)
}

// wallStamp reports whether an x-timestamp header is real time (within a minute of now): signature
// timestamps follow the wall clock even when koomock's clock is virtual (see clock.Wall).
func wallStamp(v string) bool {
	ms, err := strconv.ParseInt(v, 10, 64)
	return err == nil && time.Since(time.UnixMilli(ms)).Abs() < time.Minute
}

func (s *seller) take() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.got
	s.got = nil
	return out
}

func start2(t *testing.T, db string) (*controlapi.Client, *seller, func()) {
	t.Helper()
	s := &seller{}
	m := mocktest.New(t, mocktest.Options{Handler: s, SellerPath: "/isv/produce", Seed: 9, Config: func(c *mock.Config) {
		c.DB = db
		c.Joint = mock.JointConfig{KitKey: fixtures.DemoKitKey, LoginCallbackURL: "https://seller.example/cb"}
	}})
	s.now = m.Clock.Wall
	return m.API, s, m.Close
}

func TestKitSyncs(t *testing.T) {
	api, s, stop := start2(t, ":memory:")
	defer stop()
	ctx := context.Background()
	spec, err := openapi.Load(nil, openapi.SellerFile)
	if err != nil {
		t.Fatal(err)
	}
	res, err := api.CreateTenant(ctx, controlapi.TenantRequest{TenantCode: "acme", Name: "Acme", InstanceID: "inst-1", OrderID: "CS1", TestFlag: 1})
	if err != nil {
		t.Fatal(err)
	}
	check := func(want ...string) []received {
		t.Helper()
		got := s.take()
		var paths []string
		for _, g := range got {
			paths = append(paths, strings.TrimPrefix(g.path, "/isv/produce/produceAPI/v2/"))
			name := paths[len(paths)-1]
			var body any
			json.Unmarshal(g.raw, &body)
			if v, err := spec.CheckRequest(name, body); err != nil || len(v) > 0 {
				t.Errorf("%s body %s breaks seller.yaml: %v %v", name, g.raw, v, err)
			}
			if canon, _ := protocol.CanonicalJSON(g.raw); string(canon) != string(g.raw) {
				t.Errorf("%s body is not canonical: %s", name, g.raw)
			}
			if g.header.Get("x-sign") == "" || g.header.Get("x-nonce") == "" || !wallStamp(g.header.Get("x-timestamp")) {
				t.Errorf("%s headers %v", name, g.header)
			}
			if g.body["testFlag"] != json.Number("1") || g.body["timeStamp"] != "20261127160000000" {
				t.Errorf("%s testFlag %v timeStamp %v", name, g.body["testFlag"], g.body["timeStamp"])
			}
		}
		if strings.Join(paths, ",") != strings.Join(want, ",") {
			t.Fatalf("syncs %v, want %v", paths, want)
		}
		return got
	}
	got := check("tenantSync", "applicationSync", "allOrgSync")
	if d := got[0].body["domainName"]; !strings.HasSuffix(fmt.Sprint(d), "/t/acme") || got[0].body["flag"] != json.Number("1") || got[0].body["instanceId"] != "inst-1" {
		t.Errorf("tenantSync %s", got[0].raw)
	}
	priv, _ := protocol.ParseRSAPrivateKeyPEM(fixtures.DemoSellerPrivateKeyPEM)
	if secret, err := protocol.DecryptClientSecret(priv, got[1].body["clientSecret"].(string), protocol.OAEPSHA256); err != nil || len(secret) < 32 {
		t.Errorf("clientSecret: %q %v", secret, err)
	}
	if strings.Contains(fmt.Sprint(res), got[1].body["clientSecret"].(string)) {
		t.Error("the answer shows the encrypted secret")
	}
	tid := res.Tenant.ID

	// 1201 users go in three authSync calls of at most 500.
	users := make([]koomock.User, 1201)
	for i := range users {
		users[i] = koomock.User{UserName: fmt.Sprintf("user%04d", i), Email: "u@example.com", EmployeeType: 1}
	}
	if _, err := api.AuthorizeUsers(ctx, tid, users); err != nil {
		t.Fatal(err)
	}
	got = check("authSync", "authSync", "authSync")
	for i, want := range []int{500, 500, 201} {
		list := got[i].body["userList"].([]any)
		if len(list) != want || got[i].body["flag"] != json.Number("1") {
			t.Errorf("authSync %d: %d users, flag %v", i, len(list), got[i].body["flag"])
		}
	}
	if _, err := api.UpdateUser(ctx, tid, koomock.User{UserName: "user0001", Disabled: true, Role: "admin"}); err != nil {
		t.Fatal(err)
	}
	got = check("authSync")
	if u := got[0].body["userList"].([]any)[0].(map[string]any); u["enable"] != "false" || u["role"] != "admin" || got[0].body["flag"] != json.Number("2") {
		t.Errorf("modify: %s", got[0].raw)
	}
	api.DeauthorizeUser(ctx, tid, "user0002")
	if got = check("authSync"); got[0].body["flag"] != json.Number("3") {
		t.Errorf("deauthorize flag %v", got[0].body["flag"])
	}
	api.DeleteUser(ctx, tid, "user0003")
	if got = check("authSync"); got[0].body["flag"] != json.Number("0") {
		t.Errorf("delete user flag %v", got[0].body["flag"])
	}
	api.PutOrg(ctx, tid, koomock.Org{Code: "20", Name: "R&D", ParentCode: "10000"})
	api.PutOrg(ctx, tid, koomock.Org{Code: "20", Name: "Research"})
	api.DeleteOrg(ctx, tid, "20")
	got = check("singleOrgSync", "singleOrgSync", "singleOrgSync")
	for i, flag := range []string{"1", "2", "0"} {
		if got[i].body["flag"] != json.Number(flag) {
			t.Errorf("singleOrgSync %d flag %v, want %s", i, got[i].body["flag"], flag)
		}
	}
	api.RenameTenant(ctx, tid, "Acme Group")
	api.UpdateApp(ctx, tid, controlapi.AppRequest{RotateSecret: true})
	api.DeleteApp(ctx, tid)
	got = check("tenantSync", "applicationSync", "applicationSync")
	if got[0].body["flag"] != json.Number("2") || got[1].body["flag"] != json.Number("2") || got[2].body["flag"] != json.Number("0") {
		t.Errorf("modify/delete flags: %s %s %s", got[0].body["flag"], got[1].body["flag"], got[2].body["flag"])
	}
	if _, err := api.DeleteTenant(ctx, tid); err != nil {
		t.Fatal(err)
	}
	if got = check("tenantSync"); got[0].body["flag"] != json.Number("0") {
		t.Errorf("delete tenant flag %v", got[0].body["flag"])
	}
	if _, err := api.Tenant(ctx, tid); controlapi.ErrorCode(err) != controlapi.CodeNotFound {
		t.Errorf("deleted tenant: %v", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.errs) > 0 {
		t.Errorf("the seller-side verification failed: %v", s.errs)
	}
}

func TestKitRefusalsAndErrors(t *testing.T) {
	api, _, stop := start2(t, ":memory:")
	defer stop()
	ctx := context.Background()
	res, err := api.CreateTenant(ctx, controlapi.TenantRequest{})
	if err != nil {
		t.Fatal(err)
	}
	// The verifying seller answers 000000 to everything, so a tampered signature is "accepted".
	e, err := api.KitProbe(ctx, res.Tenant.ID, controlapi.KitProbeRequest{Sync: "tenantSync", Probe: "tampered-signature"})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := e.Verdict(koomock.RuleRefused); v.Outcome != koomock.Fail {
		t.Errorf("probe verdicts %+v", e.Verdicts)
	}
	// A kit exchange is reproduced with the kit key, in the x-sign headers.
	curl, err := api.Reproduce(ctx, res.Exchanges[0].ID)
	if err != nil || !strings.Contains(curl, "X-Sign: ") || !strings.Contains(curl, "/produceAPI/v2/tenantSync") {
		t.Fatalf("curl: %v\n%s", err, curl)
	}
	for _, tt := range []struct {
		req  controlapi.TenantRequest
		code controlapi.Code
	}{
		{controlapi.TenantRequest{TenantCode: "has space"}, controlapi.CodeInvalid},
		{controlapi.TenantRequest{TestFlag: 7}, controlapi.CodeInvalid},
		{controlapi.TenantRequest{TenantCode: res.Tenant.Code}, controlapi.CodeConflict},
		{controlapi.TenantRequest{LoginCallbackURL: "not a url"}, controlapi.CodeInvalid},
	} {
		if _, err := api.CreateTenant(ctx, tt.req); controlapi.ErrorCode(err) != tt.code {
			t.Errorf("%+v: %v, want %s", tt.req, err, tt.code)
		}
	}
	if _, err := api.AuthorizeUsers(ctx, res.Tenant.ID, []koomock.User{{UserName: "x", Role: "boss"}}); controlapi.ErrorCode(err) != controlapi.CodeInvalid {
		t.Errorf("bad role: %v", err)
	}
	if _, err := api.KitProbe(ctx, res.Tenant.ID, controlapi.KitProbeRequest{Sync: "tenantSync", Probe: "missing-field:nope"}); controlapi.ErrorCode(err) != controlapi.CodeInvalid {
		t.Errorf("probe of a field that is not mandatory: %v", err)
	}
}

func TestTenantsSurviveRestart(t *testing.T) {
	db := filepath.Join(t.TempDir(), "koomock.db")
	api, _, stop := start2(t, db)
	ctx := context.Background()
	res, err := api.CreateTenant(ctx, controlapi.TenantRequest{Name: "Kept"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := api.AdvanceTenantClock(ctx, res.Tenant.ID, "90m"); err != nil {
		t.Fatal(err)
	}
	stop()
	api, s, stop := start2(t, db)
	defer stop()
	st, err := api.Tenant(ctx, res.Tenant.ID)
	if err != nil || st.Tenant.Name != "Kept" || st.App == nil || st.Tenant.ClockOffset != 90*time.Minute {
		t.Fatalf("after restart: %+v %v", st, err)
	}
	if _, err := api.Resync(ctx, res.Tenant.ID); err != nil {
		t.Fatal(err)
	}
	if got := s.take(); len(got) != 3 {
		t.Errorf("resync sent %d syncs", len(got))
	}
}

// TestJournalFiltersByTenant checks that each tenant's kit syncs are found by their tenant, and only
// theirs, through the control API's journal query.
func TestJournalFiltersByTenant(t *testing.T) {
	api, _, stop := start2(t, ":memory:")
	defer stop()
	ctx := context.Background()
	first, err := api.CreateTenant(ctx, controlapi.TenantRequest{Name: "First"})
	if err != nil {
		t.Fatal(err)
	}
	second, err := api.CreateTenant(ctx, controlapi.TenantRequest{Name: "Second"})
	if err != nil {
		t.Fatal(err)
	}
	for _, res := range []controlapi.KitResult{first, second} {
		list, err := api.Exchanges(ctx, koomock.ExchangeFilter{TenantID: res.Tenant.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != len(res.Exchanges) || len(list) == 0 {
			t.Fatalf("tenant %s: %d exchanges in the journal, the creation sent %d", res.Tenant.ID, len(list), len(res.Exchanges))
		}
		for _, e := range list {
			if e.TenantID != res.Tenant.ID {
				t.Errorf("tenant %s's journal has exchange %d of tenant %q", res.Tenant.ID, e.ID, e.TenantID)
			}
		}
	}
}
