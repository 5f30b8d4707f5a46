package runner

import (
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cucumber/godog/formatters"
	messages "github.com/cucumber/messages/go/v34"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/i18n"
)

// junitName is koomock's JUnit formatter in godog's registry. godog registers its own "junit" first
// and finds a formatter by its first registration, so a run hands godog this name wherever the format
// list says junit (godogFormat); users only ever write junit.
const junitName = "koomock-junit"

// godogFormat is the format list godog is given: the user's, with koomock's JUnit and progress for
// godog's.
func godogFormat(list string) string {
	entries := strings.Split(list, ",")
	for i, f := range entries {
		name, file, hasFile := strings.Cut(strings.TrimSpace(f), ":")
		ours := map[string]string{"junit": junitName, "progress": progressName}[name]
		if ours == "" {
			continue
		}
		entries[i] = ours
		if hasFile {
			entries[i] += ":" + file
		}
	}
	return strings.Join(entries, ",")
}

// junitFormatter writes the JUnit report CI tools read (Jenkins, GitLab, GitHub's test reporters) when
// the run ends: one testsuite per feature and one testcase per scenario, a skipped scenario as
// <skipped> with the profile's reason, a failure with the broken rule as its message and the exchange
// and curl as its body, and each advisory warning as a passing testcase whose <system-out> says it.
// Like the HTML report it takes everything from the run's records but the features' names.
type junitFormatter struct {
	suite string
	w     io.Writer
	mu    sync.Mutex
	names map[string]string // feature URI → feature name
}

func newJUnitFormatter(suite string, w io.Writer) formatters.Formatter {
	return &junitFormatter{suite: suite, w: w, names: map[string]string{}}
}

func (f *junitFormatter) Feature(doc *messages.GherkinDocument, uri string, _ []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if doc != nil && doc.Feature != nil {
		f.names[uri] = doc.Feature.Name
	}
}

func (f *junitFormatter) Summary() {
	res := lookupRun(f.suite)
	f.mu.Lock()
	defer f.mu.Unlock()
	doc := junitSuites{Name: "koomock"}
	if res == nil {
		doc.Suites = []junitSuite{{Name: "koomock", Cases: []junitCase{{Name: "koomock", Errors: []junitText{{Message: "this run's records are missing", Type: "harness"}}}}}}
	} else {
		doc = buildJUnit(res, f.names)
	}
	io.WriteString(f.w, xml.Header)
	enc := xml.NewEncoder(f.w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		fmt.Fprintf(f.w, "<!-- koomock: %s -->\n", xmlComment(err.Error()))
	}
	fmt.Fprintln(f.w)
}

// The JUnit document, in the element order of the Jenkins/Ant schema (junit-10.xsd): a testcase holds
// skipped?, error*, failure*, system-out*; a testsuite properties?, testcase*.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string           `xml:"name,attr"`
	Package    string           `xml:"package,attr,omitempty"`
	Tests      int              `xml:"tests,attr"`
	Failures   int              `xml:"failures,attr"`
	Errors     int              `xml:"errors,attr"`
	Skipped    int              `xml:"skipped,attr"`
	Time       string           `xml:"time,attr"`
	Timestamp  string           `xml:"timestamp,attr,omitempty"`
	Properties *junitProperties `xml:"properties"`
	Cases      []junitCase      `xml:"testcase"`
}

