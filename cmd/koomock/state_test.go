package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/fixtures"
)

const exampleState = "../../examples/state/koomock-state.yaml"

// checkExampleState reads the control API of a koomock that loaded the example state.
func checkExampleState(t *testing.T, api *controlapi.Client) {
	t.Helper()
	ctx := context.Background()
	all, err := api.Orders(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	catalog, err := fixtures.LoadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	var orders, licenseOrders []koomock.Order
	for _, o := range all {
		if _, saas := catalog.Product(o.ProductID); !saas {
			licenseOrders = append(licenseOrders, o)
		} else {
			orders = append(orders, o)
		}
	}
	if len(orders) != 3 || len(licenseOrders) != 1 {
		t.Fatalf("%d SaaS orders and %d license orders; want the state's 3 and 1", len(orders), len(licenseOrders))
	}
	modes := map[koomock.ChargingMode]int{}
	for _, o := range orders {
		modes[o.ChargingMode]++
		if o.Status != koomock.OrderDelivered || o.InstanceID == "" {
			t.Errorf("order %s: %s, instance %q; want delivered by the seller", o.ID, o.Status, o.InstanceID)
		}
		if want := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC); !o.CreatedAt.Equal(want) {
			t.Errorf("order %s created %s, want the state's clock %s", o.ID, o.CreatedAt, want)
		}
	}
	if modes[koomock.ChargingPeriod] != 2 || modes[koomock.ChargingOneTime] != 1 {
		t.Errorf("charging modes %v", modes)
	}
	if in, err := api.Instances(ctx); err != nil || len(in) != 3 {
		t.Errorf("instances: %d, %v; want 3", len(in), err)
	}
	tenant, err := api.Tenant(ctx, "acme-tenant")
	if err != nil {
		t.Fatalf("the state's tenant: %v", err)
	}
	if tenant.Tenant.Name != "Acme Ltd." || tenant.Tenant.OrderID == "" || tenant.Tenant.InstanceID == "" {
		t.Errorf("tenant %+v; want its name and the order acme-yearly", tenant.Tenant)
	}
	var names []string
	for _, u := range tenant.Users {
		if u.Authorized {
			names = append(names, u.UserName)
		}
		if u.UserName == "bob" && u.OrgCode != "110" {
			t.Errorf("bob is in department %q, want the state's 110", u.OrgCode)
		}
	}
	if len(tenant.Orgs) != 2 {
		t.Errorf("departments %+v, want the state's 2", tenant.Orgs)
	}
	if strings.Join(names, ",") != "alice,bob" && strings.Join(names, ",") != "bob,alice" {
		t.Errorf("authorised users %v, want alice and bob", names)
	}
	codes, err := api.LicenseCodeList(ctx)
	if err != nil || len(codes) != len(fixtures.DemoLicenseCodes)+3 {
		t.Errorf("license codes: %d, %v; want the demo ones and the state's 3", len(codes), err)
	}
}

// TestServeLoadsTheExampleState: the README's example state loads at start through --state, and
// again from KOOMOCK_STATE; restarted on the same database, koomock says it did not load it again.
func TestServeLoadsTheExampleState(t *testing.T) {
	db := filepath.Join(t.TempDir(), "koomock.db")
	api, out, stop := startServe(t, "--db", db, "--state", exampleState)
	checkExampleState(t, api)
	if !strings.Contains(out.String(), "state            "+exampleState+": 3 orders, 1 tenants, 2 license batches") {
		t.Errorf("the banner does not say the state was loaded:\n%s", out)
	}
	if code := stop(); code != exitOK {
		t.Fatalf("serve exited with %d", code)
	}

	api, out, stop = startServeEnv(t, map[string]string{"KOOMOCK_STATE": exampleState}, "--db", db)
	defer stop()
	if !strings.Contains(out.String(), "not loaded, the database is not empty") {
		t.Errorf("the banner does not say the state was skipped:\n%s", out)
	}
	if orders, err := api.Orders(context.Background(), 0); err != nil || len(orders) != 4 {
		t.Errorf("orders after a restart with the state: %d, %v; want the first start's 4", len(orders), err)
	}
}

func TestServeLoadsAStateFromTheEnvironment(t *testing.T) {
	api, _, stop := startServeEnv(t, map[string]string{"KOOMOCK_STATE": exampleState}, "--db", ":memory:")
	defer stop()
	checkExampleState(t, api)
}

// TestServeLoadsJSONState: a JSON state is read too, with its lines.
func TestServeLoadsJSONState(t *testing.T) {
	file := writeState(t, "state.json", `{"orders": [{"chargingMode": "ON_DEMAND"}], "licenseCodes": [{"test": true}]}`)
	api, _, stop := startServe(t, "--db", ":memory:", "--state", file)
	defer stop()
	if orders, err := api.Orders(context.Background(), 0); err != nil || len(orders) != 1 || orders[0].ChargingMode != koomock.ChargingOnDemand {
		t.Errorf("orders %+v, %v", orders, err)
	}
	bad := writeState(t, "bad.json", "{\n  \"orders\": [\n    {\"chargingMode\": \"ON_DEMAND\", \"perod\": 1}\n  ]\n}")
	if code, _, errOut := cli(t, nil, "serve", "--db", ":memory:", "--state", bad); code != exitUsage || !strings.Contains(errOut, bad+":3: orders[0].perod: unknown field") {
		t.Errorf("exit %d, %q", code, errOut)
	}
}

