package runner

import (
	"embed"
	"html/template"
	"io"
	"slices"
	"strings"
	"time"

	messages "github.com/cucumber/messages/go/v34"

	"github.com/koomock/koomock"
)

//go:embed report.html.tmpl
var reportFS embed.FS

var reportTemplate = template.Must(template.New("report.html.tmpl").Funcs(template.FuncMap{
	"dur": func(d time.Duration) string {
		switch {
		case d >= time.Second:
			return d.Round(time.Millisecond).String()
		case d >= time.Millisecond:
			return d.Round(100 * time.Microsecond).String()
		}
		return d.Round(time.Microsecond).String()
	},
	"headers": func(h map[string][]string) string {
		names := make([]string, 0, len(h))
		for k := range h {
			names = append(names, k)
		}
		slices.Sort(names)
		var b strings.Builder
		for _, k := range names {
			b.WriteString(k + ": " + strings.Join(h[k], ", ") + "\n")
		}
		return b.String()
	},
}).ParseFS(reportFS, "report.html.tmpl"))

// htmlReport is what the report template shows.
type htmlReport struct {
	Generated            time.Time
	Seed                 int64
	Status               int
	Profile              Profile
	Required, Optional   int
	Skipped, Ran, Failed int
	OptionalFailed       int
	SkipReasons          []ReasonCount
	Broken               []koomock.Rule
	Warnings             []Warning
	Harness              []string
	Readiness            *Readiness
	Features             []htmlFeature
	Stopped              bool
	TotalTime            time.Duration
}

type htmlFeature struct {
	URI         string
	Name        string
	Description string
	Scenarios   []htmlScenario
}

type htmlScenario struct {
	ScenarioRecord
	Steps []htmlStep
}

type htmlStep struct {
	*StepRecord
	Keyword string
}

// writeHTML renders the report of a finished run.
func writeHTML(w io.Writer, res *Result, features map[string]*messages.Feature, keywords map[string]string) error {
	r := htmlReport{Generated: res.now(), Seed: res.Seed, Profile: res.Profile, Readiness: res.Readiness,
		SkipReasons: res.SkipReasons(), Broken: res.BrokenRules(), Harness: res.HarnessErrors(), Stopped: res.Stopped(),
		OptionalFailed: res.OptionalFailed(), Warnings: res.Warnings()}
	r.Required, r.Optional, r.Skipped = res.Classes()
	r.Ran, r.Failed = res.Scenarios()
	// The exit status is settled after godog writes its reports; until then, judge from the counts.
	switch {
	case len(r.Harness) > 0:
		r.Status = ExitHarness
	case r.Failed > 0 || (r.Readiness != nil && r.Readiness.Failed()):
		r.Status = ExitFailed
	}
	byURI := map[string]int{}
	for _, rec := range res.Records() {
		i, ok := byURI[rec.URI]
		if !ok {
			f := htmlFeature{URI: rec.URI, Name: rec.URI}
			if doc := features[rec.URI]; doc != nil {
				f.Name, f.Description = doc.Name, dedent(doc.Description)
			}
			r.Features = append(r.Features, f)
			i = len(r.Features) - 1
			byURI[rec.URI] = i
		}
		sc := htmlScenario{ScenarioRecord: rec}
		for _, st := range rec.Steps {
			sc.Steps = append(sc.Steps, htmlStep{StepRecord: st, Keyword: keywords[st.AstID]})
		}
		r.TotalTime += rec.Duration
		r.Features[i].Scenarios = append(r.Features[i].Scenarios, sc)
	}
	return reportTemplate.Execute(w, r)
}

// dedent removes the indentation Gherkin keeps on a description's lines.
func dedent(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	return strings.Join(lines, "\n")
}
