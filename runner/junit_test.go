package runner_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/koomock/koomock/examples/seller/sellertest"
	"github.com/koomock/koomock/mock"
	"github.com/koomock/koomock/runner"
)

// junit10 is the common JUnit schema CI tools validate against (Jenkins' xunit plugin, junit-10.xsd,
// after Ant's XMLJUnitResultFormatter), written out as the checks validateXSD makes: per element, its
// attributes (true: required) and its content, a sequence of child elements with their bounds. Every
// element of the schema is a plain sequence of references, so this is the schema, not an
// approximation of it; mixed says character data is allowed.
var junit10 = map[string]xsdElement{
	"testsuites": {attrs: map[string]bool{"name": false, "time": false, "tests": false, "failures": false, "disabled": false, "errors": false},
		seq: []xsdChild{{"testsuite", 0, -1}}},
	"testsuite": {attrs: map[string]bool{"name": true, "tests": true, "failures": false, "errors": false, "time": false, "disabled": false,
		"skipped": false, "timestamp": false, "hostname": false, "id": false, "package": false},
		seq: []xsdChild{{"properties", 0, 1}, {"testcase", 0, -1}, {"system-out", 0, 1}, {"system-err", 0, 1}}},
	"properties": {seq: []xsdChild{{"property", 1, -1}}},
	"property":   {attrs: map[string]bool{"name": true, "value": true}},
	"testcase": {attrs: map[string]bool{"name": true, "assertions": false, "time": false, "classname": false, "status": false},
		seq: []xsdChild{{"skipped", 0, 1}, {"error", 0, -1}, {"failure", 0, -1}, {"system-out", 0, -1}, {"system-err", 0, -1}}},
	"skipped":    {attrs: map[string]bool{"message": false}, mixed: true},
	"error":      {attrs: map[string]bool{"message": false, "type": false}, mixed: true},
	"failure":    {attrs: map[string]bool{"message": false, "type": false}, mixed: true},
	"system-out": {mixed: true},
	"system-err": {mixed: true},
}

type xsdElement struct {
	attrs map[string]bool
	seq   []xsdChild
	mixed bool
}

type xsdChild struct {
	name     string
	min, max int // max -1: unbounded
}

// node is a parsed XML element.
type node struct {
	name     string
	attrs    map[string]string
	children []*node
	text     string
}

func parseXML(data []byte) (*node, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	var stack []*node
	var root *node
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &node{name: tok.Name.Local, attrs: map[string]string{}}
			for _, a := range tok.Attr {
				n.attrs[a.Name.Local] = a.Value
			}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.children = append(p.children, n)
			} else if root != nil {
				return nil, fmt.Errorf("a second root element <%s>", n.name)
			} else {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(tok)
			}
		}
	}
	if root == nil {
		return nil, fmt.Errorf("no root element")
	}
	return root, nil
}

// validateXSD checks n against the schema, returning every violation with its path.
func validateXSD(schema map[string]xsdElement, n *node, where string) []string {
	where += "/" + n.name
	el, ok := schema[n.name]
	if !ok {
		return []string{where + ": element not in the schema"}
	}
	var errs []string
	for a := range n.attrs {
		if _, ok := el.attrs[a]; !ok {
			errs = append(errs, fmt.Sprintf("%s: attribute %q not allowed", where, a))
		}
	}
	for a, required := range el.attrs {
		if _, ok := n.attrs[a]; required && !ok {
			errs = append(errs, fmt.Sprintf("%s: required attribute %q missing", where, a))
		}
	}
	if !el.mixed && strings.TrimSpace(n.text) != "" {
		errs = append(errs, fmt.Sprintf("%s: text %q where only elements are allowed", where, strings.TrimSpace(n.text)))
	}
	i := 0
	for _, c := range el.seq {
		count := 0
		for i < len(n.children) && n.children[i].name == c.name && (c.max < 0 || count < c.max) {
			count++
			i++
		}
		if count < c.min {
			errs = append(errs, fmt.Sprintf("%s: needs at least %d <%s>", where, c.min, c.name))
		}
	}
	if i < len(n.children) {
		errs = append(errs, fmt.Sprintf("%s: <%s> is out of the schema's order or not allowed here", where, n.children[i].name))
	}
	for _, c := range n.children {
		errs = append(errs, validateXSD(schema, c, where)...)
	}
	return errs
}

