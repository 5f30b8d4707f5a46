package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v4"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/fixtures"
)

// stateFile is a --state file: the orders, tenants with their users and license codes a team keeps
// in its repository, loaded at start into an empty database. Every field is optional; each entry
// is applied through the control API's own operation (buy, create a tenant, authorise users, sell or
// make license codes), so a state is exactly what the same calls would have made.
type stateFile struct {
	// Clock, when set, puts koomock on a virtual clock at that time before anything is bought, so
	// that orders and codes carry the same dates at every start.
	Clock        string         `yaml:"clock"`
	Orders       []stateOrder   `yaml:"orders"`
	Tenants      []stateTenant  `yaml:"tenants"`
	LicenseCodes []stateLicense `yaml:"licenseCodes"`
}

// stateOrder is a SaaS purchase (POST /_mock/orders); its instance is the one the seller creates
// for it. Name lets a tenant refer to the order.
type stateOrder struct {
	Name         string       `yaml:"name"`
	ProductID    string       `yaml:"productId"`
	ChargingMode string       `yaml:"chargingMode"`
	PeriodType   string       `yaml:"periodType"`
	PeriodNumber int          `yaml:"periodNumber"`
	Trial        bool         `yaml:"trial"`
	TestFlag     string       `yaml:"testFlag"`
	LinearValue  int          `yaml:"linearValue"`
	ExtendParams []stateParam `yaml:"extendParams"`
}

// stateParam is one of an order's purchase-time parameters.
type stateParam struct {
	Key   string `yaml:"key"`
	Value string `yaml:"value"`
}

// stateTenant is a joint-operation tenant (POST /_mock/tenants) with the users its administrator
// authorises (POST /_mock/tenants/ID/users). Order names a state order the tenant bought.
type stateTenant struct {
	TenantID   string `yaml:"tenantId"`
	TenantCode string `yaml:"tenantCode"`
	Name       string `yaml:"name"`
	Order      string `yaml:"order"`
	TestFlag   int    `yaml:"testFlag"`
	// Orgs are the tenant's departments (default: one, 10000); a user's orgCode names one.
	Orgs  []stateOrg  `yaml:"orgs"`
	Users []stateUser `yaml:"users"`
}

// stateOrg is one of a tenant's departments.
type stateOrg struct {
	OrgCode    string `yaml:"orgCode"`
	OrgName    string `yaml:"orgName"`
	ParentCode string `yaml:"parentCode"`
}

// stateUser is a tenant's user, as koomock.User spells it.
type stateUser struct {
	ID           string `yaml:"id"`
	UserName     string `yaml:"userName"`
	Name         string `yaml:"name"`
	OrgCode      string `yaml:"orgCode"`
	Role         string `yaml:"role"`
	Disabled     bool   `yaml:"disabled"`
	Position     string `yaml:"position"`
	EmployeeCode string `yaml:"employeeCode"`
	EmployeeType int    `yaml:"employeeType"`
	Mobile       string `yaml:"mobile"`
	Email        string `yaml:"email"`
	WorkPlace    string `yaml:"workPlace"`
	EntryDate    string `yaml:"entryDate"`
	Password     string `yaml:"password"`
}

// stateLicense is a batch of License 2.0 codes: test codes (test: true, POST
// /_mock/license/test-codes) or codes sold in an order (POST /_mock/license/orders).
type stateLicense struct {
	Test         bool   `yaml:"test"`
	Count        int    `yaml:"count"`
	Amount       int    `yaml:"amount"`
	Validity     string `yaml:"validity"`
	PeriodType   string `yaml:"periodType"`
	PeriodNumber int    `yaml:"periodNumber"`
	NotReceived  bool   `yaml:"notReceived"`
}

// registerState adds --state (KOOMOCK_STATE).
func registerState(fs *flagSet) *string {
	return fs.String("state", "", "load orders, tenants with users and license codes from this YAML or JSON `file` at start, into an empty database (examples/state/koomock-state.yaml)")
}

// stateError is a problem in a state file, at a line, about a field: it prints as one line.
type stateError struct {
	file  string
	line  int
	field string
	msg   string
}

func (e *stateError) Error() string {
	if e.field == "" {
		return fmt.Sprintf("--state %s:%d: %s", e.file, e.line, e.msg)
	}
	return fmt.Sprintf("--state %s:%d: %s: %s", e.file, e.line, e.field, e.msg)
}