type junitProperties struct {
	Property []junitProperty `xml:"property"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string      `xml:"name,attr"`
	Classname string      `xml:"classname,attr"`
	Time      string      `xml:"time,attr"`
	Skipped   *junitText  `xml:"skipped"`
	Errors    []junitText `xml:"error"`
	Failures  []junitText `xml:"failure"`
	SystemOut []string    `xml:"system-out"`
}

// junitText is a skipped, error or failure element: a one-line message and a body.
type junitText struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Body    string `xml:",chardata"`
}

// buildJUnit turns a finished run's records into the JUnit document; names are the features' names.
func buildJUnit(res *Result, names map[string]string) junitSuites {
	records := res.Records()
	failures := map[string][]Failure{}
	for _, f := range res.Failures() {
		failures[f.scenarioID] = append(failures[f.scenarioID], f)
	}
	var uris []string
	byURI := map[string][]ScenarioRecord{}
	for _, rec := range records {
		if _, ok := byURI[rec.URI]; !ok {
			uris = append(uris, rec.URI)
		}
		byURI[rec.URI] = append(byURI[rec.URI], rec)
	}
	slices.Sort(uris)
	props := &junitProperties{Property: []junitProperty{{"seed", strconv.FormatInt(res.Seed, 10)}, {"profile", res.Profile.String()}}}
	doc := junitSuites{Name: "koomock verify"}
	var first, last time.Time
	for _, uri := range uris {
		name := names[uri]
		if name == "" {
			name = path.Base(featureFile(uri))
		}
		s := junitSuite{Name: name, Package: "features/" + path.Base(featureFile(uri)), Properties: props}
		seen := map[string]int{}
		var start, end time.Time
		for _, rec := range byURI[uri] {
			c := scenarioCase(res.lang, rec, name, failures[rec.ID])
			// CI tools key test cases by class and name; an outline's examples share their name.
			if seen[rec.Name]++; seen[rec.Name] > 1 {
				c.Name += fmt.Sprintf(" #%d", seen[rec.Name])
			}
			s.add(c)
			if start.IsZero() || rec.Started.Before(start) {
				start = rec.Started
			}
			if e := rec.Started.Add(rec.Duration); e.After(end) {
				end = e
			}
		}
		s.Time, s.Timestamp = seconds(end.Sub(start)), start.UTC().Format("2006-01-02T15:04:05")
		if first.IsZero() || start.Before(first) {
			first = start
		}
		if end.After(last) {
			last = end
		}
		doc.add(s)
	}
	if ws := res.Warnings(); len(ws) > 0 {
		s := junitSuite{Name: "koomock: advisory warnings", Time: seconds(0)}
		for _, w := range ws {
			s.add(junitCase{Name: "warning: " + string(w.Rule), Classname: "koomock.warnings", Time: seconds(0),
				SystemOut: []string{warningText(res.lang, w)}})
		}
		doc.add(s)
	}
	if r := res.Readiness; r != nil {
		doc.add(readinessSuite(res.lang, r))
	}
	doc.Time = seconds(last.Sub(first))
	return doc
}

func (s *junitSuite) add(c junitCase) {
	s.Tests++
	switch {
	case c.Skipped != nil:
		s.Skipped++
	case len(c.Errors) > 0:
		s.Errors++
	case len(c.Failures) > 0:
		s.Failures++
	}
	s.Cases = append(s.Cases, c)
}

func (d *junitSuites) add(s junitSuite) {
	d.Tests += s.Tests
	d.Failures += s.Failures
	d.Errors += s.Errors
	d.Suites = append(d.Suites, s)
}

// scenarioCase is one scenario's test case. A failed optional scenario does not fail the run, so it is
// no <failure> either: its failure is told in <system-out>, as the summary tells it.
func scenarioCase(t *i18n.Printer, rec ScenarioRecord, feature string, fails []Failure) junitCase {
	c := junitCase{Name: rec.Name, Classname: feature, Time: seconds(rec.Duration)}
	switch rec.Status {
	case StatusSkipped:
		reason := reasonIn(t, rec.Reason, rec.Why)
		if reason == "" {
			reason = t.T("junit.skippedStepping")
		}
		c.Skipped = &junitText{Message: reason}
	case StatusFailed:
		var failed *StepRecord
		for _, st := range rec.Steps {
			if st.Status == StatusFailed {
				failed = st
			}
		}
		if rec.Class == Optional {
			var b strings.Builder
			fmt.Fprintf(&b, "%s\n", t.T("junit.optionalFailed", reasonIn(t, rec.Reason, rec.Why)))
			for _, f := range fails {
				b.WriteString(failureBody(t, f, failed))
			}
			c.SystemOut = append(c.SystemOut, b.String())
			break
		}
		for _, f := range fails {
			c.Failures = append(c.Failures, junitText{Message: failureLine(t, f), Type: failureType(f), Body: failureBody(t, f, failed)})
		}
		if len(fails) == 0 {
			// No rule was broken: koomock could not judge (a harness error, named in its message).
			msg, step := t.T("junit.scenarioFailed"), ""
			if failed != nil {
				msg, step = failed.Error, failed.Text
			}
			line, _, _ := strings.Cut(msg, "\n")
			c.Errors = append(c.Errors, junitText{Message: line, Type: "harness", Body: t.T("summary.step", step) + "\n" + msg + "\n"})
		}
	}
	return c
}

// failureLine is a failure's message attribute: the broken rules in one line.
func failureLine(t *i18n.Printer, f Failure) string {
	if len(f.Rules) == 0 {
		line, _, _ := strings.Cut(f.Message, "\n")
		return line
	}
	parts := make([]string, len(f.Rules))
	for i, v := range f.Rules {
		line, _, _ := strings.Cut(t.Why(v), "\n")
		parts[i] = fmt.Sprintf("%s: %s", v.Rule, line)
	}
	return strings.Join(parts, "; ")
}

func failureType(f Failure) string {
	if len(f.Rules) == 0 {
		return "failed"
	}
	return failureTitle(f)
}

// failureBody is what the summary prints of a failure: the step, each rule, the exchange and the curl
// that reproduces it (signed when the step failed, so re-sign it with koomock replay once it expired).
func failureBody(t *i18n.Printer, f Failure, step *StepRecord) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%s\n", t.T("junit.scenario", f.Scenario, "features/"+path.Base(featureFile(f.Location))), t.T("summary.step", f.Step))
	if len(f.Rules) == 0 {
		fmt.Fprintf(&b, "%s\n", f.Message)
	}
	for _, v := range f.Rules {
		fmt.Fprintf(&b, "%s\n", t.T("summary.rule", v.Rule, pointerOf(t, v), t.Why(v)))
		if fix := t.Fix(v.Rule); fix != "" {
			fmt.Fprintf(&b, "  %s\n", t.T("summary.fix", fix))
		}
	}
	if e := f.Exchange; e != nil {
		fmt.Fprintf(&b, "%s: %s → %s  %s\n", t.T("summary.exchange", e.ID), e.Activity, stripQuery(e.Request.URL), outcomeOf(t, e))
		if step != nil && step.Curls[e.ID] != "" {
			fmt.Fprintf(&b, "%s\n  %s\n", t.T("junit.reproduce"), indent(step.Curls[e.ID], "  "))
		}
	}
	return b.String()
}

// warningText is an advisory warning's <system-out>.
func warningText(t *i18n.Printer, w Warning) string {
	return t.T("junit.warning", w.Rule, t.Why(w.Verdict), t.Fix(w.Rule), w.Count, exchangeList(t, w.Exchanges), strings.Join(w.Scenarios, "; ")) + "\n"
}

// readinessSuite is the production-readiness check: a failure per failed finding under --production,
// the finding in <system-out> otherwise.
func readinessSuite(t *i18n.Printer, r *Readiness) junitSuite {
	s := junitSuite{Name: t.T("junit.readinessSuite", r.URL), Time: seconds(0)}
	for _, f := range r.Findings {
		c := junitCase{Name: string(f.Rule), Classname: "koomock.readiness", Time: seconds(0)}
		switch {
		case f.Outcome == koomock.Fail && r.Production:
			c.Failures = []junitText{{Message: t.Why(f.Verdict()), Type: string(f.Rule)}}
		case f.Outcome != koomock.Pass:
			c.SystemOut = []string{t.T("junit.readinessWarning", f.Rule, t.Why(f.Verdict())) + "\n"}
		}
		s.add(c)
	}
	return s
}

// seconds is a JUnit time: seconds with millisecond precision.
func seconds(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', 3, 64)
}

// xmlComment keeps "--" out of a comment, where XML forbids it.
func xmlComment(s string) string { return strings.ReplaceAll(s, "--", "- -") }

// The events the JUnit report takes from the run's records instead.
func (f *junitFormatter) TestRunStarted()         {}
func (f *junitFormatter) Pickle(*messages.Pickle) {}
func (f *junitFormatter) Defined(*messages.Pickle, *messages.PickleStep, *formatters.StepDefinition) {
}
func (f *junitFormatter) Failed(*messages.Pickle, *messages.PickleStep, *formatters.StepDefinition, error) {
}
func (f *junitFormatter) Passed(*messages.Pickle, *messages.PickleStep, *formatters.StepDefinition) {
}
func (f *junitFormatter) Skipped(*messages.Pickle, *messages.PickleStep, *formatters.StepDefinition) {
}
func (f *junitFormatter) Undefined(*messages.Pickle, *messages.PickleStep, *formatters.StepDefinition) {
}
func (f *junitFormatter) Pending(*messages.Pickle, *messages.PickleStep, *formatters.StepDefinition) {
}
func (f *junitFormatter) Ambiguous(*messages.Pickle, *messages.PickleStep, *formatters.StepDefinition, error) {
}