// TestValidateXSDRejects: the schema check catches what godog's own JUnit writes wrong.
func TestValidateXSDRejects(t *testing.T) {
	for doc, want := range map[string]string{
		`<testsuites skipped="0"><testsuite name="a" tests="1"/></testsuites>`:                                              `attribute "skipped" not allowed`,
		`<testsuites><testsuite name="a"/></testsuites>`:                                                                    `required attribute "tests" missing`,
		`<testsuite name="a" tests="1"><testcase name="b"><failure/><skipped/></testcase></testsuite>`:                      `<skipped> is out of the schema's order`,
		`<testsuite name="a" tests="1"><testcase name="b"><skipped/><skipped/></testcase></testsuite>`:                      `<skipped> is out of the schema's order`,
		`<testsuite name="a" tests="1"><properties></properties></testsuite>`:                                               `needs at least 1 <property>`,
		`<testsuite name="a" tests="1"><testcase name="b">text</testcase></testsuite>`:                                      `where only elements are allowed`,
		`<testsuite name="a" tests="1"><testcase name="b"><system-out/><failure message="x"/></testcase></testsuite>`:       `<failure> is out of the schema's order`,
		`<testsuite name="a" tests="1"><testcase name="b"><skipped/><error/><failure/><system-out/></testcase></testsuite>`: ``,
	} {
		n, err := parseXML([]byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		errs := strings.Join(validateXSD(junit10, n, ""), "\n")
		if want == "" && errs != "" || !strings.Contains(errs, want) {
			t.Errorf("%s: violations %q, want %q", doc, errs, want)
		}
	}
}

// TestJUnitReport: the official sample as published, under its profile, breaks two required rules and
// four advisory ones, and its profile skips scenarios. Its JUnit is valid against junit-10.xsd, counts
// true, gives each skipped scenario its reason and no skipped-as-error entry, each failure its broken
// rule in one line and the exchange and curl in its body, and each warning a passing test case.
func TestJUnitReport(t *testing.T) {
	v := sellertest.SampleVariants[1]
	p := startPairWith(t, v.Handler, mock.Config{Market: mock.MarketConfig{CallbackTimeout: 5 * time.Second}})
	profile, err := runner.ParseProfile(v.Profile)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "report.xml")
	var out bytes.Buffer
	p.opts.Profile, p.opts.Output, p.opts.Concurrency, p.opts.Seed, p.opts.Format = profile, &out, 4, 11, "progress,junit:"+file
	res, err := runner.Run(context.Background(), p.opts)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != runner.ExitFailed {
		t.Fatalf("status %d:\n%s", res.Status, out.String())
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	root, err := parseXML(data)
	if err != nil {
		t.Fatalf("not XML: %v\n%s", err, data)
	}
	if errs := validateXSD(junit10, root, ""); len(errs) > 0 {
		t.Fatalf("the JUnit report breaks junit-10.xsd:\n%s", strings.Join(errs, "\n"))
	}
	if bytes.Contains(data, []byte(`type="skipped"`)) {
		t.Error("the report has skipped-as-error entries")
	}

	atoi := func(n *node, a string) int {
		i, err := strconv.Atoi(n.attrs[a])
		if err != nil {
			t.Fatalf("<%s %s=%q>: %v", n.name, a, n.attrs[a], err)
		}
		return i
	}
	var tests, failures, errors, skipped, warnings int
	rules := map[string]bool{}
	for _, s := range root.children {
		var st, sf, se, ss int
		for _, c := range s.children {
			if c.name != "testcase" {
				continue
			}
			st++
			for _, k := range c.children {
				switch k.name {
				case "skipped":
					ss++
					if k.attrs["message"] == "" {
						t.Errorf("%s: skipped without a reason", c.attrs["name"])
					}
				case "error":
					se++
				case "failure":
					sf++
					rules[k.attrs["type"]] = true
					if strings.Contains(k.attrs["message"], "\n") || !strings.Contains(k.text, "exchange #") || !strings.Contains(k.text, "curl -sS") {
						t.Errorf("%s: failure message %q, body:\n%s\nwant the rule in one line, the exchange and the curl in the body", c.attrs["name"], k.attrs["message"], k.text)
					}
				case "system-out":
					if strings.HasPrefix(c.attrs["name"], "warning: ") {
						warnings++
						rule := strings.TrimPrefix(c.attrs["name"], "warning: ")
						if !strings.HasPrefix(k.text, "warning: "+rule+": ") || !strings.Contains(k.text, "\nfix: ") {
							t.Errorf("warning %s: system-out %q", rule, k.text)
						}
					}
				}
			}
		}
		if atoi(s, "tests") != st || atoi(s, "failures") != sf || atoi(s, "errors") != se || atoi(s, "skipped") != ss {
			t.Errorf("suite %q says tests=%s failures=%s errors=%s skipped=%s; it has %d, %d, %d, %d", s.attrs["name"],
				s.attrs["tests"], s.attrs["failures"], s.attrs["errors"], s.attrs["skipped"], st, sf, se, ss)
		}
		if _, err := strconv.ParseFloat(s.attrs["time"], 64); err != nil {
			t.Errorf("suite %q: time %q", s.attrs["name"], s.attrs["time"])
		}
		tests, failures, errors, skipped = tests+st, failures+sf, errors+se, skipped+ss
	}
	if atoi(root, "tests") != tests || atoi(root, "failures") != failures || atoi(root, "errors") != errors {
		t.Errorf("testsuites says tests=%s failures=%s errors=%s; the suites have %d, %d, %d", root.attrs["tests"], root.attrs["failures"], root.attrs["errors"], tests, failures, errors)
	}
	_, _, wantSkipped := res.Classes()
	ran, failed := res.Scenarios()
	if skipped != wantSkipped || skipped == 0 {
		t.Errorf("%d skipped test cases, the run skipped %d", skipped, wantSkipped)
	}
	if failures != failed || errors != 0 {
		t.Errorf("%d failed and %d erred test cases, the run failed %d of %d scenarios", failures, errors, failed, ran)
	}
	for _, r := range v.Breaks {
		if !strings.Contains(fmt.Sprint(rules), string(r)) {
			t.Errorf("no failure of %s (failure types %v)", r, rules)
		}
	}
	if warnings != len(res.Warnings()) || warnings < len(v.Warns) {
		t.Errorf("%d warning test cases; the run has %d warnings, the sample %d", warnings, len(res.Warnings()), len(v.Warns))
	}
	if t.Failed() {
		t.Logf("report:\n%s", data)
	}
}

// TestJUnitOptionalAndUndefined: a failed optional scenario does not fail the run, so it is a passing
// test case that tells its failure in <system-out>; a step koomock does not know is an <error>, not a
// failure of the seller; the counts follow.
func TestJUnitOptionalAndUndefined(t *testing.T) {
	undefined := "Feature: Not yet\n\n  Scenario: A step nobody wrote\n    When the seller dances\n"
	own := fstest.MapFS{"orders/ours.feature": {Data: []byte(ours)}, "orders/later.feature": {Data: []byte(undefined)}}
	i := slices.IndexFunc(sellertest.Variants, func(v sellertest.Variant) bool { return v.Name == "wrong-result-code" })
	opts := startPair(t, &sellertest.Variants[i], 500*time.Millisecond).opts
	file := filepath.Join(t.TempDir(), "report.xml")
	var out bytes.Buffer
	opts.Output, opts.Format, opts.Seed, opts.Concurrency = &out, "progress,junit:"+file, 7, 1
	opts.OwnFeatures, opts.OnlyOwn = own, true
	if _, err := runner.Run(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	root, err := parseXML(data)
	if err != nil {
		t.Fatal(err)
	}
	if errs := validateXSD(junit10, root, ""); len(errs) > 0 {
		t.Fatalf("the JUnit report breaks junit-10.xsd:\n%s\n%s", strings.Join(errs, "\n"), data)
	}
	if root.attrs["tests"] != "3" || root.attrs["failures"] != "1" || root.attrs["errors"] != "1" {
		t.Errorf("testsuites tests=%s failures=%s errors=%s, want 3, 1, 1:\n%s", root.attrs["tests"], root.attrs["failures"], root.attrs["errors"], data)
	}
	cases := map[string]*node{}
	for _, s := range root.children {
		for _, c := range s.children {
			if c.name == "testcase" {
				cases[c.attrs["name"]] = c
			}
		}
	}
	kids := func(name string) string {
		c := cases[name]
		if c == nil {
			t.Fatalf("no test case %q:\n%s", name, data)
		}
		var names []string
		for _, k := range c.children {
			names = append(names, k.name)
		}
		return strings.Join(names, " ")
	}
	if got := kids("Yearly orders: 100% paid, at once"); got != "failure" {
		t.Errorf("the required scenario has %q, want a failure", got)
	}
	if got := kids("Monthly orders"); got != "system-out" || !strings.Contains(cases["Monthly orders"].children[0].text, "does not fail the run") {
		t.Errorf("the optional scenario has %q, want its failure in system-out", got)
	}
	if got := kids("A step nobody wrote"); got != "error" {
		t.Errorf("the undefined step's scenario has %q, want an error", got)
	}
}