// loadedState is a validated state file with the line of each field, for errors while applying.
type loadedState struct {
	file  string
	state stateFile
	lines map[string]int
	clock time.Time
}

// at returns the error for field (a path such as orders[0].productId), at its line, else at the
// line of the nearest enclosing field.
func (s *loadedState) at(field, format string, args ...any) error {
	line, path := 1, field
	for path != "" {
		if l, ok := s.lines[path]; ok {
			line = l
			break
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			break
		}
		path = path[:i]
	}
	return &stateError{file: s.file, line: line, field: field, msg: fmt.Sprintf(format, args...)}
}

// readState reads and validates a state file whole: nothing is applied from a file with any
// problem. JSON is read by the YAML parser too (YAML is a superset of it), so both get lines.
func readState(path string) (*loadedState, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--state: %w", err)
	}
	s := &loadedState{file: path, lines: map[string]int{}}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, yamlError(path, b, err)
	}
	if len(doc.Content) == 0 {
		return s, nil // an empty file is an empty state
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return s, nil // a document with nothing in it ("---") is an empty state too
	}
	if err := s.check(root, reflect.TypeFor[stateFile](), ""); err != nil {
		// A node the parser places past a file's last line (one without a final newline) is
		// named at the last line, one an editor can jump to.
		var se *stateError
		if errors.As(err, &se) {
			se.line = max(1, min(se.line, bytes.Count(b, []byte("\n"))+1))
		}
		return nil, err
	}
	if err := root.Decode(&s.state); err != nil {
		return nil, yamlError(path, b, err)
	}
	catalog, err := fixtures.LoadCatalog()
	if err != nil {
		return nil, err
	}
	if err := s.validate(catalog); err != nil {
		return nil, err
	}
	return s, nil
}

// check walks the document against the state's types: every key must be a field (an unknown one is
// a misspelling that would otherwise be dropped without a word), every value of the right shape.
// It records each field's line.
func (s *loadedState) check(n *yaml.Node, t reflect.Type, path string) error {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	s.lines[path] = n.Line
	bad := func(want string) error {
		got := map[yaml.Kind]string{yaml.MappingNode: "a mapping", yaml.SequenceNode: "a list"}[n.Kind]
		if got == "" {
			got = strconv.Quote(n.Value)
		}
		return &stateError{file: s.file, line: n.Line, field: path, msg: fmt.Sprintf("want %s, not %s", want, got)}
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return bad("a mapping of fields")
		}
		var known []string
		fields := map[string]reflect.Type{}
		for f := range t.Fields() {
			if name := f.Tag.Get("yaml"); name != "" && name != "-" {
				known, fields[name] = append(known, name), f.Type
			}
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			key, value := n.Content[i], n.Content[i+1]
			ft, ok := fields[key.Value]
			field := joinField(path, key.Value)
			if !ok {
				return &stateError{file: s.file, line: key.Line, field: field,
					msg: fmt.Sprintf("unknown field; did you mean %s? (known here: %s)", closest(key.Value, known), strings.Join(known, ", "))}
			}
			if err := s.check(value, ft, field); err != nil {
				return err
			}
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			return bad("a list")
		}
		for i, item := range n.Content {
			if err := s.check(item, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case reflect.Int:
		if _, err := strconv.Atoi(n.Value); n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" || err != nil {
			return bad("a whole number")
		}
	case reflect.Bool:
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" {
			return bad("true or false")
		}
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			return bad("a string")
		}
	}
	return nil
}

