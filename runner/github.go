package runner

import (
	"fmt"
	"io"
	"path"
	"strings"
	"sync"

	"github.com/cucumber/godog/formatters"
	messages "github.com/cucumber/messages/go/v34"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/i18n"
)

// githubFormatter writes GitHub Actions workflow commands when the run ends: an ::error for every failed
// required scenario, a ::warning for every failed optional one, and a ::notice with the tally, so a
// failed run shows its broken rules on the workflow's summary and, for the seller's own features, on
// the feature file's line. Like the HTML report it takes the failures from the run's records and only
// the features' lines from godog's events.
type githubFormatter struct {
	suite string
	w     io.Writer
	mu    sync.Mutex
	lines map[string]int64 // feature URI + "\x00" + Gherkin step ID → line
}

func newGitHubFormatter(suite string, w io.Writer) formatters.Formatter {
	return &githubFormatter{suite: suite, w: w, lines: map[string]int64{}}
}

func (f *githubFormatter) Feature(doc *messages.GherkinDocument, uri string, _ []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if doc == nil || doc.Feature == nil {
		return
	}
	var add func(children []*messages.FeatureChild)
	add = func(children []*messages.FeatureChild) {
		for _, c := range children {
			var steps []*messages.Step
			switch {
			case c.Background != nil:
				steps = c.Background.Steps
			case c.Scenario != nil:
				steps = c.Scenario.Steps
			case c.Rule != nil:
				rc := make([]*messages.FeatureChild, len(c.Rule.Children))
				for i, r := range c.Rule.Children {
					rc[i] = &messages.FeatureChild{Background: r.Background, Scenario: r.Scenario}
				}
				add(rc)
			}
			for _, st := range steps {
				if st.Location != nil {
					f.lines[uri+"\x00"+st.Id] = st.Location.Line
				}
			}
		}
	}
	add(doc.Feature.Children)
}