func writeState(t *testing.T, name, content string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(file, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

// TestServeRefusesABadState: each problem is one line naming the file, the line and the field, and
// koomock does not start (exit 2).
func TestServeRefusesABadState(t *testing.T) {
	for _, tc := range []struct{ content, want string }{
		{"orders:\n  - productId: OFFI100000000000000001\n    priodType: year\n", ":3: orders[0].priodType: unknown field; did you mean periodType?"},
		{"clock: 2026-01-01T00:00:00Z\ntenants:\n  - name: x\n    users:\n      - userName: a\n        emial: a@example.com\n", ":6: tenants[0].users[0].emial: unknown field; did you mean email?"},
		{"orders:\n  - productId: OFFI999\n", ":2: orders[0].productId: product OFFI999 is not in koomock's catalog"},
		{"orders:\n  - chargingMode: MONTHLY\n", `:2: orders[0].chargingMode: "MONTHLY" is not one of PERIOD`},
		{"orders:\n  - productId: OFFI100000000000000002\n    chargingMode: PERIOD\n", ":3: orders[0].chargingMode: product OFFI100000000000000002 is sold ONE_TIME, not PERIOD"},
		{"clock: next tuesday\n", `:1: clock: "next tuesday" is not a date`},
		{"tenants:\n  - users:\n      - userName: a\n        entryDate: 2025-13-01\n", `:4: tenants[0].users[0].entryDate: "2025-13-01" is not a date`},
		{"tenants:\n  - order: nope\n", `:2: tenants[0].order: no order of this file is named "nope"`},
		{"tenants:\n  - tenantCode: demo\n", ":2: tenants[0].tenantCode: tenant code demo is taken"},
		{"tenants:\n  - tenantCode: acme corp\n", `:2: tenants[0].tenantCode: "acme corp": use letters`},
		{"tenants:\n  - users:\n      - userName: a\n        orgCode: \"20\"\n", `:4: tenants[0].users[0].orgCode: the tenant has no department "20"`},
		{"orders:\n  - periodNumber: many\n", `:2: orders[0].periodNumber: want a whole number, not "many"`},
		{"orders: {}\n", ":1: orders: want a list, not a mapping"},
		{"orders:\n  - periodNumber: \"5\"\n", `:2: orders[0].periodNumber: want a whole number, not "5"`},
		{"orders:\n  - trial: yes please\n", `:2: orders[0].trial: want true or false, not "yes please"`},
		{"orders:\n  - productId: [a]\n", `:2: orders[0].productId: want a string, not a list`},
		{"licenseCodes:\n  - test: true\n    validity: forever\n", `:3: licenseCodes[0].validity: "forever": want a duration`},
		{"orders: [\n", ":2: not YAML or JSON"},
	} {
		file := writeState(t, "koomock-state.yaml", tc.content)
		code, _, errOut := cli(t, nil, "serve", "--db", ":memory:", "--state", file)
		if code != exitUsage || strings.Count(strings.TrimSpace(errOut), "\n") != 0 || !strings.Contains(errOut, "--state "+file+tc.want) {
			t.Errorf("%q: exit %d, stderr %q; want exit 2 and one line with %q", tc.content, code, errOut, tc.want)
		}
	}
	if code, _, errOut := cli(t, nil, "serve", "--db", ":memory:", "--state", "no-such-state.yaml"); code != exitUsage || !strings.Contains(errOut, "no-such-state.yaml") {
		t.Errorf("a missing file: exit %d, %q", code, errOut)
	}
}

// TestServeUndoesAStateItCouldNotApply: a seller that creates no instance stops the load; koomock
// exits 2 naming the order, and the database is left as empty as it was.
func TestServeUndoesAStateItCouldNotApply(t *testing.T) {
	db := filepath.Join(t.TempDir(), "koomock.db")
	file := writeState(t, "koomock-state.yaml", "licenseCodes:\n  - test: true\norders:\n  - chargingMode: PERIOD\n")
	code, _, errOut := cli(t, nil, "serve", "--addr", "127.0.0.1:0", "--db", db, "--seller-url", "http://127.0.0.1:1/produce", "--state", file)
	lines := strings.Split(strings.TrimSpace(errOut), "\n")
	if last := lines[len(lines)-1]; code != exitUsage || !strings.HasPrefix(last, "koomock serve: --state "+file+":4: orders[0]: the seller created no instance") {
		t.Fatalf("exit %d, stderr %q; want exit 2 and a last line naming the order", code, errOut)
	}
	api, _, stop := startServe(t, "--db", db)
	defer stop()
	ctx := context.Background()
	if orders, err := api.Orders(ctx, 0); err != nil || len(orders) != 0 {
		t.Errorf("orders left behind: %+v, %v", orders, err)
	}
	if codes, err := api.LicenseCodeList(ctx); err != nil || len(codes) != len(fixtures.DemoLicenseCodes) {
		t.Errorf("license codes left behind: %d, %v", len(codes), err)
	}
}