func joinField(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// validate checks what the control API would refuse, so that a state is applied whole or not at
// all: products and charging modes of the catalog, periods, dates, references between entries.
func (s *loadedState) validate(catalog fixtures.Catalog) error {
	st := &s.state
	if st.Clock != "" {
		t, err := parseStateTime(st.Clock)
		if err != nil {
			return s.at("clock", "%q is not a date: want RFC 3339 (2026-01-01T09:00:00Z) or 2026-01-01", st.Clock)
		}
		s.clock = t
	}
	names := map[string]bool{}
	for i, o := range st.Orders {
		f := func(name string) string { return fmt.Sprintf("orders[%d].%s", i, name) }
		if err := s.validateOrder(catalog, o, f); err != nil {
			return err
		}
		if o.Name != "" {
			if names[o.Name] {
				return s.at(f("name"), "another order is named %q already", o.Name)
			}
			names[o.Name] = true
		}
	}
	taken := map[string]bool{fixtures.DemoTenantID: true, "code " + fixtures.DemoTenantCode: true}
	for i, t := range st.Tenants {
		if err := s.validateTenant(i, t, names, taken); err != nil {
			return err
		}
	}
	for i, l := range st.LicenseCodes {
		if err := s.validateLicense(l, func(name string) string { return fmt.Sprintf("licenseCodes[%d].%s", i, name) }); err != nil {
			return err
		}
	}
	return nil
}

// validateTenant mirrors the kit's checks of a tenant and its users (mock/kit); taken holds the
// tenant IDs and codes already used.
func (s *loadedState) validateTenant(i int, t stateTenant, orders, taken map[string]bool) error {
	f := func(name string) string { return fmt.Sprintf("tenants[%d].%s", i, name) }
	switch {
	case t.Order != "" && !orders[t.Order]:
		return s.at(f("order"), "no order of this file is named %q", t.Order)
	case t.TestFlag != 0 && t.TestFlag != 1:
		return s.at(f("testFlag"), "want 0 (production) or 1 (debug), not %d", t.TestFlag)
	case t.TenantID != "" && taken[t.TenantID]:
		return s.at(f("tenantId"), "tenant %s is there already", t.TenantID)
	case t.TenantCode != "" && taken["code "+strings.ToLower(t.TenantCode)]:
		return s.at(f("tenantCode"), "tenant code %s is taken", t.TenantCode)
	case strings.Trim(strings.ToLower(t.TenantCode), "abcdefghijklmnopqrstuvwxyz0123456789-_") != "":
		return s.at(f("tenantCode"), "%q: use letters, digits, - and _ (it is part of the tenant's domain)", t.TenantCode)
	case len(t.TenantID) > 64 || len(t.TenantCode) > 64:
		return s.at(f("tenantId"), "tenantId and tenantCode are at most 64 characters")
	case len(t.Name) > 255:
		return s.at(f("name"), "at most 255 characters")
	}
	taken[t.TenantID], taken["code "+strings.ToLower(t.TenantCode)] = t.TenantID != "", t.TenantCode != ""
	orgs := map[string]bool{}
	if len(t.Orgs) == 0 {
		orgs[fixtures.DemoOrgCode] = true
	}
	for j, o := range t.Orgs {
		of := func(name string) string { return fmt.Sprintf("tenants[%d].orgs[%d].%s", i, j, name) }
		switch {
		case o.OrgCode == "":
			return s.at(of("orgCode"), "every department needs an orgCode")
		case o.OrgName == "":
			return s.at(of("orgName"), "every department needs an orgName")
		case orgs[o.OrgCode]:
			return s.at(of("orgCode"), "department %s is listed twice", o.OrgCode)
		case o.ParentCode != "" && !orgs[o.ParentCode]:
			return s.at(of("parentCode"), "no department listed before this one has orgCode %q", o.ParentCode)
		}
		orgs[o.OrgCode] = true
	}
	users := map[string]bool{}
	for j, u := range t.Users {
		uf := func(name string) string { return fmt.Sprintf("tenants[%d].users[%d].%s", i, j, name) }
		switch {
		case u.UserName == "" || len(u.UserName) > 64:
			return s.at(uf("userName"), "every user needs a userName of 1 to 64 characters")
		case users[u.UserName]:
			return s.at(uf("userName"), "user %s is listed twice", u.UserName)
		case u.Role != "" && u.Role != "user" && u.Role != "admin":
			return s.at(uf("role"), "want user or admin, not %q", u.Role)
		case u.EmployeeType < 0 || u.EmployeeType > 4:
			return s.at(uf("employeeType"), "want 1 (formal), 2 (intern), 3 (dispatch) or 4 (outsourced)")
		case u.OrgCode != "" && !orgs[u.OrgCode]:
			return s.at(uf("orgCode"), "the tenant has no department %q", u.OrgCode)
		case u.EntryDate != "" && !isDate(u.EntryDate):
			return s.at(uf("entryDate"), "%q is not a date: want 2026-01-01", u.EntryDate)
		}
		users[u.UserName] = true
	}
	return nil
}

// validateOrder mirrors the market's checks of a purchase (mock/saas newOrder).
func (s *loadedState) validateOrder(catalog fixtures.Catalog, o stateOrder, f func(string) string) error {
	mode := koomock.ChargingMode(o.ChargingMode)
	modes := []koomock.ChargingMode{koomock.ChargingPeriod, koomock.ChargingOneTime, koomock.ChargingOnDemand, koomock.ChargingOnDemandPkg}
	if mode != "" && !slices.Contains(modes, mode) {
		return s.at(f("chargingMode"), "%q is not one of PERIOD, ONE_TIME, ON_DEMAND, ON_DEMAND_PKG", o.ChargingMode)
	}
	if o.ProductID != "" {
		p, ok := catalog.Product(o.ProductID)
		if !ok {
			var ids []string
			for _, m := range modes {
				if p, ok := catalog.ForMode(m); ok {
					ids = append(ids, p.ID)
				}
			}
			return s.at(f("productId"), "product %s is not in koomock's catalog (%s)", o.ProductID, strings.Join(ids, ", "))
		}
		if mode != "" && p.ChargingMode != mode {
			return s.at(f("chargingMode"), "product %s is sold %s, not %s", p.ID, p.ChargingMode, mode)
		}
		mode = p.ChargingMode
	}
	if mode == "" {
		mode = koomock.ChargingPeriod
	}
	switch {
	case o.Trial && mode != koomock.ChargingPeriod:
		return s.at(f("trial"), "trials are of periodic products, not %s", mode)
	case mode != koomock.ChargingPeriod && (o.PeriodType != "" || o.PeriodNumber != 0):
		return s.at(f("periodType"), "a %s order has no period", mode)
	case o.TestFlag != "" && o.TestFlag != "0" && o.TestFlag != "1":
		return s.at(f("testFlag"), `want "1", "0" or nothing, not %q`, o.TestFlag)
	case o.LinearValue < 0:
		return s.at(f("linearValue"), "must be positive")
	}
	return s.validatePeriod(o.PeriodType, o.PeriodNumber, f)
}

func (s *loadedState) validatePeriod(unit string, n int, f func(string) string) error {
	if unit != "" && !slices.Contains([]koomock.PeriodType{koomock.PeriodYear, koomock.PeriodMonth, koomock.PeriodDay}, koomock.PeriodType(unit)) {
		return s.at(f("periodType"), "want year, month or day, not %q", unit)
	}
	if n < 0 || n > 100 {
		return s.at(f("periodNumber"), "must be 1 to 100, not %d", n)
	}
	return nil
}

// validateLicense mirrors the license service's checks of test codes and code purchases.
func (s *loadedState) validateLicense(l stateLicense, f func(string) string) error {
	if l.Count < 0 || l.Count > 100 {
		return s.at(f("count"), "must be 1 to 100, not %d", l.Count)
	}
	if l.Amount < 0 {
		return s.at(f("amount"), "must be positive")
	}
	if l.Test {
		switch {
		case l.PeriodType != "" || l.PeriodNumber != 0:
			return s.at(f("periodType"), "test codes have a validity, not a period")
		case l.NotReceived:
			return s.at(f("notReceived"), "test codes are always received")
		case l.Validity != "":
			if d, err := controlapi.ParseDuration(l.Validity); err != nil || d <= 0 {
				return s.at(f("validity"), `%q: want a duration like "30d" or "720h"`, l.Validity)
			}
		}
		return nil
	}
	if l.Validity != "" {
		return s.at(f("validity"), "sold codes have a period (periodType, periodNumber); validity is for test codes (test: true)")
	}
	return s.validatePeriod(l.PeriodType, l.PeriodNumber, f)
}

// parseStateTime reads an RFC 3339 time or a date (midnight UTC).
func parseStateTime(v string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	return time.Parse(time.DateOnly, v)
}

func isDate(v string) bool {
	_, err := time.Parse(time.DateOnly, v)
	return err == nil
}

// yamlError is the parser's error as one state-file line: its line, and its message without the
// parser's own prefix. At the end of a file that does not end in a newline the parser's mark is one
// line past the last; the error names the last line instead, one an editor can jump to.
func yamlError(file string, content []byte, err error) error {
	var le *yaml.LoadError
	if errors.As(err, &le) && le.Mark.Line > 0 {
		line := min(le.Mark.Line, bytes.Count(content, []byte("\n"))+1)
		return &stateError{file: file, line: line, msg: "not YAML or JSON: " + oneLine(le.Message)}
	}
	return &stateError{file: file, line: 1, msg: "not YAML or JSON: " + oneLine(err.Error())}
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