func (f *githubFormatter) Summary() {
	res := lookupRun(f.suite)
	if res == nil {
		fmt.Fprintln(f.w, workflowCommand("error", nil, "koomock: this run's records are missing."))
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	writeAnnotations(f.w, res, func(uri, stepID string) int64 { return f.lines[uri+"\x00"+stepID] })
}

// writeAnnotations writes a finished run's workflow commands; line finds a step's line in its feature.
func writeAnnotations(w io.Writer, res *Result, line func(uri, stepID string) int64) {
	for _, e := range res.HarnessErrors() {
		fmt.Fprintln(w, workflowCommand("error", []prop{{"title", "koomock: could not judge the seller"}}, e))
	}
	for _, fl := range res.Failures() {
		kind := "error"
		if fl.Optional {
			kind = "warning"
		}
		var props []prop
		n := line(fl.Location, fl.stepID)
		file := res.repoPath(fl.Location)
		if file != "" {
			props = append(props, prop{"file", file})
			if n > 0 {
				props = append(props, prop{"line", fmt.Sprint(n)})
			}
		}
		props = append(props, prop{"title", "koomock: " + failureTitle(fl)})
		fmt.Fprintln(w, workflowCommand(kind, props, failureMessage(res.lang, fl, file, n)))
	}
	if r := res.Readiness; r.Failed() {
		for _, fd := range r.Findings {
			if fd.Outcome == koomock.Fail {
				fmt.Fprintln(w, workflowCommand("error", []prop{{"title", "koomock: " + string(fd.Rule)}}, res.lang.Why(fd.Verdict())))
			}
		}
	}
	for _, wn := range res.Warnings() {
		fmt.Fprintln(w, workflowCommand("warning", []prop{{"title", "koomock: " + string(wn.Rule) + " (advisory)"}},
			fmt.Sprintf("%s\n%d×, %s\nfix: %s\nKooGallery accepts this; koomock verify --strict makes it a failure.", res.lang.Why(wn.Verdict), wn.Count, exchangeList(res.lang, wn.Exchanges), res.lang.Fix(wn.Rule))))
	}
	fmt.Fprintln(w, workflowCommand("notice", []prop{{"title", "koomock verify"}}, tally(res)))
}

// failureTitle names the rules a failure broke, or, for a failure without a rule, the scenario.
func failureTitle(f Failure) string {
	if len(f.Rules) == 0 {
		return f.Scenario
	}
	names := make([]string, len(f.Rules))
	for i, v := range f.Rules {
		names[i] = string(v.Rule)
	}
	return strings.Join(names, ", ")
}

// failureMessage says what the summary says of a failure, short of the exchange's URL and the curl
// command: the scenario, the failed step, each rule with its JSON pointer, and the exchange's ID. An
// embedded feature is not in the seller's repository, so its name and line are in the message instead
// of the file property.
func failureMessage(t *i18n.Printer, f Failure, file string, line int64) string {
	var b strings.Builder
	b.WriteString(f.Scenario)
	if file == "" {
		fmt.Fprintf(&b, " (koomock's features/%s", path.Base(featureFile(f.Location)))
		if line > 0 {
			fmt.Fprintf(&b, ":%d", line)
		}
		b.WriteString(")")
	}
	fmt.Fprintf(&b, "\nstep: %s", f.Step)
	if len(f.Rules) == 0 {
		fmt.Fprintf(&b, "\n%s", f.Message)
	}
	for _, v := range f.Rules {
		where := ""
		if v.Pointer != "" {
			where = " at " + v.Pointer
		}
		fmt.Fprintf(&b, "\nrule %s%s: %s", v.Rule, where, t.Why(v))
	}
	if e := f.Exchange; e != nil {
		fmt.Fprintf(&b, "\nexchange #%d (%s)", e.ID, e.Activity)
	}
	if f.Optional {
		fmt.Fprintf(&b, "\noptional (%s): this failure does not fail the run", f.reason)
	}
	return b.String()
}

// tally is the notice's text: the summary's count line and its verdict. The exit status is settled
// after godog writes its reports; until then, judge from the counts, as the HTML report does.
func tally(res *Result) string {
	ran, failed := res.Scenarios()
	optFailed := res.OptionalFailed()
	s := fmt.Sprintf("%d scenarios, %d passed, %d failed", ran, ran-failed-optFailed, failed)
	if optFailed > 0 {
		s += fmt.Sprintf(", %d optional failed", optFailed)
	}
	s += fmt.Sprintf(" (seed %d, profile %s)", res.Seed, res.Profile)
	switch {
	case res.Harness():
		s += "\nkoomock could not judge the seller."
	case failed > 0 || res.Readiness.Failed():
		s += "\nThe seller broke: " + joinRules(res.lang, res.BrokenRules(), res.Readiness)
	default:
		if n := len(res.Warnings()); n > 0 {
			s += fmt.Sprintf("\nThe seller followed every required rule, with %d warning(s).", n)
		} else {
			s += "\nThe seller followed every rule checked."
		}
	}
	return s
}

// featureFile drops the ":LINE" godog keeps in a feature's URI when the run's path named a line.
func featureFile(uri string) string {
	if i := strings.LastIndexByte(uri, ':'); i >= 0 && i < len(uri)-1 && strings.Trim(uri[i+1:], "0123456789") == "" {
		return uri[:i]
	}
	return uri
}

// prop is one property of a workflow command.
type prop struct{ name, value string }

// workflowCommand spells ::kind props::message, escaped as GitHub's toolkit does: data escapes %, CR
// and LF; property values escape ':' and ',' too, since they delimit the properties.
func workflowCommand(kind string, props []prop, message string) string {
	var b strings.Builder
	b.WriteString("::" + kind)
	for i, p := range props {
		if i == 0 {
			b.WriteString(" ")
		} else {
			b.WriteString(",")
		}
		b.WriteString(p.name + "=" + escapeProperty(p.value))
	}
	b.WriteString("::" + escapeData(message))
	return b.String()
}

var (
	dataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	propertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

func escapeData(s string) string     { return dataEscaper.Replace(s) }
func escapeProperty(s string) string { return propertyEscaper.Replace(s) }

// The events the annotations take from the run's records instead.
func (f *githubFormatter) TestRunStarted()         {}
func (f *githubFormatter) Pickle(*messages.Pickle) {}
func (f *githubFormatter) Defined(*messages.Pickle, *messages.PickleStep, *formatters.StepDefinition) {
}
func (f *githubFormatter) Failed(*messages.Pickle, *messages.PickleStep, *formatters.StepDefinition, error) {
}
func (f *githubFormatter) Passed(*messages.Pickle, *messages.PickleStep, *formatters.StepDefinition) {
}
func (f *githubFormatter) Skipped(*messages.Pickle, *messages.PickleStep, *formatters.StepDefinition) {
}
func (f *githubFormatter) Undefined(*messages.Pickle, *messages.PickleStep, *formatters.StepDefinition) {
}
func (f *githubFormatter) Pending(*messages.Pickle, *messages.PickleStep, *formatters.StepDefinition) {
}
func (f *githubFormatter) Ambiguous(*messages.Pickle, *messages.PickleStep, *formatters.StepDefinition, error) {
}
