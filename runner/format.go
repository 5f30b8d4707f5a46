package runner

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/cucumber/godog"
	"github.com/cucumber/godog/formatters"
	messages "github.com/cucumber/messages/go/v34"
)

func init() {
	// godog finds formatters by name in its own registry, so koomock's HTML report registers there
	// once, like godog's built-in formats.
	godog.Format("html", "one self-contained HTML page: profile, scenarios, steps, timings, exchanges, readiness", newHTMLFormatter)
	godog.Format(junitName, "JUnit XML as CI tools read it: a test case per scenario, skipped ones with their reason, failures with the broken rule, advisory warnings in system-out", newJUnitFormatter)
	godog.Format(progressName, "a mark per step, then koomock's summary: each failure once, grouped by rule", newProgressFormatter)
	godog.Format("github", "GitHub Actions annotations: an error per failed required scenario, a warning per failed optional one, a notice with the tally", newGitHubFormatter)
}

// CheckFormat rejects a --format list godog would refuse with a message on the process's stderr:
// empty entries, unknown names, and FILE-less name: entries.
func CheckFormat(list string) error {
	known := godog.AvailableFormatters()
	names := make([]string, 0, len(known))
	for n := range known {
		if n == junitName || n == progressName {
			continue // junit and progress name them
		}
		names = append(names, n)
	}
	slices.Sort(names)
	for f := range strings.SplitSeq(list, ",") {
		name, file, hasFile := strings.Cut(strings.TrimSpace(f), ":")
		switch {
		case name == "":
			return fmt.Errorf("format list %q has an empty entry; formats are comma-separated, e.g. progress,junit:report.xml", list)
		case known[name] == "":
			return fmt.Errorf("format %q is unknown; use %s (FILE-writing as name:FILE)", name, strings.Join(names, ", "))
		case hasFile && file == "":
			return fmt.Errorf("format %q names no file; write %s:FILE", f, name)
		}
	}
	return nil
}

// runs links godog's suite names to the runs under way: godog builds formatters from its registry
// with nothing but the suite name and a writer, so the HTML formatter finds its run's records here.
var runs = struct {
	sync.Mutex
	m map[string]*Result
}{m: map[string]*Result{}}

// registerRun names a run's suite ("koomock", or "koomock (2)" while another run is under way in the
// same process) and returns the name and how to release it.
func registerRun(res *Result) (string, func()) {
	runs.Lock()
	defer runs.Unlock()
	name := "koomock"
	for i := 2; runs.m[name] != nil; i++ {
		name = fmt.Sprintf("koomock (%d)", i)
	}
	runs.m[name] = res
	return name, func() {
		runs.Lock()
		defer runs.Unlock()
		delete(runs.m, name)
	}
}

func lookupRun(name string) *Result {
	runs.Lock()
	defer runs.Unlock()
	return runs.m[name]
}

// htmlFormatter writes the HTML report when the run ends. It takes the features' names, descriptions
// and step keywords from godog's events, and everything else from the run's records, which hold real
// timings even when scenarios run concurrently (godog replays a concurrent scenario's events only once
// it has finished).
type htmlFormatter struct {
	suite    string
	w        io.Writer
	mu       sync.Mutex
	features map[string]*messages.Feature // by URI
	keywords map[string]string            // Gherkin step ID → keyword
}

func newHTMLFormatter(suite string, w io.Writer) formatters.Formatter {
	return &htmlFormatter{suite: suite, w: w, features: map[string]*messages.Feature{}, keywords: map[string]string{}}
}

func (f *htmlFormatter) Feature(doc *messages.GherkinDocument, uri string, _ []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if doc == nil || doc.Feature == nil {
		return
	}
	f.features[uri] = doc.Feature
	for _, c := range doc.Feature.Children {
		var steps []*messages.Step
		if c.Background != nil {
			steps = append(steps, c.Background.Steps...)
		}
		if c.Scenario != nil {
			steps = append(steps, c.Scenario.Steps...)
		}
		for _, st := range steps {
			f.keywords[st.Id] = strings.TrimSpace(st.Keyword)
		}
	}
}

func (f *htmlFormatter) Summary() {
	res := lookupRun(f.suite)
	if res == nil {
		fmt.Fprintln(f.w, "<!doctype html><title>koomock</title><p>koomock: this run's records are missing.</p>")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := writeHTML(f.w, res, f.features, f.keywords); err != nil {
		fmt.Fprintf(f.w, "<!-- koomock: %s -->\n", err)
	}
}

// The events the HTML report takes from its records instead.
func (f *htmlFormatter) TestRunStarted()                                                            {}
func (f *htmlFormatter) Pickle(*messages.Pickle)                                                    {}
func (f *htmlFormatter) Defined(*messages.Pickle, *messages.PickleStep, *formatters.StepDefinition) {}
func (f *htmlFormatter) Failed(*messages.Pickle, *messages.PickleStep, *formatters.StepDefinition, error) {
}
func (f *htmlFormatter) Passed(*messages.Pickle, *messages.PickleStep, *formatters.StepDefinition)  {}
func (f *htmlFormatter) Skipped(*messages.Pickle, *messages.PickleStep, *formatters.StepDefinition) {}
func (f *htmlFormatter) Undefined(*messages.Pickle, *messages.PickleStep, *formatters.StepDefinition) {
}
func (f *htmlFormatter) Pending(*messages.Pickle, *messages.PickleStep, *formatters.StepDefinition) {}
func (f *htmlFormatter) Ambiguous(*messages.Pickle, *messages.PickleStep, *formatters.StepDefinition, error) {
}
